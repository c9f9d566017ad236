#include "sound/voice_pack.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <numbers>

#include "sound/fragment_audio.hpp"
#include "sound/loudness.hpp"
#include "sound/manifest.hpp"

namespace tablo::sound {
namespace {

constexpr double pause_seconds = 0.25;
constexpr double word_gap_seconds = 0.04;

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

void level_chime(Pcm& chime) {
  static const double built_in = loudness(default_chime(PcmFormat{48000, 1}));
  set_loudness(chime, built_in);
}

VoicePack::VoicePack(const std::filesystem::path& folder, Language language, PcmFormat format, Speech& speech)
    : folder_(folder), language_(language), format_(format), speech_(speech), chime_(default_chime(format)) {
  if (folder.empty()) return;
  const Manifest manifest = read_manifest(folder);
  if (manifest.language) language_ = *manifest.language;
  name_ = manifest.name.empty() ? folder.filename().string() : manifest.name;
  if (manifest.chime) {
    try {
      Pcm chime = load_audio(folder / manifest.chime->file, format);
      level_chime(chime);
      chime_ = std::move(chime);
    } catch (const SoundError& e) {
      spdlog::warn("voice pack '{}': {}: chime \"{}\": {}; the built-in chime plays instead", name_,
                   where(folder, *manifest.chime), manifest.chime->file, e.what());
    }
  }
  for (const auto& r : manifest.recordings) {
    try {
      recordings_[r.words] = ready_to_join(load_audio(folder / r.file, format)).pcm;
    } catch (const SoundError& e) {
      spdlog::warn("voice pack '{}': {}: \"{}\" = \"{}\": {}; espeak-ng says it instead "
                   "(`tablo-voice-pack check {}` lists every problem)",
                   name_, where(folder, r), r.words, r.file, e.what(), folder.string());
    }
  }
  spdlog::info("voice pack '{}': {} recordings and a chime", name_, recordings_.size());
}

const Pcm& VoicePack::words(const std::string& words) {
  if (auto it = recordings_.find(words); it != recordings_.end()) return it->second;
  auto [it, fresh] = synthesised_cache_.try_emplace(words);
  if (fresh) {
    // Without a pack every word is synthesised, and the screen said so once at start.
    if (!folder_.empty()) {
      spdlog::warn("voice pack '{}' has no recording of \"{}\": espeak-ng says it instead; record it and add "
                   "\"{}\" = \"FILE\" under [words] in {}",
                   name_, words, words, (folder_ / "manifest.toml").string());
    }
    synthesised_.insert(words);
    it->second = synthesise(speech_, words, language_, format_).pcm;
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

Pcm VoicePack::say_text(const std::string& text) {
  Pcm pcm = speech_.say(text, language_, format_);
  pcm.trim_silence();
  set_loudness(pcm, pack_loudness_lufs);
  return pcm;
}

}  // namespace tablo::sound
