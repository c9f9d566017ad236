#pragma once
// The hall's two alphabets in UTF-8. Tickets are printed in Cyrillic, but operators and
// integrators type some of their letters in Latin: A B C E H K M O P T X look exactly like
// А В С Е Н К М О Р Т Х, and so do lower-case a c e o p x y and а с е о р х у. Pure.
#include <string>
#include <string_view>

namespace tablo::letters {

enum class Script { cyrillic, latin };

// Lower and upper case of Latin and Cyrillic letters (Ё and ё too); other bytes unchanged.
std::string lower(std::string_view text);
std::string upper(std::string_view text);

bool has_cyrillic(std::string_view text);

// `text` with each word (a run of letters) written in `script` where it can be: a word whose
// letters are all of `script` or look like one of its letters is rewritten with those
// ("H025" → "Н025", "Kacca" → "Касса" in Cyrillic; "Н025" → "H025" in Latin). A word with a
// letter that looks like none of `script` keeps every letter as written ("Desk 3", "HF1",
// "Б12" in Latin). Digits, spaces and everything else are kept.
std::string in_script(std::string_view text, Script script);

// Whether `a` and `b` read the same in a hall: equal letter by letter once look-alikes are
// taken for one another ("A1" and "А1", "HF" and "НF").
bool look_alike(std::string_view a, std::string_view b);

}  // namespace tablo::letters
