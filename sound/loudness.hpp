#pragma once
// How loud a fragment sounds, by EBU R128 (ITU-R BS.1770 K-weighted loudness, libebur128),
// so that a recorded word, a word synthesised by espeak-ng and a word recorded another day
// on another microphone play equally loud in a call.
#include "sound/pcm.hpp"

namespace tablo::sound {

// Every fragment of a voice pack is played at this loudness: EBU R128's programme level.
// Not louder, because speech peaks up to about 21 dB above its loudness (espeak-ng's
// «пройдите»: -22 LUFS with peaks at -0.7 dBFS) and those peaks must stay under the
// ceiling without a limiter. A hall that wants it louder turns up its amplifier.
constexpr double pack_loudness_lufs = -23.0;
constexpr double peak_ceiling_dbfs = -1.0;

// The loudness of what sounds in `pcm` (margins and gaps left out), in LUFS, on its mono
// mix (a voice recorded in stereo and the same voice in mono measure the same). Up to 3 s
// of sound (R128's short-term window; every word, number and letter name): the K-weighted
// loudness over the whole of it, as one window of its own length. R128's integrated
// loudness gates 400 ms blocks, which a letter name of 0.1 s does not fill and a word of
// 0.6 s fills two or three times, its ends counting less than its middle; a trimmed word
// has no silence for the gate to leave out anyway. Longer (an operator's announcement):
// the integrated, gated loudness. -infinity for silence.
double loudness(const Pcm& pcm);

struct Levelled {
  double before_lufs = 0;  // as it was
  double gain_db = 0;
  bool peak_limited = false;  // quieter than asked: more gain would push its peaks past the ceiling
};

// Scales `pcm` to `target_lufs`, but never its peaks above peak_ceiling_dbfs. Silence is
// left as it is (gain 0).
Levelled set_loudness(Pcm& pcm, double target_lufs);

}  // namespace tablo::sound
