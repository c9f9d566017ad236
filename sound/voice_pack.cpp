#include "sound/voice_pack.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <numbers>
#include <toml++/toml.h>


namespace tablo::sound {
namespace {

constexpr double pause_seconds = 0.25;
constexpr double word_gap_seconds = 0.04;

std::string where(const std::filesystem::path& file, const toml::source_region& r) {
  return file.string() + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

}  // namespace

Pcm default_chime(PcmFormat format) {
  Pcm pcm{format, {}};
  for (double freq : {784.0, 587.3}) {  // G5, D5
    const auto frames = static_cast<std::size_t>(0.45 * format.rate);
    for (std::size_t i = 0; i < frames; ++i) {
      const double t = static_cast<double>(i) / format.rate;
      const double envelope = std::min(1.0, t / 0.01) * std::exp(-5.0 * t);
      const double s = 0.5 * envelope * (std::sin(2 * std::numbers::pi * freq * t) +
                                         0.3 * std::sin(4 * std::numbers::pi * freq * t));
      for (int c = 0; c < format.channels; ++c) pcm.samples.push_back(static_cast<float>(s * 0.7));
    }
  }
  pcm.append_silence(0.2);
  return pcm;
}

VoicePack::VoicePack(const std::filesystem::path& folder, Language language, PcmFormat format, Speech& speech)
    : language_(language), format_(format), speech_(speech), chime_(default_chime(format)) {
  if (folder.empty()) return;
  const auto manifest = folder / "manifest.toml";
  toml::table doc;
  try {
    doc = toml::parse_file(manifest.string());
  } catch (const toml::parse_error& e) {
    throw SoundError(where(manifest, e.source()) + ": " + std::string(e.description()));
  }
  if (auto lang = doc["language"].value<std::string>()) {
    if (*lang != "ru" && *lang != "en") {
      throw SoundError(where(manifest, doc.get("language")->source()) + ": language must be \"ru\" or \"en\"");
    }
    language_ = *lang == "ru" ? Language::ru : Language::en;
  }
  name_ = doc["name"].value_or(folder.filename().string());
  if (auto chime = doc["chime"].value<std::string>()) chime_ = load_audio(folder / *chime, format);
  if (const toml::table* words = doc["words"].as_table()) {
    for (const auto& [key, node] : *words) {
      auto file = node.value<std::string>();
      if (!file) throw SoundError(where(manifest, node.source()) + ": words." + std::string(key.str()) + " must be a file name");
      Pcm recording = load_audio(folder / *file, format);
      recording.trim_silence();
      recordings_[lower(key.str())] = std::move(recording);
    }
  }
  spdlog::info("voice pack '{}': {} recordings and a chime", name_, recordings_.size());
}

const Pcm& VoicePack::words(const std::string& words) {
  if (auto it = recordings_.find(words); it != recordings_.end()) return it->second;
  auto [it, fresh] = synthesised_cache_.try_emplace(words);
  if (fresh) {
    spdlog::info("voice pack '{}' has no recording of \"{}\": synthesised with espeak-ng", name_, words);
    synthesised_.insert(words);
    it->second = speech_.say(words, language_, format_);
    it->second.trim_silence();
  }
  return it->second;
}

Pcm VoicePack::say(const std::vector<Fragment>& fragments) {
  Pcm out{format_, {}};
  for (const auto& f : fragments) {
    switch (f.kind) {
      case Fragment::Kind::chime: out.append(chime_); break;
      case Fragment::Kind::pause: out.append_silence(pause_seconds); break;
      case Fragment::Kind::words:
        out.append(words(f.words));
        out.append_silence(word_gap_seconds);
        break;
    }
  }
  return out;
}

Pcm VoicePack::say_text(const std::string& text) { return speech_.say(text, language_, format_); }

}  // namespace tablo::sound
