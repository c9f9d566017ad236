// What espeak-ng says, heard through its own phonemes (as `espeak-ng -x` writes them): every
// word a call can be made of, given to espeak-ng the way Speech gives it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "sound/speakable.hpp"
#include "sound/speech.hpp"

using namespace tablo::sound;

namespace {

std::string heard(const std::string& words, Language language) {
  static Speech speech;
  return speech.phonemes(words, language);
}

std::vector<std::string> split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Every word fragment of a call in `language` with the default call and short templates.
std::vector<std::string> fragments(Language language) {
  auto words = vocabulary(language, default_call_template(language));
  for (const auto& w : vocabulary(language, default_short_template(language)))
    if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
  return words;
}

bool lone_consonant(const std::string& word) {
  for (const char* c : {"к", "в", "с", "ж", "б"})
    if (word == c) return true;
  return false;
}

// A consonant said alone: no stress and none of espeak-ng's vowels.
bool consonant_only(const std::string& phonemes) { return phonemes.find_first_of("'aAeEiIoOuUyV@380") == std::string::npos; }

}  // namespace

TEST_CASE("«к окну» is said with [k], not with the letter name «ка»") {
  CHECK(heard("к окну", Language::ru) == "k Vkn'u");
  CHECK(heard("к стойке", Language::ru) == "k st'ojk;i");
  CHECK(heard("к столу", Language::ru) == "k st'olu");
  CHECK(heard("в кабинет", Language::ru) == "f kVb;in;'et");
}

TEST_CASE("no lone consonant preposition of a Russian call is given a vowel") {
  auto words = fragments(Language::ru);
  for (const char* more : {"к дому", "к врачу", "с другом", "с талоном", "в зал", "пройдите к окну 5"}) words.push_back(more);
  for (const auto& fragment : words) {
    const auto said = heard(fragment, Language::ru);
    INFO(fragment << " → " << said);
    const auto text = split(fragment), phonemes = split(said);
    REQUIRE(text.size() == phonemes.size());
    for (std::size_t i = 0; i < text.size(); ++i)
      if (lone_consonant(text[i])) CHECK(consonant_only(phonemes[i]));
    CHECK(said.find("k'A ") == std::string::npos);  // «ка» only where the letter is meant
  }
}

TEST_CASE("«к» is voiced before a voiced consonant, as it is said: «к дому» [g]") {
  CHECK(heard("к дому", Language::ru) == "g d'omu");
  CHECK(heard("к залу", Language::ru) == "g z'Alu");
  CHECK(heard("с другом", Language::ru) == "z d@-r'ugVm");
  CHECK(heard("к 2 окну", Language::ru).starts_with("g dv'A"));  // «к двум»
  CHECK(heard("к врачу", Language::ru).starts_with("k v"));      // в voices nothing before it
  CHECK(heard("к 5 окну", Language::ru).starts_with("k p"));
}

TEST_CASE("every Russian and English fragment is said in its own language, with a stress") {
  for (auto language : {Language::ru, Language::en}) {
    for (const auto& fragment : fragments(language)) {
      const auto said = heard(fragment, language);
      INFO(fragment << " → " << said);
      CHECK(said.find("(en)") == std::string::npos);  // espeak-ng switching voices: a foreign word
      CHECK(said.find("(ru)") == std::string::npos);
      CHECK(said.find('\'') != std::string::npos);
    }
  }
}

TEST_CASE("English letter names sound as the letters: A is /eɪ/, not «eye»") {
  const std::vector<std::pair<std::string, std::string>> letters{
      {"A", "'eI"},  {"B", "b'i:"},   {"C", "s'i:"},  {"D", "d'i:"},  {"E", "'i:"}, {"F", "'Ef"},  {"G", "dZ'i:"},
      {"H", "'eItS"}, {"I", "'aI"},   {"J", "dZ'eI"}, {"K", "k'eI"},  {"L", "'El"}, {"M", "'Em"},  {"N", "'En"},
      {"O", "'oU"},  {"P", "p'i:"},   {"Q", "kj'u:"}, {"R", "'A@"},   {"S", "'Es"}, {"T", "t'i:"}, {"U", "j'u:"},
      {"V", "v'i:"}, {"W", "d'Vb@L ju:"}, {"X", "'Eks"}, {"Y", "w'aI"}, {"Z", "z'Ed"},
      // Cyrillic letters an English speaker cannot read by their shape
      {"Б", "b'E"},  {"Г", "g'E"},   {"Д", "d'E"},   {"Ж", "Z'E"},   {"З", "z'E"},  {"П", "p'E"},  {"Ц", "ts'E"},
      {"Ч", "tS'E"}, {"Щ", "StS'A:"}, {"Э", "'E"},   {"Ы", "j'Eri"}, {"Я", "j'A:"}, {"Ю", "j'u:"}, {"Ш", "S'A:"}};
  for (const auto& [letter, phonemes] : letters) {
    INFO(letter << " is named \"" << letter_name(letter, Language::en) << "\"");
    CHECK(heard(letter_name(letter, Language::en), Language::en) == phonemes);
  }
  // Look-alikes sound as the Latin letter they look like.
  CHECK(heard(letter_name("Н", Language::en), Language::en) == "'eItS");
  CHECK(heard(letter_name("А", Language::en), Language::en) == "'eI");
}

TEST_CASE("Russian letter names are said as names: «э» is [ɛ] like «бэ», «ка» stays the letter") {
  CHECK(heard(letter_name("Э", Language::ru), Language::ru) == "'E");
  CHECK(heard(letter_name("К", Language::ru), Language::ru) == "k'A");
  CHECK(heard(letter_name("Н", Language::ru), Language::ru) == "'En_");
}

TEST_CASE("a whole call is said as its fragments are") {
  const auto phrase = build_phrase(default_call_template(Language::ru), CallWords{"А025", "3", "к окну"}, Language::ru);
  CHECK(heard(spoken_text(phrase), Language::ru) ==
        "tal'on_ 'A dv'AdtsVt; p;'At; p@-rVjd;'it;i k Vkn'u n'om;ir t@-r;'I");
  const auto english = build_phrase(default_call_template(Language::en), CallWords{"А025", "3", "window"}, Language::en);
  CHECK(heard(spoken_text(english), Language::en) == "t'IkI2t 'eI tw'Enti f'aIv pl'i:z g,oU t@ w'IndoU Tr'i:");
}

TEST_CASE("an operator's text is said with the same care, and a ticket's letter in it is named") {
  CHECK(heard("Пройдите к окну 5", Language::ru).find("k Vkn'u") != std::string::npos);
  CHECK(heard("ПРОЙДИТЕ К ОКНУ 5", Language::ru).find("k Vkn'u") != std::string::npos);
  CHECK(heard("К окну 5", Language::ru).starts_with("k Vkn'u"));
  CHECK(heard("Талон К 25", Language::ru).starts_with("tal'on_ k'A "));  // the letter, not the preposition
  CHECK(heard("Ticket A 25, please", Language::en).starts_with("t'IkI2t 'eI "));
}

TEST_CASE("the words stay words: phonemes are only what espeak-ng is given") {
  CHECK(speakable("пройдите к окну", Language::ru) == "пройдите [[k]] окну");
  CHECK(speakable("ticket ay twenty five", Language::en) == "ticket [['eI]] twenty five");
  CHECK(speakable("талон а двадцать пять", Language::ru) == "талон а двадцать пять");
  // An operator's "[[" is text, not phonemes.
  CHECK(speakable("[[k]]", Language::ru) == "[ [k]]");
  CHECK(heard("[[k]]", Language::ru) != "k");
}
