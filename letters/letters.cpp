#include "letters/letters.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace tablo::letters {
namespace {

// One character of a UTF-8 text: its code point, or none for a byte that starts no valid
// sequence (such a byte is kept as it is).
struct Character {
  char32_t code = 0;
  bool valid = false;
  std::string_view bytes;
};

Character next(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || at + length > text.size()) return {0, false, text.substr(at, 1)};
  char32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[at + i]);
    if ((byte & 0xC0) != 0x80) return {0, false, text.substr(at, 1)};
    code = code << 6 | (byte & 0x3F);
  }
  return {code, true, text.substr(at, length)};
}

void append(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | code >> 6);
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | code >> 12);
    out += static_cast<char>(0x80 | (code >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | code >> 18);
    out += static_cast<char>(0x80 | (code >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (code >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

bool is_latin(char32_t c) { return (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z'); }
// The Cyrillic block's letters (U+0482–U+0489 are signs and combining marks).
bool is_cyrillic(char32_t c) { return c >= 0x400 && c <= 0x4FF && !(c >= 0x482 && c <= 0x489); }

// Latin letter, the Cyrillic letter that looks the same.
constexpr std::array<std::pair<char32_t, char32_t>, 18> twins{{
    {U'A', U'А'}, {U'B', U'В'}, {U'C', U'С'}, {U'E', U'Е'}, {U'H', U'Н'}, {U'K', U'К'},
    {U'M', U'М'}, {U'O', U'О'}, {U'P', U'Р'}, {U'T', U'Т'}, {U'X', U'Х'},
    {U'a', U'а'}, {U'c', U'с'}, {U'e', U'е'}, {U'o', U'о'}, {U'p', U'р'}, {U'x', U'х'}, {U'y', U'у'}}};

// The letter of `script` that `c` looks like: `c` itself when it is of `script`, 0 when none.
char32_t twin_in(char32_t c, Script script) {
  if (script == Script::cyrillic ? is_cyrillic(c) : is_latin(c)) return c;
  for (const auto& [latin, cyrillic] : twins) {
    if (script == Script::cyrillic && c == latin) return cyrillic;
    if (script == Script::latin && c == cyrillic) return latin;
  }
  return 0;
}

char32_t lower_of(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 0x20;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;  // А–Я
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;  // Ѐ–Џ, Ё among them
  return c;
}

char32_t upper_of(char32_t c) {
  if (c >= U'a' && c <= U'z') return c - 0x20;
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;  // а–я
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;  // ѐ–џ, ё among them
  return c;
}

template <typename Change>
std::string each_character(std::string_view text, Change change) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const Character ch = next(text, at);
    if (ch.valid) {
      append(out, change(ch.code));
    } else {
      out += ch.bytes;
    }
    at += ch.bytes.size();
  }
  return out;
}

}  // namespace

std::string lower(std::string_view text) { return each_character(text, lower_of); }
std::string upper(std::string_view text) { return each_character(text, upper_of); }

bool has_cyrillic(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const Character ch = next(text, at);
    if (ch.valid && is_cyrillic(ch.code)) return true;
    at += ch.bytes.size();
  }
  return false;
}

std::string in_script(std::string_view text, Script script) {
  std::string out;
  out.reserve(text.size());
  std::vector<Character> word;
  auto end_word = [&] {
    const bool fits = std::all_of(word.begin(), word.end(), [&](const Character& ch) { return twin_in(ch.code, script) != 0; });
    for (const auto& ch : word) {
      if (fits) {
        append(out, twin_in(ch.code, script));
      } else {
        out += ch.bytes;
      }
    }
    word.clear();
  };
  for (std::size_t at = 0; at < text.size();) {
    const Character ch = next(text, at);
    if (ch.valid && (is_latin(ch.code) || is_cyrillic(ch.code))) {
      word.push_back(ch);
    } else {
      end_word();
      out += ch.bytes;
    }
    at += ch.bytes.size();
  }
  end_word();
  return out;
}

bool look_alike(std::string_view a, std::string_view b) {
  // Each look-alike taken as its Cyrillic twin, letter by letter: no word needs to fit.
  auto folded = [](std::string_view text) {
    return each_character(text, [](char32_t c) {
      const char32_t twin = twin_in(c, Script::cyrillic);
      return twin ? twin : c;
    });
  };
  return folded(a) == folded(b);
}

}  // namespace tablo::letters
