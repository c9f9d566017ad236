#pragma once
// What espeak-ng is given to say some words: the same words, with the few it misreads written
// in its own phoneme codes between [[ ]]. espeak-ng takes the lone preposition «к» for the
// letter «ка» («к окну» is `k'A Vkn'u`) and the English letter name "ay" for "eye"; the list
// and the reasons are in docs/ANNOUNCEMENTS.md, "Pronunciation". What the screen shows, the
// log and a voice pack's keys stay the plain words: only speech sees this.
#include <string>
#include <string_view>

#include "sound/phrase.hpp"

namespace tablo::sound {

// Russian: a lone «к» is [[k]], or [[g]] before б г д ж з as it is said («к дому»); a lone
// «с» is [[z]] before them; «э» is [['E]]. English: the letter names espeak-ng misreads ("ay",
// the spellings of Cyrillic letters). In operators' texts a lone capital letter after a word
// in lower case is a ticket's letter and is named («Талон К 25» → «талон ка 25»). A "[[" in
// `text` is not taken for phonemes.
std::string speakable(std::string_view text, Language language);

}  // namespace tablo::sound
