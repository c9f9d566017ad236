#include "sound/pack_check.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <set>

#include "sound/announcer.hpp"
#include "sound/fragment_audio.hpp"

namespace tablo::sound {
namespace {

// The letters tickets and windows are printed with: Cyrillic, then Latin.
const std::vector<std::string>& alphabet() {
  static const std::vector<std::string> letters = [] {
    std::vector<std::string> out;
    for (const char* l : {"А", "Б", "В", "Г", "Д", "Е", "Ё", "Ж", "З", "И", "Й", "К", "Л", "М", "Н", "О", "П",
                          "Р", "С", "Т", "У", "Ф", "Х", "Ц", "Ч", "Ш", "Щ", "Ъ", "Ы", "Ь", "Э", "Ю", "Я"})
      out.emplace_back(l);
    for (char l = 'A'; l <= 'Z'; ++l) out.emplace_back(1, l);
    return out;
  }();
  return letters;
}

// Why each fragment is needed, by what says it.
std::map<std::string, std::string> reasons(const CallSpeech& calls) {
  std::map<std::string, std::string> why;
  std::map<std::string, std::vector<int>> numbers;
  for (int n = 0; n <= 9999; ++n) {
    for (const auto& w : number_words(n, calls.language)) {
      auto& uses = numbers[w];
      if (uses.size() < 4) uses.push_back(n);
    }
  }
  for (const auto& [w, uses] : numbers) {
    std::string text = uses.size() == 1 ? "number " : "numbers ";
    for (std::size_t i = 0; i < std::min<std::size_t>(uses.size(), 3); ++i)
      text += (i ? ", " : "") + std::to_string(uses[i]);
    why[w] = text + (uses.size() > 3 ? "…" : "");
  }
  std::map<std::string, std::string> letters;
  for (const auto& l : alphabet()) {
    auto& text = letters[letter_name(l, calls.language)];
    text += (text.empty() ? "" : ", ") + l;
  }
  for (const auto& [w, ls] : letters) why.try_emplace(w, "letter " + ls);
  for (const auto& d : calls.destinations)
    why.try_emplace(destination_phrase(d, calls.language, calls.destination_words), "destination «" + d + "»");
  for (const auto& t : calls.templates) {
    for (const auto& f : build_phrase(t, CallWords{"", "", ""}, calls.language)) {
      if (f.kind == Fragment::Kind::words && !f.words.empty()) why.try_emplace(f.words, "template «" + t + "»");
    }
  }
  return why;
}

}  // namespace

CallSpeech call_speech(const config::AnnouncementSettings& settings, Language language) {
  CallSpeech calls{language, {}, {settings.destination}, settings.destination_words};
  calls.templates.push_back(settings.call_template.empty() ? default_call_template(language) : settings.call_template);
  calls.templates.push_back(settings.short_template.empty() ? default_short_template(language)
                                                            : settings.short_template);
  for (const auto& [zone, destination] : settings.zone_destinations) calls.destinations.push_back(destination);
  return calls;
}

std::vector<Needed> needed_fragments(const CallSpeech& calls) {
  const auto why = reasons(calls);
  std::vector<Needed> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& w) {
    if (w.empty() || !seen.insert(w).second) return;
    auto it = why.find(w);
    out.push_back({w, it != why.end() ? it->second : "a destination the screen knows"});
  };
  for (const auto& t : calls.templates)
    for (const auto& w : vocabulary(calls.language, t, calls.destination_words)) add(w);
  for (const auto& d : calls.destinations) add(destination_phrase(d, calls.language, calls.destination_words));
  return out;
}

PackCheck check_pack(const std::filesystem::path& folder, const Manifest& manifest, const CallSpeech& calls) {
  PackCheck check;
  check.needed = needed_fragments(calls);
  std::set<std::string> needed, recorded;
  for (const auto& n : check.needed) needed.insert(n.words);

  const PcmFormat format{48000, 1};
  check.quietest_lufs = std::numeric_limits<double>::infinity();
  check.loudest_lufs = -check.quietest_lufs;
  if (manifest.chime) {
    try {
      load_audio(folder / manifest.chime->file, format);
    } catch (const SoundError& e) {
      check.unusable.push_back({where(folder, *manifest.chime), "chime", manifest.chime->file, e.what()});
    }
  }
  for (const auto& r : manifest.recordings) {
    const PackProblem about{where(folder, r), r.words, r.file, ""};
    if (!needed.count(r.words)) check.unneeded.push_back(about);
    try {
      const FragmentAudio audio = ready_to_join(load_audio(folder / r.file, format));
      recorded.insert(r.words);
      check.quietest_lufs = std::min(check.quietest_lufs, audio.level.before_lufs);
      check.loudest_lufs = std::max(check.loudest_lufs, audio.level.before_lufs);
      if (audio.slowed) {
        check.slowed.push_back(about);
        check.slowed.back().what = fmt::format("sounds {:.2f} s", audio.sounded_seconds);
      }
      if (audio.level.peak_limited) {
        check.peak_limited.push_back(about);
        check.peak_limited.back().what =
            fmt::format("plays {:.1f} LU quieter", pack_loudness_lufs - audio.level.before_lufs - audio.level.gain_db);
      }
    } catch (const SoundError& e) {
      check.unusable.push_back(about);
      check.unusable.back().what = e.what();
    }
  }
  for (const auto& n : check.needed) {
    if (recorded.count(n.words)) {
      ++check.usable;
    } else if (std::none_of(manifest.recordings.begin(), manifest.recordings.end(),
                            [&](const Recording& r) { return r.words == n.words; })) {
      check.missing.push_back(n);
    }
  }
  return check;
}

}  // namespace tablo::sound
