#include "sound/phrase.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <stdexcept>

namespace tablo::sound {
namespace {

struct NumberNames {
  std::array<const char*, 20> small;      // 0–19
  std::array<const char*, 10> tens;       // [2]..[9]
  std::array<const char*, 10> hundreds;   // [1]..[9]
  std::array<const char*, 10> thousands;  // [1]..[9]
};

const NumberNames russian{
    {"ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять", "десять", "одиннадцать",
     "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать",
     "девятнадцать"},
    {"", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"},
    {"", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"},
    {"", "одна тысяча", "две тысячи", "три тысячи", "четыре тысячи", "пять тысяч", "шесть тысяч", "семь тысяч",
     "восемь тысяч", "девять тысяч"}};

const NumberNames english{
    {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"},
    {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"},
    {"", "one hundred", "two hundred", "three hundred", "four hundred", "five hundred", "six hundred",
     "seven hundred", "eight hundred", "nine hundred"},
    {"", "one thousand", "two thousand", "three thousand", "four thousand", "five thousand", "six thousand",
     "seven thousand", "eight thousand", "nine thousand"}};

// Letter names, Russian reading: Cyrillic letters and the Latin ones printed on tickets.
const std::map<std::string, std::string, std::less<>> russian_letters{
    {"а", "а"},   {"б", "бэ"},  {"в", "вэ"},  {"г", "гэ"},  {"д", "дэ"},  {"е", "е"},   {"ё", "ё"},
    {"ж", "жэ"},  {"з", "зэ"},  {"и", "и"},   {"й", "и краткое"}, {"к", "ка"}, {"л", "эль"}, {"м", "эм"},
    {"н", "эн"},  {"о", "о"},   {"п", "пэ"},  {"р", "эр"},  {"с", "эс"},  {"т", "тэ"},  {"у", "у"},
    {"ф", "эф"},  {"х", "ха"},  {"ц", "цэ"},  {"ч", "че"},  {"ш", "ша"},  {"щ", "ща"},  {"ъ", "твёрдый знак"},
    {"ы", "ы"},   {"ь", "мягкий знак"}, {"э", "э"}, {"ю", "ю"}, {"я", "я"},
    {"a", "а"},   {"b", "бэ"},  {"c", "цэ"},  {"d", "дэ"},  {"e", "е"},   {"f", "эф"},  {"g", "гэ"},
    {"h", "аш"},  {"i", "и"},   {"j", "жи"},  {"k", "ка"},  {"l", "эль"}, {"m", "эм"},  {"n", "эн"},
    {"o", "о"},   {"p", "пэ"},  {"q", "ку"},  {"r", "эр"},  {"s", "эс"},  {"t", "тэ"},  {"u", "у"},
    {"v", "вэ"},  {"w", "дубль вэ"}, {"x", "икс"}, {"y", "игрек"}, {"z", "зэт"}};

const std::map<std::string, std::string, std::less<>> english_letters{
    {"a", "ay"},  {"b", "bee"}, {"c", "see"}, {"d", "dee"}, {"e", "ee"},  {"f", "ef"},     {"g", "gee"},
    {"h", "aitch"}, {"i", "eye"}, {"j", "jay"}, {"k", "kay"}, {"l", "el"}, {"m", "em"},    {"n", "en"},
    {"o", "oh"},  {"p", "pee"}, {"q", "cue"}, {"r", "ar"},  {"s", "ess"}, {"t", "tee"},    {"u", "you"},
    {"v", "vee"}, {"w", "double you"}, {"x", "ex"}, {"y", "why"}, {"z", "zed"},
    // Cyrillic letters on tickets, read the way an English speaker would be told them.
    {"а", "ay"},  {"б", "bee"}, {"в", "vee"}, {"г", "gee"}, {"д", "dee"}, {"е", "ee"}};

const std::map<std::string, std::string, std::less<>> russian_destinations{
    {"окно", "к окну"}, {"кабинет", "в кабинет"}, {"стойка", "к стойке"}, {"стол", "к столу"}};

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;  // a stray continuation byte: step over it alone
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_words(std::vector<Fragment>& out, const std::vector<std::string>& words) {
  for (const auto& w : words) out.push_back({Fragment::Kind::words, w});
}

// Literal template text: runs of words become fragments, , . ; : ! ? become pauses.
void append_literal(std::vector<Fragment>& out, std::string_view text) {
  std::string run;
  auto flush = [&] {
    std::string words;
    for (char c : run) {
      if (c == ' ' || c == '\t' || c == '\n') {
        if (!words.empty() && words.back() != ' ') words += ' ';
      } else {
        words += c;
      }
    }
    while (!words.empty() && words.back() == ' ') words.pop_back();
    if (!words.empty()) out.push_back({Fragment::Kind::words, lower(words)});
    run.clear();
  };
  for (char c : text) {
    if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?') {
      flush();
      if (!out.empty() && out.back().kind != Fragment::Kind::pause) out.push_back({Fragment::Kind::pause, ""});
    } else {
      run += c;
    }
  }
  flush();
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else if (c == 0xD0 && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      if (d >= 0x90 && d <= 0x9F) {  // А–П → а–п
        out += '\xD0';
        out += static_cast<char>(d + 0x20);
      } else if (d >= 0xA0 && d <= 0xAF) {  // Р–Я → р–я
        out += '\xD1';
        out += static_cast<char>(d - 0x20);
      } else if (d == 0x81) {  // Ё → ё
        out += "ё";
      } else {
        out += static_cast<char>(c);
        out += static_cast<char>(d);
      }
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::vector<std::string> number_words(int n, Language language) {
  if (n < 0 || n > 9999) throw std::out_of_range("numbers are spoken from 0 to 9999, not " + std::to_string(n));
  const NumberNames& names = language == Language::ru ? russian : english;
  if (n == 0) return {names.small[0]};
  std::vector<std::string> words;
  if (n >= 1000) words.push_back(names.thousands[n / 1000]);
  if (n % 1000 >= 100) words.push_back(names.hundreds[n % 1000 / 100]);
  const int rest = n % 100;
  if (rest >= 20) {
    words.push_back(names.tens[rest / 10]);
    if (rest % 10) words.push_back(names.small[rest % 10]);
  } else if (rest > 0) {
    words.push_back(names.small[rest]);
  }
  return words;
}

std::string letter_name(std::string_view letter, Language language) {
  const std::string key = lower(letter);
  const auto& table = language == Language::ru ? russian_letters : english_letters;
  auto it = table.find(key);
  return it != table.end() ? it->second : key;
}

std::vector<std::string> spoken_code(std::string_view code, Language language) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < code.size();) {
    if (is_digit(code[i])) {
      std::size_t end = i;
      while (end < code.size() && is_digit(code[end])) ++end;
      std::string_view digits = code.substr(i, end - i);
      while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
      if (digits.size() > 4) {
        for (char d : digits) words.push_back(number_words(d - '0', language).front());  // too long: digit by digit
      } else {
        auto n = number_words(std::stoi(std::string(digits)), language);
        words.insert(words.end(), n.begin(), n.end());
      }
      i = end;
      continue;
    }
    const std::size_t len = std::min(utf8_length(static_cast<unsigned char>(code[i])), code.size() - i);
    const std::string_view ch = code.substr(i, len);
    const bool letter = len > 1 || std::isalpha(static_cast<unsigned char>(code[i]));
    if (letter) words.push_back(letter_name(ch, language));
    i += len;
  }
  return words;
}

std::string destination_phrase(std::string_view destination, Language language) {
  const std::string word = lower(destination);
  if (language == Language::ru) {
    auto it = russian_destinations.find(word);
    if (it != russian_destinations.end()) return it->second;
  }
  return word;
}

std::vector<Fragment> build_phrase(std::string_view text, const CallWords& call, Language language) {
  std::vector<Fragment> out;
  while (!text.empty()) {
    const auto open = text.find('{');
    const auto close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      append_literal(out, text);
      break;
    }
    append_literal(out, text.substr(0, open));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (name == "chime") {
      out.push_back({Fragment::Kind::chime, ""});
    } else if (name == "ticket") {
      append_words(out, spoken_code(call.ticket, language));
    } else if (name == "window") {
      append_words(out, spoken_code(call.window, language));
    } else if (name == "destination") {
      out.push_back({Fragment::Kind::words, destination_phrase(call.destination, language)});
    } else {
      throw std::invalid_argument("unknown placeholder {" + std::string(name) +
                                  "} in announcement template (known: chime, ticket, window, destination)");
    }
    text.remove_prefix(close + 1);
  }
  return out;
}

std::vector<std::string> vocabulary(Language language, std::string_view template_text) {
  std::vector<std::string> words;
  auto add = [&](const std::string& w) {
    if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
  };
  const NumberNames& names = language == Language::ru ? russian : english;
  for (const char* w : names.small) add(w);
  for (int i = 2; i < 10; ++i) add(names.tens[i]);
  for (int i = 1; i < 10; ++i) add(names.hundreds[i]);
  for (int i = 1; i < 10; ++i) add(names.thousands[i]);
  for (const auto& [letter, name] : language == Language::ru ? russian_letters : english_letters) add(name);
  if (language == Language::ru) {
    for (const auto& [word, phrase] : russian_destinations) add(phrase);
  } else {
    for (const char* word : {"window", "desk", "counter", "room"}) add(word);
  }
  // The template's own words: everything it says outside the placeholders.
  for (const auto& f : build_phrase(template_text, CallWords{"", "", ""}, language)) {
    if (f.kind == Fragment::Kind::words && !f.words.empty()) add(f.words);
  }
  return words;
}

std::string spoken_text(const std::vector<Fragment>& fragments) {
  std::string text;
  for (const auto& f : fragments) {
    if (f.kind == Fragment::Kind::pause) {
      if (!text.empty()) text += ',';
    } else if (f.kind == Fragment::Kind::words) {
      if (!text.empty()) text += ' ';
      text += f.words;
    }
  }
  return text;
}

}  // namespace tablo::sound
