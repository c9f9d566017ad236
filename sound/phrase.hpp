#pragma once
// What an announcement says, as the fragments a voice pack has recordings for:
// «{chime} Талон {ticket}, пройдите {destination} номер {window}» with А025 and 3 becomes
// chime · "талон" · "а" · "двадцать" · "пять" · pause · "пройдите" · "к окну" · "номер" · "три".
// Pure: no audio here.
#include <string>
#include <string_view>
#include <vector>

namespace tablo::sound {

enum class Language { ru, en };

struct Fragment {
  enum class Kind { words, chime, pause };
  Kind kind = Kind::words;
  std::string words;  // lower case, single spaces; empty for chime and pause
  bool operator==(const Fragment&) const = default;
};

// 0–9999 by place value, as queue systems speak them: 2025 → "две тысячи" "двадцать" "пять".
// Throws std::out_of_range outside 0–9999.
std::vector<std::string> number_words(int number, Language language);

// The name of one letter (a UTF-8 character): "А" → "а", "Б" → "бэ", "B" → "бэ" in Russian,
// "B" → "bee" in English. Unknown characters give their own lower-case text.
std::string letter_name(std::string_view letter, Language language);

// A ticket or window as spoken: letters by name, digit runs as numbers without leading
// zeros (А025 → "а" "двадцать" "пять"; 000 → "ноль"); other characters are skipped.
std::vector<std::string> spoken_code(std::string_view code, Language language);

// How the destination word is said after the verb: окно → "к окну", кабинет → "в кабинет",
// стойка → "к стойке", стол → "к столу"; window → "window". Other words are used as given.
std::string destination_phrase(std::string_view destination, Language language);

struct CallWords {
  std::string ticket;
  std::string window;
  std::string destination;  // "окно", "кабинет", …
};

// The fragments of `template_text` for a call. Placeholders: {chime} {ticket} {window}
// {destination}; a comma or full stop becomes a short pause; other text is spoken as is.
std::vector<Fragment> build_phrase(std::string_view template_text, const CallWords& call, Language language);

// The same words as one line of text, for the screen and for speech synthesis.
std::string spoken_text(const std::vector<Fragment>& fragments);

// Every word fragment that calls can need in `language` with `template_text`: numbers by
// place value, letter names, destination phrases and the template's own words. A voice
// pack that records all of them never needs speech synthesis for a call.
std::vector<std::string> vocabulary(Language language, std::string_view template_text);

// Lower case for Latin and Cyrillic letters in UTF-8; other bytes unchanged.
std::string lower(std::string_view text);

}  // namespace tablo::sound
