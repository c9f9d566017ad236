#pragma once
// A voice pack: a folder of short recordings (words, numbers, letter names, a chime) and
// its manifest.toml (sound/manifest.hpp). Every recording and every synthesised word is
// made ready to join the same way (sound/fragment_audio.hpp): trimmed, faded, at least a
// syllable long, at one loudness. Words the pack lacks, and recordings that cannot be used,
// are synthesised with espeak-ng, once each, with a warning naming them.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sound/pcm.hpp"
#include "sound/phrase.hpp"
#include "sound/speech.hpp"

namespace tablo::sound {

class VoicePack {
 public:
  // `folder` empty: no recordings, every word synthesised in `language`. Throws SoundError
  // naming manifest.toml with line and column when the manifest is missing or wrong; a
  // recording that cannot be read or is silent is a warning naming its file.
  VoicePack(const std::filesystem::path& folder, Language language, PcmFormat format, Speech& speech);

  Language language() const { return language_; }
  const std::string& name() const { return name_; }

  // The fragments one after another, with a short pause for each comma.
  Pcm say(const std::vector<Fragment>& fragments);
  // Free text, synthesised whole (an operator's announcement), at the pack's loudness.
  Pcm say_text(const std::string& text);

  std::size_t recorded() const { return recordings_.size(); }
  const std::set<std::string>& synthesised() const { return synthesised_; }

 private:
  const Pcm& words(const std::string& words);

  std::filesystem::path folder_;
  Language language_;
  PcmFormat format_;
  Speech& speech_;
  std::string name_ = "espeak-ng";
  Pcm chime_;
  std::map<std::string, Pcm> recordings_;
  std::map<std::string, Pcm> synthesised_cache_;
  std::set<std::string> synthesised_;
};

// A two-tone "ding-dong", for packs without a chime of their own.
Pcm default_chime(PcmFormat format);

// A pack's own chime brought to the loudness of the built-in one (-20 LUFS, 3 LU over the
// words: it is there to be noticed), whatever level it was recorded at.
void level_chime(Pcm& chime);

}  // namespace tablo::sound
