#pragma once
// Offline text-to-speech with espeak-ng (Debian's libespeak-ng): for words a voice pack
// lacks and for operators' free-text announcements. No cloud voice, ever.
#include <mutex>
#include <string>

#include "sound/pcm.hpp"
#include "sound/phrase.hpp"

namespace tablo::sound {

class Speech {
 public:
  // Throws SoundError when espeak-ng cannot start (its data is missing).
  Speech();
  Speech(const Speech&) = delete;
  Speech& operator=(const Speech&) = delete;

  // `text` spoken in `language`, converted to `format`.
  Pcm say(const std::string& text, Language language, PcmFormat format);

 private:
  std::mutex mutex_;  // espeak-ng is one engine: one sentence at a time
  int rate_ = 22050;
};

}  // namespace tablo::sound
