#include "sound/speakable.hpp"

#include <map>
#include <vector>

#include "letters/letters.hpp"

namespace tablo::sound {
namespace {

struct Token {
  enum class Kind { word, number, other };
  Kind kind = Kind::other;
  std::string text;
};

// Latin letters and the two-byte Cyrillic block (lead bytes D0–D3); everything else, « » — …
// included, is not part of a word.
std::size_t letter_length(std::string_view text, std::size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return 1;
  if (c >= 0xD0 && c <= 0xD3 && at + 1 < text.size() && (static_cast<unsigned char>(text[at + 1]) & 0xC0) == 0x80) return 2;
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Words, numbers and what is between them. A "[[" in an operator's text would switch
// espeak-ng to phonemes: "[ [" keeps it text.
std::vector<Token> tokens_of(std::string_view text) {
  std::vector<Token> tokens;
  for (std::size_t at = 0; at < text.size();) {
    const auto letter = letter_length(text, at);
    const auto kind = letter ? Token::Kind::word : is_digit(text[at]) ? Token::Kind::number : Token::Kind::other;
    const auto piece = text.substr(at, letter ? letter : 1);
    if (tokens.empty() || tokens.back().kind != kind) tokens.push_back({kind, ""});
    if (piece == "[" && tokens.back().text.ends_with('[')) tokens.back().text += ' ';
    tokens.back().text += piece;
    at += piece.size();
  }
  return tokens;
}

bool all_capitals(const std::string& word) { return letters::upper(word) == word && letters::lower(word) != word; }
bool one_letter(const std::string& word) { return word.size() == letter_length(word, 0); }
bool ends_sentence(const std::string& text) { return text.find_first_of(".!?\n") != std::string::npos; }

// The first letter of what the next word or number is said as, lower case; "" when a pause
// or the end comes first.
std::string next_sound(const std::vector<Token>& tokens, std::size_t i) {
  if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::other &&
      tokens[i + 1].text.find_first_not_of(" \t") == std::string::npos)
    ++i;
  if (i + 1 >= tokens.size()) return "";
  const Token& next = tokens[i + 1];
  std::string said = next.text;
  if (next.kind == Token::Kind::number) {
    const auto digits = said.substr(0, said.size() <= 4 ? said.size() : 1);
    said = number_words(std::stoi(digits), Language::ru).front();
  } else if (next.kind != Token::Kind::word) {
    return "";
  }
  return letters::lower(said.substr(0, letter_length(said, 0)));
}

// Voiced consonants that voice the consonant before them (в does not: «к врачу» is [k]).
bool voices(const std::string& sound) {
  for (const char* c : {"б", "г", "д", "ж", "з"})
    if (sound == c) return true;
  return false;
}

std::string russian(const std::string& word, const std::string& next) {
  const std::string w = letters::lower(word);
  if (w == "к") return voices(next) ? "[[g]]" : "[[k]]";
  if (w == "с" && voices(next)) return "[[z]]";
  if (w == "э") return "[['E]]";  // alone espeak-ng says [e], as in «е» without its [j]
  return word;
}

// English letter names espeak-ng reads otherwise: "ay" as "eye", "geh" as "jay"…
const std::map<std::string, std::string, std::less<>> english_phonemes{
    {"ay", "[['eI]]"},     {"beh", "[[b'E]]"},   {"geh", "[[g'E]]"},   {"deh", "[[d'E]]"},
    {"zheh", "[[Z'E]]"},   {"zeh", "[[z'E]]"},   {"peh", "[[p'E]]"},   {"tseh", "[[ts'E]]"},
    {"cheh", "[[tS'E]]"},  {"shchah", "[[StS'A:]]"}, {"eh", "[['E]]"}, {"yery", "[[j'Eri]]"}};

std::string english(const std::string& word) {
  const auto it = english_phonemes.find(letters::lower(word));
  return it == english_phonemes.end() ? word : it->second;
}

}  // namespace

std::string speakable(std::string_view text, Language language) {
  const auto tokens = tokens_of(text);
  std::string out;
  const std::string* previous_word = nullptr;  // in this sentence
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != Token::Kind::word) {
      out += t.text;
      if (ends_sentence(t.text)) previous_word = nullptr;
      continue;
    }
    std::string word = t.text;
    // «Талон К 25»: a capital letter in the middle of a sentence in lower case is not «к».
    if (one_letter(word) && all_capitals(word) && previous_word && !all_capitals(*previous_word))
      word = letter_name(word, language);
    out += language == Language::ru ? russian(word, next_sound(tokens, i)) : english(word);
    previous_word = &t.text;
  }
  return out;
}

}  // namespace tablo::sound
