#pragma once
// Every fragment a call is joined from is made ready the same way, recorded or synthesised:
// silence trimmed to a small margin with short fades (no holes and no clicks at the joins),
// at least a syllable long (a lone letter name, «и» or «а», is easy to miss in an echoing
// hall), and at the pack's loudness. tablo-voice-pack does it when it builds a pack, so the
// files are what the hall hears; the screen does it again when it loads one, so a pack put
// together by hand plays the same (a fragment made ready once is not changed again).
#include <string>

#include "sound/loudness.hpp"
#include "sound/pcm.hpp"
#include "sound/phrase.hpp"
#include "sound/speech.hpp"

namespace tablo::sound {

// The shortest a fragment may sound. A syllable of espeak-ng's Russian numbers at its own
// rate lasts 0.19 s on average («двадцать» 0.57 s, «пройдите» 0.44 s, «сто» 0.25 s), a
// syllable of a person calling tickets about the same.
constexpr double syllable_seconds = 0.2;

struct FragmentAudio {
  Pcm pcm;
  double sounded_seconds = 0;  // as recorded or synthesised, before any slowing
  bool slowed = false;         // said more slowly or stretched, to last a syllable
  Levelled level;              // its loudness as it came, and the gain that brought it to the pack's
};

// A recording made ready to join a call. Throws SoundError when it is silent.
FragmentAudio ready_to_join(Pcm recording);

// `words` synthesised with espeak-ng, made ready to join. A fragment that comes out shorter
// than a syllable is said again more slowly, down to espeak-ng's slowest rate (80 words a
// minute for 175: «а» 0.12 s becomes 0.28 s) and, when still short («и»: 0.04 s, then
// 0.10 s), stretched the rest of the way.
FragmentAudio synthesise(Speech& speech, const std::string& words, Language language, PcmFormat format);

}  // namespace tablo::sound
