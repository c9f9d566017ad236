#pragma once
// A voice pack: a folder of short recordings (words, numbers, letter names, a chime) and
// its manifest.toml. Words the pack lacks are synthesised with espeak-ng, once each, and
// said once in the log. A recorded pack from a real announcer drops in as a folder.
//
//   language = "ru"
//   name = "espeak-ng, Russian"
//   chime = "chime.wav"
//   [words]
//   "талон" = "talon.wav"
//   "двадцать" = "20.wav"
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
  // naming manifest.toml with line and column, or the recording that cannot be read.
  VoicePack(const std::filesystem::path& folder, Language language, PcmFormat format, Speech& speech);

  Language language() const { return language_; }
  const std::string& name() const { return name_; }

  // The fragments one after another, with a short pause for each comma.
  Pcm say(const std::vector<Fragment>& fragments);
  // Free text, synthesised whole (an operator's announcement).
  Pcm say_text(const std::string& text);

  std::size_t recorded() const { return recordings_.size(); }
  const std::set<std::string>& synthesised() const { return synthesised_; }

 private:
  const Pcm& words(const std::string& words);

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

}  // namespace tablo::sound
