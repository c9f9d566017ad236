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

TEST_CASE("the destination word takes its form after the verb") {
  CHECK(destination_phrase("окно", Language::ru) == "к окну");
  CHECK(destination_phrase("Кабинет", Language::ru) == "в кабинет");
  CHECK(destination_phrase("стойка", Language::ru) == "к стойке");
  CHECK(destination_phrase("стол", Language::ru) == "к столу");
  CHECK(destination_phrase("касса", Language::ru) == "касса");
  CHECK(destination_phrase("window", Language::en) == "window");
}

TEST_CASE("a template becomes chime, words and pauses") {
  using K = Fragment::Kind;
  auto phrase = build_phrase("{chime} Талон {ticket}, пройдите {destination} номер {window}",
                             CallWords{"А025", "3", "окно"}, Language::ru);
  std::vector<Fragment> expected{{K::chime, ""},      {K::words, "талон"}, {K::words, "а"},
                                 {K::words, "двадцать"}, {K::words, "пять"}, {K::pause, ""},
                                 {K::words, "пройдите"}, {K::words, "к окну"}, {K::words, "номер"},
                                 {K::words, "три"}};
  CHECK(phrase == expected);
  CHECK(spoken_text(phrase) == "талон а двадцать пять, пройдите к окну номер три");
}

TEST_CASE("an English template reads the same call") {
  auto phrase = build_phrase("{chime} Ticket {ticket}, please go to {destination} {window}.",
                             CallWords{"A025", "3", "window"}, Language::en);
  CHECK(spoken_text(phrase) == "ticket ay twenty five, please go to window three,");
}

TEST_CASE("an unknown placeholder is an error naming it") {
  CHECK_THROWS_WITH(build_phrase("Талон {tiket}", CallWords{"А1", "1", "окно"}, Language::ru),
                    Catch::Contains("{tiket}"));
}

TEST_CASE("lower case covers Latin and Cyrillic, including Ё") {
  CHECK(lower("ТАЛОН Ёлка ABC") == "талон ёлка abc");
}

TEST_CASE("the vocabulary holds every word a call can need") {
  for (auto language : {Language::ru, Language::en}) {
    const std::string tmpl = language == Language::ru
                                 ? "{chime} Талон {ticket}, пройдите {destination} номер {window}"
                                 : "{chime} Ticket {ticket}, please go to {destination} {window}";
    const auto words = vocabulary(language, tmpl);
    const auto tickets = language == Language::ru ? std::vector<std::string>{"А025", "Б1999", "В9999", "Z7", "Я100"}
                                                  : std::vector<std::string>{"A025", "B1999", "C9999", "Z7"};
    for (const auto& ticket : tickets) {
      for (const auto& f : build_phrase(tmpl, CallWords{ticket, "12", language == Language::ru ? "кабинет" : "window"}, language)) {
        if (f.kind != Fragment::Kind::words) continue;
        INFO(ticket << ": " << f.words);
        CHECK(std::find(words.begin(), words.end(), f.words) != words.end());
      }
    }
  }
}
