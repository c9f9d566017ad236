#include "sound/loudness.hpp"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace tablo::sound {
namespace {

struct StateFree {
  void operator()(ebur128_state* s) const { ebur128_destroy(&s); }
};

constexpr double short_term_seconds = 3.0;

std::vector<float> mono_mix(const Pcm& pcm) {
  const auto ch = static_cast<std::size_t>(pcm.format.channels);
  std::vector<float> mono(pcm.frames());
  for (std::size_t f = 0; f < mono.size(); ++f) {
    float sum = 0;
    for (std::size_t c = 0; c < ch; ++c) sum += pcm.samples[f * ch + c];
    mono[f] = sum / static_cast<float>(ch);
  }
  return mono;
}

}  // namespace

double loudness(const Pcm& pcm) {
  constexpr double silence = -std::numeric_limits<double>::infinity();
  // The margins and gaps around a word are not part of how loud it is.
  const Pcm sound = pcm.sounding();
  const auto whole_ms = static_cast<unsigned long>(sound.seconds() * 1000);
  if (whole_ms == 0) return silence;
  std::unique_ptr<ebur128_state, StateFree> state(
      ebur128_init(1, static_cast<unsigned long>(sound.format.rate), EBUR128_MODE_I | EBUR128_MODE_S));
  if (!state) throw SoundError("libebur128 could not start (out of memory?)");
  const auto mono = mono_mix(sound);
  ebur128_add_frames_float(state.get(), mono.data(), mono.size());
  double lufs = silence;
  const int status = sound.seconds() > short_term_seconds ? ebur128_loudness_global(state.get(), &lufs)
                                                          : ebur128_loudness_window(state.get(), whole_ms, &lufs);
  if (status != EBUR128_SUCCESS) throw SoundError("libebur128 could not measure a fragment's loudness");
  return std::isfinite(lufs) ? lufs : silence;  // libebur128 says -HUGE_VAL for silence
}

Levelled set_loudness(Pcm& pcm, double target_lufs) {
  const double now = loudness(pcm);
  float peak = 0;
  for (float s : pcm.samples) peak = std::max(peak, std::abs(s));
  if (!std::isfinite(now) || peak <= 0) return {now, 0, false};
  Levelled out{now, target_lufs - now, false};
  const double headroom_db = peak_ceiling_dbfs - 20 * std::log10(peak);
  if (out.gain_db > headroom_db) out = {now, headroom_db, true};
  const auto gain = static_cast<float>(std::pow(10.0, out.gain_db / 20));
  for (float& s : pcm.samples) s *= gain;
  return out;
}

}  // namespace tablo::sound
