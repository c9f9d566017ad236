#include "sound/speech.hpp"

#include <espeak-ng/speak_lib.h>

#include <vector>


namespace tablo::sound {
namespace {

int collect(short* wav, int count, espeak_EVENT* events) {
  auto* out = static_cast<std::vector<short>*>(events->user_data);
  if (wav && count > 0 && out) out->insert(out->end(), wav, wav + count);
  return 0;  // go on
}

}  // namespace

// espeak-ng is one engine per process and does not start cleanly twice: started on first
// use, left running until the process ends.
int engine_rate() {
  static const int rate = [] {
    const int r = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (r > 0) espeak_SetSynthCallback(collect);
    return r;
  }();
  return rate;
}

Speech::Speech() : rate_(engine_rate()) {
  if (rate_ <= 0) throw SoundError("espeak-ng could not start (is espeak-ng-data installed?)");
}

Pcm Speech::say(const std::string& text, Language language, PcmFormat format, int words_per_minute) {
  std::lock_guard lock(mutex_);
  if (espeak_SetVoiceByName(language == Language::ru ? "ru" : "en") != EE_OK) {
    throw SoundError(std::string("espeak-ng has no voice for ") + (language == Language::ru ? "Russian" : "English"));
  }
  espeak_SetParameter(espeakRATE, words_per_minute, 0);
  std::vector<short> samples;
  const auto status = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
                                   &samples);
  if (status != EE_OK) throw SoundError("espeak-ng could not speak \"" + text + "\"");
  return convert_s16_mono(samples.data(), samples.size(), rate_, format);
}

}  // namespace tablo::sound
