#pragma once
// What a voice pack must hold for the calls of a screen, and what it lacks: the list an
// announcer records from and `tablo-voice-pack check` prints.
#include <filesystem>
#include <string>
#include <map>
#include <vector>

#include "config/settings.hpp"
#include "sound/manifest.hpp"
#include "sound/phrase.hpp"

namespace tablo::sound {

// How a screen's calls are said: its language, its templates (the call's and the short
// one) and the destination words it is configured with.
struct CallSpeech {
  Language language = Language::ru;
  std::vector<std::string> templates;
  std::vector<std::string> destinations;  // names in destination_words
  std::map<std::string, config::DestinationWords> destination_words = config::built_in_destinations();
};

// From a screen's [announcements] settings, in `language` (the pack's when it has one);
// empty templates are the language's own, as on the screen.
CallSpeech call_speech(const config::AnnouncementSettings& settings, Language language);

struct Needed {
  std::string words;
  std::string why;  // "numbers 5, 25, 35…", "letter И, I", "destination «касса»", "template «…»"
};

// Every fragment these calls can need, each once: numbers 0–9999 by place value, every
// letter name, the destination phrases and the templates' own words. Throws
// std::invalid_argument for a template with an unknown placeholder.
std::vector<Needed> needed_fragments(const CallSpeech& calls);

struct PackProblem {
  std::string where;  // manifest.toml:LINE
  std::string words;
  std::string file;
  std::string what;
};

struct PackCheck {
  std::vector<Needed> needed;
  std::vector<Needed> missing;                 // needed, not in the manifest
  std::vector<PackProblem> unusable;           // in the manifest, but unreadable, absent or silent
  std::vector<PackProblem> slowed;             // shorter than a syllable: the screen slows them
  std::vector<PackProblem> peak_limited;       // cannot reach the pack loudness without clipping
  std::vector<PackProblem> unneeded;           // in the manifest, never said by these calls
  std::size_t usable = 0;                      // needed fragments with a usable recording
  double quietest_lufs = 0, loudest_lufs = 0;  // of the usable recordings, as recorded
  bool complete() const { return missing.empty() && unusable.empty(); }
};

// Reads every recording `manifest` (of the pack in `folder`) lists, the chime too, as the
// screen would, and compares them with what `calls` need.
PackCheck check_pack(const std::filesystem::path& folder, const Manifest& manifest, const CallSpeech& calls);

}  // namespace tablo::sound
