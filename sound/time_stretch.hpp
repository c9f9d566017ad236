#pragma once
// Slowing a fragment down without changing its pitch (Rubber Band, Debian's librubberband):
// for letter names too short to catch in an echoing hall.
#include "sound/pcm.hpp"

namespace tablo::sound {

// `pcm` played slower so that it lasts `seconds`, at the same pitch. Never shortens: a
// fragment already as long is returned as it is.
Pcm stretched(const Pcm& pcm, double seconds);

}  // namespace tablo::sound
