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

// English: Latin letters, and the Cyrillic letters of tickets as an English speaker sees
// them (look-alikes by the Latin name, the rest by a spelling of the Russian name; Е and И
// both sound "ee"). speakable() gives espeak-ng the phonemes of the spellings it misreads.
const std::map<std::string, std::string, std::less<>> english_letters{
    {"a", "ay"},  {"b", "bee"}, {"c", "see"}, {"d", "dee"}, {"e", "ee"},  {"f", "ef"},     {"g", "gee"},
    {"h", "aitch"}, {"i", "eye"}, {"j", "jay"}, {"k", "kay"}, {"l", "el"}, {"m", "em"},    {"n", "en"},
    {"o", "oh"},  {"p", "pee"}, {"q", "cue"}, {"r", "ar"},  {"s", "ess"}, {"t", "tee"},    {"u", "you"},
    {"v", "vee"}, {"w", "double you"}, {"x", "ex"}, {"y", "why"}, {"z", "zed"},
    {"а", "ay"},  {"б", "beh"}, {"в", "bee"}, {"г", "geh"}, {"д", "deh"}, {"е", "ee"},  {"ё", "yo"},
    {"ж", "zheh"}, {"з", "zeh"}, {"и", "ee"}, {"й", "short ee"}, {"к", "kay"}, {"л", "el"}, {"м", "em"},
    {"н", "aitch"}, {"о", "oh"}, {"п", "peh"}, {"р", "pee"}, {"с", "see"}, {"т", "tee"}, {"у", "why"},
    {"ф", "ef"},  {"х", "ex"},  {"ц", "tseh"}, {"ч", "cheh"}, {"ш", "shah"}, {"щ", "shchah"},
    {"ъ", "hard sign"}, {"ы", "yery"}, {"ь", "soft sign"}, {"э", "eh"}, {"ю", "yoo"}, {"я", "yah"}};

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;  // a stray continuation byte: step over it alone
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_letter(std::string_view ch) { return ch.size() > 1 || std::isalpha(static_cast<unsigned char>(ch[0])); }

// In Russian a word typed in both alphabets is a Cyrillic word with some look-alikes typed in
// Latin; a word all in Latin is Latin, named so.
std::string as_read(std::string_view code, Language language) {
  if (language != Language::ru) return std::string(code);
  std::string out, word;
  auto end_word = [&] {
    out += letters::has_cyrillic(word) ? letters::in_script(word, letters::Script::cyrillic) : word;
    word.clear();
  };
  for (std::size_t i = 0; i < code.size();) {
    const std::size_t len = std::min(utf8_length(static_cast<unsigned char>(code[i])), code.size() - i);
    const std::string_view ch = code.substr(i, len);
    if (is_letter(ch)) {
      word += ch;
    } else {
      end_word();
      out += ch;
    }
    i += len;
  }
  end_word();
  return out;
}

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

std::string language_code(Language language) { return language == Language::ru ? "ru" : "en"; }

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

std::vector<std::string> spoken_code(std::string_view typed, Language language) {
  const std::string read = as_read(typed, language);
  const std::string_view code = read;
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
    // An English voice says no Cyrillic: a letter without an English name (Ukrainian ї) is skipped.
    if (is_letter(ch) && !(language == Language::en && letters::has_cyrillic(letter_name(ch, language))))
      words.push_back(letter_name(ch, language));
    i += len;
  }
  return words;
}

std::string destination_phrase(std::string_view destination, Language language,
                               const std::map<std::string, config::DestinationWords>& destinations) {
  if (const auto words = destinations.find(lower(destination)); words != destinations.end()) {
    if (const auto phrase = words->second.find(language_code(language)); phrase != words->second.end())
      return lower(phrase->second);
  }
  throw std::invalid_argument("destination \"" + std::string(destination) + "\" has no words in " +
                              (language == Language::ru ? "Russian" : "English") +
                              ": add them in [announcements.destination_words] (docs/CONFIG.md)");
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
      append_literal(out, call.destination);
    } else {
      throw std::invalid_argument("unknown placeholder {" + std::string(name) +
                                  "} in announcement template (known: chime, ticket, window, destination)");
    }
    text.remove_prefix(close + 1);
  }
  return out;
}

std::string default_call_template(Language language) {
  return language == Language::ru ? "{chime} Талон {ticket}, пройдите {destination} номер {window}"
                                  : "{chime} Ticket {ticket}, please go to {destination} {window}";
}

std::string default_short_template(Language language) {
  return language == Language::ru ? "Талон {ticket}, {destination} {window}" : "Ticket {ticket}, {destination} {window}";
}

std::vector<std::string> vocabulary(Language language, std::string_view template_text,
                                    const std::map<std::string, config::DestinationWords>& destinations) {
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
  for (const auto& [name, words_of] : destinations) {
    if (words_of.contains(language_code(language))) add(destination_phrase(name, language, destinations));
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
