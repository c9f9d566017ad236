#include <catch2/catch.hpp>

#include <algorithm>

#include "sound/phrase.hpp"

using namespace tablo::sound;

namespace {

std::string said(int n, Language l = Language::ru) {
  std::string out;
  for (const auto& w : number_words(n, l)) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string said_code(const std::string& code, Language l = Language::ru) {
  std::string out;
  for (const auto& w : spoken_code(code, l)) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

TEST_CASE("numbers are spoken by place value with the right Russian forms") {
  CHECK(said(0) == "ноль");
  CHECK(said(1) == "один");
  CHECK(said(2) == "два");
  CHECK(said(5) == "пять");
  CHECK(said(11) == "одиннадцать");
  CHECK(said(12) == "двенадцать");
  CHECK(said(13) == "тринадцать");
  CHECK(said(14) == "четырнадцать");
  CHECK(said(15) == "пятнадцать");
  CHECK(said(16) == "шестнадцать");
  CHECK(said(17) == "семнадцать");
  CHECK(said(18) == "восемнадцать");
  CHECK(said(19) == "девятнадцать");
  CHECK(said(20) == "двадцать");
  CHECK(said(21) == "двадцать один");
  CHECK(said(40) == "сорок");
  CHECK(said(90) == "девяносто");
  CHECK(said(100) == "сто");
  CHECK(said(101) == "сто один");
  CHECK(said(110) == "сто десять");
  CHECK(said(200) == "двести");
  CHECK(said(999) == "девятьсот девяносто девять");
  CHECK(said(1000) == "одна тысяча");
  CHECK(said(1001) == "одна тысяча один");
  CHECK(said(2000) == "две тысячи");
  CHECK(said(4000) == "четыре тысячи");
  CHECK(said(5000) == "пять тысяч");
  CHECK(said(9999) == "девять тысяч девятьсот девяносто девять");
}

TEST_CASE("numbers are spoken in English too") {
  CHECK(said(0, Language::en) == "zero");
  CHECK(said(25, Language::en) == "twenty five");
  CHECK(said(110, Language::en) == "one hundred ten");
  CHECK(said(2001, Language::en) == "two thousand one");
}

TEST_CASE("numbers outside 0–9999 are refused") {
  CHECK_THROWS_AS(number_words(10000, Language::ru), std::out_of_range);
  CHECK_THROWS_AS(number_words(-1, Language::ru), std::out_of_range);
}

TEST_CASE("a ticket is spoken as letter names and a number without leading zeros") {
  CHECK(said_code("А025") == "а двадцать пять");
  CHECK(said_code("Б101") == "бэ сто один");
  CHECK(said_code("а7") == "а семь");
  CHECK(said_code("ЭЮ003") == "э ю три");
  CHECK(said_code("A000") == "а ноль");
  CHECK(said_code("B12") == "бэ двенадцать");  // Latin letter, Russian reading
  CHECK(said_code("B12", Language::en) == "bee twelve");
  CHECK(said_code("12А") == "двенадцать а");
  CHECK(said_code("К-15") == "ка пятнадцать");  // the dash is not spoken
  CHECK(said_code("123456") == "один два три четыре пять шесть");  // too long for a number
}

TEST_CASE("letters are named by a fixed table, upper or lower case") {
  CHECK(letter_name("Л", Language::ru) == "эль");
  CHECK(letter_name("л", Language::ru) == "эль");
  CHECK(letter_name("Я", Language::ru) == "я");
  CHECK(letter_name("W", Language::ru) == "дубль вэ");
  CHECK(letter_name("H", Language::en) == "aitch");
}

TEST_CASE("a word typed in both alphabets is read in Cyrillic, the way the hall reads it") {
  // Н and О in Cyrillic, then with either typed in Latin: one ticket, one reading.
  CHECK(said_code("НО25") == "эн о двадцать пять");
  CHECK(said_code("HО25") == "эн о двадцать пять");
  CHECK(said_code("НO25") == "эн о двадцать пять");
  CHECK(said_code("нo25") == "эн о двадцать пять");
  CHECK(said_code("ВAСЯ1") == "вэ а эс я один");
  // A word all in Latin is Latin: the hub has already written the zone's tickets in its alphabet.
  CHECK(said_code("HF1") == "аш эф один");
}

TEST_CASE("an English voice names Cyrillic letters as an English speaker sees them") {
  CHECK(said_code("Н025", Language::en) == said_code("H025", Language::en));
  CHECK(said_code("Н025", Language::en) == "aitch twenty five");
  CHECK(said_code("ВСЕ1", Language::en) == "bee see ee one");
  CHECK(said_code("Ж7", Language::en) == "zheh seven");
  CHECK(said_code("ї7", Language::en) == "seven");  // no English name: not said in Cyrillic either
}

TEST_CASE("the destination word takes its form after the verb, in each language") {
  CHECK(destination_phrase("окно", Language::ru) == "к окну");
  CHECK(destination_phrase("Кабинет", Language::ru) == "в кабинет");
  CHECK(destination_phrase("стойка", Language::ru) == "к стойке");
  CHECK(destination_phrase("стол", Language::ru) == "к столу");
  CHECK(destination_phrase("окно", Language::en) == "window");
  CHECK(destination_phrase("кабинет", Language::en) == "room");
  CHECK(destination_phrase("стойка", Language::en) == "counter");
  CHECK(destination_phrase("стол", Language::en) == "desk");
  CHECK(destination_phrase("Window", Language::ru) == "к окну");
  CHECK(destination_phrase("desk", Language::en) == "desk");
}

TEST_CASE("a destination without words in the language is an error naming it, not another language's word") {
  CHECK_THROWS_WITH(destination_phrase("касса", Language::ru), Catch::Contains("\"касса\"") && Catch::Contains("Russian"));
  auto destinations = tablo::config::built_in_destinations();
  destinations["касса"] = {{"ru", "к кассе"}};
  CHECK(destination_phrase("касса", Language::ru, destinations) == "к кассе");
  CHECK_THROWS_WITH(destination_phrase("касса", Language::en, destinations),
                    Catch::Contains("касса") && Catch::Contains("English") && Catch::Contains("destination_words"));
}

TEST_CASE("a template becomes chime, words and pauses") {
  using K = Fragment::Kind;
  auto phrase = build_phrase("{chime} Талон {ticket}, пройдите {destination} номер {window}",
                             CallWords{"А025", "3", "к окну"}, Language::ru);
  std::vector<Fragment> expected{{K::chime, ""},      {K::words, "талон"}, {K::words, "а"},
                                 {K::words, "двадцать"}, {K::words, "пять"}, {K::pause, ""},
                                 {K::words, "пройдите"}, {K::words, "к окну"}, {K::words, "номер"},
                                 {K::words, "три"}};
  CHECK(phrase == expected);
  CHECK(spoken_text(phrase) == "талон а двадцать пять, пройдите к окну номер три");
}

TEST_CASE("an English template reads the same call") {
  auto phrase = build_phrase("{chime} Ticket {ticket}, please go to {destination} {window}.",
                             CallWords{"A025", "3", destination_phrase("окно", Language::en)}, Language::en);
  CHECK(spoken_text(phrase) == "ticket ay twenty five, please go to window three,");
}

TEST_CASE("an unknown placeholder is an error naming it") {
  CHECK_THROWS_WITH(build_phrase("Талон {tiket}", CallWords{"А1", "1", "к окну"}, Language::ru),
                    Catch::Contains("{tiket}"));
}

TEST_CASE("lower case covers Latin and Cyrillic, including Ё") {
  CHECK(lower("ТАЛОН Ёлка ABC") == "талон ёлка abc");
}

TEST_CASE("the vocabulary holds every word a call can need") {
  auto destinations = tablo::config::built_in_destinations();
  destinations["касса"] = {{"ru", "к кассе"}, {"en", "cash desk"}};
  for (auto language : {Language::ru, Language::en}) {
    for (const auto& tmpl : {default_call_template(language), default_short_template(language)}) {
      const auto words = vocabulary(language, tmpl, destinations);
      const auto tickets = language == Language::ru ? std::vector<std::string>{"А025", "Б1999", "В9999", "Z7", "Я100", "HО1"}
                                                    : std::vector<std::string>{"A025", "B1999", "C9999", "Z7", "Ж12"};
      for (const auto& ticket : tickets) {
        for (const auto& [name, unused] : destinations) {
          const CallWords call{ticket, "12", destination_phrase(name, language, destinations)};
          for (const auto& f : build_phrase(tmpl, call, language)) {
            if (f.kind != Fragment::Kind::words) continue;
            INFO(tmpl << " " << ticket << " " << name << ": " << f.words);
            CHECK(std::find(words.begin(), words.end(), f.words) != words.end());
          }
        }
      }
    }
  }
}

TEST_CASE("the built-in vocabulary has every destination phrase of its language") {
  const auto russian = vocabulary(Language::ru, default_call_template(Language::ru));
  for (const char* phrase : {"к окну", "в кабинет", "к стойке", "к столу"})
    CHECK(std::find(russian.begin(), russian.end(), phrase) != russian.end());
  const auto english = vocabulary(Language::en, default_call_template(Language::en));
  for (const char* phrase : {"window", "room", "counter", "desk"})
    CHECK(std::find(english.begin(), english.end(), phrase) != english.end());
}

TEST_CASE("an English voice is given no Cyrillic: no letter name, destination or call word") {
  const auto words = vocabulary(Language::en, default_call_template(Language::en));
  for (const auto& word : vocabulary(Language::en, default_short_template(Language::en))) {
    INFO(word);
    CHECK_FALSE(tablo::letters::has_cyrillic(word));
  }
  for (const auto& word : words) {
    INFO(word);
    CHECK_FALSE(tablo::letters::has_cyrillic(word));
  }
  // Every ticket letter of a Russian branch, through a call with every built-in destination.
  std::string alphabet = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя";
  for (const auto& [name, unused] : tablo::config::built_in_destinations()) {
    const CallWords call{alphabet + "025", "Касса 3", destination_phrase(name, Language::en)};
    const auto text = spoken_text(build_phrase(default_call_template(Language::en), call, Language::en));
    INFO(text);
    CHECK_FALSE(tablo::letters::has_cyrillic(text));
  }
}
