#pragma once
// Offline text-to-speech with espeak-ng (Debian's libespeak-ng): for words a voice pack
// lacks and for operators' free-text announcements. No cloud voice, ever.
#include <mutex>
#include <string>
#include <vector>

#include "sound/pcm.hpp"
#include "sound/phrase.hpp"

namespace tablo::sound {

class Speech {
 public:
  // Throws SoundError when espeak-ng cannot start (its data is missing).
  Speech();
  Speech(const Speech&) = delete;
  Speech& operator=(const Speech&) = delete;

  // espeak-ng's speaking rates, words per minute: its own and the slowest it has.
  static constexpr int normal_rate = 175, slowest_rate = 80;

  // `text` spoken in `language` at `words_per_minute`, converted to `format`. espeak-ng is
  // given its speakable() form: the words it misreads as phonemes.
  Pcm say(const std::string& text, Language language, PcmFormat format, int words_per_minute = normal_rate);

  // The phonemes espeak-ng says `text` with, as `espeak-ng -x` writes them ("k Vkn'u" for
  // «к окну»): how tests hear what a hall would.
  std::string phonemes(const std::string& text, Language language);

 private:
  // Speaks `text` into `samples` (nullptr: only what is traced); the mutex is held.
  void synthesise(const std::string& text, Language language, std::vector<short>* samples,
                  int words_per_minute = normal_rate);

  std::mutex mutex_;  // espeak-ng is one engine: one sentence at a time
  int rate_ = 22050;
};

}  // namespace tablo::sound
