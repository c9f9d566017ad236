#pragma once
// What an announcement says, as the fragments a voice pack has recordings for:
// «{chime} Талон {ticket}, пройдите {destination} номер {window}» with А025 and 3 becomes
// chime · "талон" · "а" · "двадцать" · "пять" · pause · "пройдите" · "к окну" · "номер" · "три".
// Pure: no audio here.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "letters/letters.hpp"

namespace tablo::sound {

enum class Language { ru, en };

// "ru" or "en", as the settings and voice packs name a language.
std::string language_code(Language language);

struct Fragment {
  enum class Kind { words, chime, pause };
  Kind kind = Kind::words;
  std::string words;  // lower case, single spaces; empty for chime and pause
  bool operator==(const Fragment&) const = default;
};

// 0–9999 by place value, as queue systems speak them: 2025 → "две тысячи" "двадцать" "пять".
// Throws std::out_of_range outside 0–9999.
std::vector<std::string> number_words(int number, Language language);

// The name of one letter (a UTF-8 character), upper or lower case. Russian names Cyrillic
// letters and Latin ones by their own names: "Б" → "бэ", "B" → "бэ", "H" → "аш". English names
// Latin letters, and Cyrillic ones by what an English speaker sees: a look-alike by its Latin
// name ("Н" → "aitch", "В" → "bee"), the others by a spelling of their Russian name ("Ж" →
// "zheh"). Other characters give their own lower-case text.
std::string letter_name(std::string_view letter, Language language);

// A ticket or window as spoken: letters by name, digit runs as numbers without leading
// zeros (А025 → "а" "двадцать" "пять"; 000 → "ноль"); other characters are skipped. In
// Russian a word that mixes the alphabets is read as Cyrillic ("НO25" with a Latin O is
// "эн" "о" "двадцать" "пять"); the hub has already written tickets in their zone's alphabet
// (hub/ticket_letters.hpp), so that an "H025" typed in Latin reaches the screen as "Н025".
std::vector<std::string> spoken_code(std::string_view code, Language language);

// What is said after the verb for `destination` in `language`, from `destinations` (name →
// language → words; the branch's announcements.destination_words): окно → "к окну" in
// Russian, "window" in English. The name is taken in any case. Throws std::invalid_argument
// naming the destination and the language when it has no words in it.
std::string destination_phrase(std::string_view destination, Language language,
                               const std::map<std::string, config::DestinationWords>& destinations =
                                   config::built_in_destinations());

struct CallWords {
  std::string ticket;
  std::string window;
  std::string destination;  // as said after the verb: "к окну", "window" (destination_phrase)
};

// The fragments of `template_text` for a call. Placeholders: {chime} {ticket} {window}
// {destination}; a comma or full stop becomes a short pause; other text is spoken as is.
std::vector<Fragment> build_phrase(std::string_view template_text, const CallWords& call, Language language);

// The same words as one line of text, for the screen and for speech synthesis.
std::string spoken_text(const std::vector<Fragment>& fragments);

// The language's own templates, for a branch that sets none: the call and its short form.
std::string default_call_template(Language language);
std::string default_short_template(Language language);

// Every word fragment that calls can need in `language` with `template_text`: numbers by
// place value, letter names, the phrases of every destination with words in the language,
// and the template's own words. A voice pack that records all of them never needs speech
// synthesis for a call.
std::vector<std::string> vocabulary(Language language, std::string_view template_text,
                                    const std::map<std::string, config::DestinationWords>& destinations =
                                        config::built_in_destinations());

using letters::lower;

}  // namespace tablo::sound
