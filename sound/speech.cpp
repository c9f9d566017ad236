#include "sound/speech.hpp"

#include <espeak-ng/speak_lib.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "sound/speakable.hpp"

namespace tablo::sound {
namespace {

int collect(short* wav, int count, espeak_EVENT* events) {
  auto* out = static_cast<std::vector<short>*>(events->user_data);
  if (wav && count > 0 && out) out->insert(out->end(), wav, wav + count);
  return 0;  // go on
}

// espeak-ng writes the phonemes of what it speaks to `file` while one lives.
struct PhonemeTrace {
  explicit PhonemeTrace(std::FILE* file) { espeak_SetPhonemeTrace(espeakPHONEMES_SHOW, file); }
  ~PhonemeTrace() { espeak_SetPhonemeTrace(0, nullptr); }
  PhonemeTrace(const PhonemeTrace&) = delete;
  PhonemeTrace& operator=(const PhonemeTrace&) = delete;
};

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

void Speech::synthesise(const std::string& text, Language language, std::vector<short>* samples, int words_per_minute) {
  if (espeak_SetVoiceByName(language == Language::ru ? "ru" : "en") != EE_OK) {
    throw SoundError(std::string("espeak-ng has no voice for ") + (language == Language::ru ? "Russian" : "English"));
  }
  espeak_SetParameter(espeakRATE, words_per_minute, 0);
  const std::string spoken = speakable(text, language);
  // espeakPHONEMES: the [[…]] of speakable() are phonemes (the espeak-ng program sets it itself).
  const auto status = espeak_Synth(spoken.c_str(), spoken.size() + 1, 0, POS_CHARACTER, 0,
                                   espeakCHARS_UTF8 | espeakPHONEMES, nullptr, samples);
  if (status != EE_OK) throw SoundError("espeak-ng could not speak \"" + text + "\"");
}

Pcm Speech::say(const std::string& text, Language language, PcmFormat format, int words_per_minute) {
  std::lock_guard lock(mutex_);
  std::vector<short> samples;
  synthesise(text, language, &samples, words_per_minute);
  return convert_s16_mono(samples.data(), samples.size(), rate_, format);
}

std::string Speech::phonemes(const std::string& text, Language language) {
  std::lock_guard lock(mutex_);
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> trace(std::tmpfile(), &std::fclose);
  if (!trace) throw SoundError("no temporary file for espeak-ng's phonemes");
  {
    const PhonemeTrace tracing(trace.get());
    synthesise(text, language, nullptr);
  }
  std::rewind(trace.get());
  std::string out;
  char buffer[512];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, trace.get())) out.append(buffer, n);
  // One line per clause; words separated by single spaces.
  std::string words;
  for (char c : out) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && (words.empty() || words.back() == ' ')) continue;
    words += space ? ' ' : c;
  }
  while (!words.empty() && words.back() == ' ') words.pop_back();
  return words;
}

}  // namespace tablo::sound
