// The hall's two alphabets: cases and look-alike letters.
#include <catch2/catch.hpp>

#include "letters/letters.hpp"

using namespace tablo::letters;

TEST_CASE("lower and upper case cover Latin and Cyrillic, Ё included") {
  CHECK(lower("ТАЛОН Ёлка ABC") == "талон ёлка abc");
  CHECK(upper("талон ёлка abc 25") == "ТАЛОН ЁЛКА ABC 25");
  CHECK(upper("\xff а") == "\xff А");  // a byte that is no UTF-8 stays as it is
}

TEST_CASE("a word of look-alikes is written in the asked alphabet, lower case too") {
  CHECK(in_script("H025", Script::cyrillic) == "Н025");
  CHECK(in_script("ABCEHKMOPTX", Script::cyrillic) == "АВСЕНКМОРТХ");
  CHECK(in_script("Kacca 3", Script::cyrillic) == "Касса 3");
  CHECK(in_script("НВ025", Script::latin) == "HB025");
  CHECK(in_script("aceopxy", Script::cyrillic) == "асеорху");
}

TEST_CASE("a word with a letter that looks like none of the alphabet keeps every letter") {
  CHECK(in_script("Desk 3", Script::cyrillic) == "Desk 3");  // D, s, k: English, not Cyrillic
  CHECK(in_script("HF1", Script::cyrillic) == "HF1");
  CHECK(in_script("Б12", Script::latin) == "Б12");
  CHECK(in_script("HБ12", Script::cyrillic) == "НБ12");  // the Latin H of a Cyrillic word
}

TEST_CASE("look-alikes are the same name for a hall, letter by letter") {
  CHECK(look_alike("A1", "А1"));
  CHECK(look_alike("HF", "НF"));
  CHECK_FALSE(look_alike("A1", "Б1"));
  CHECK_FALSE(look_alike("a1", "А1"));  // case is the writer's
}

TEST_CASE("Cyrillic is found wherever it is") {
  CHECK(has_cyrillic("window 3 ж"));
  CHECK_FALSE(has_cyrillic("window 3"));
}
