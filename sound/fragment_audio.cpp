#include "sound/fragment_audio.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "sound/time_stretch.hpp"

namespace tablo::sound {
namespace {

constexpr double silent_dbfs = -60;     // a recording whose loudest sample is under this holds no voice
constexpr double click_seconds = 0.02;  // less sound than this is a click, not a word to slow down
// Slowed a little past a syllable, so that trimming a slowed fragment again when a screen
// loads the built pack does not find it short and slow it a second time.
constexpr double slowed_seconds = syllable_seconds * 1.1;

bool silent(const Pcm& pcm) {
  float peak = 0;
  for (float s : pcm.samples) peak = std::max(peak, std::abs(s));
  return peak <= 0 || 20 * std::log10(peak) < silent_dbfs;
}

}  // namespace

FragmentAudio ready_to_join(Pcm recording) {
  if (silent(recording)) {
    throw SoundError(fmt::format("is silent (nothing louder than {} dBFS)", silent_dbfs));
  }
  recording.trim_silence();
  FragmentAudio out{std::move(recording), 0, false, {}};
  out.sounded_seconds = out.pcm.sounding_seconds();
  if (out.sounded_seconds < click_seconds) {
    throw SoundError(fmt::format("sounds for only {:.3f} s: a click, not a word", out.sounded_seconds));
  }
  if (out.sounded_seconds < syllable_seconds) {
    out.pcm = stretched(out.pcm, out.pcm.seconds() * slowed_seconds / out.sounded_seconds);
    out.pcm.fade_ends();
    out.slowed = true;
  }
  out.level = set_loudness(out.pcm, pack_loudness_lufs);
  return out;
}

FragmentAudio synthesise(Speech& speech, const std::string& words, Language language, PcmFormat format) {
  Pcm pcm = speech.say(words, language, format);
  if (silent(pcm)) {  // nothing to say: punctuation only
    return {std::move(pcm), 0, false, {-std::numeric_limits<double>::infinity(), 0, false}};
  }
  pcm.trim_silence();
  const double sounded = pcm.sounding_seconds();
  if (sounded >= syllable_seconds) return ready_to_join(std::move(pcm));
  // Just slow enough: espeak-ng lengthens vowels more than consonants, as a person speaking slowly does.
  const int rate = std::max(Speech::slowest_rate, static_cast<int>(Speech::normal_rate * sounded / slowed_seconds));
  FragmentAudio out = ready_to_join(speech.say(words, language, format, rate));
  out.sounded_seconds = sounded;
  out.slowed = true;
  return out;
}

}  // namespace tablo::sound
