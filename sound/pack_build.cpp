#include "sound/pack_build.hpp"

#include <fmt/format.h>

#include "sound/voice_pack.hpp"

namespace tablo::sound {
namespace {

std::string file_name(int n) { return fmt::format("w{:03}.wav", n); }

}  // namespace

PackBuild build_synthesised_pack(const CallSpeech& calls, Speech& speech, const std::filesystem::path& out) {
  std::filesystem::create_directories(out);
  const PcmFormat format{22050, 1};  // espeak-ng's own
  PackBuild build{
      fmt::format("espeak-ng {}", calls.language == Language::ru ? "ru" : "en"), calls.language, {}, {}, {}};
  Manifest manifest{calls.language, build.name, Recording{"", "chime.wav", 0}, {}};
  save_wav(default_chime(format), out / "chime.wav");
  for (const auto& needed : needed_fragments(calls)) {
    FragmentAudio audio = synthesise(speech, needed.words, calls.language, format);
    const std::string file = file_name(static_cast<int>(manifest.recordings.size()) + 1);
    save_wav(audio.pcm, out / file);
    manifest.recordings.push_back({needed.words, file, 0});
    build.built.push_back({needed.words, std::move(audio)});
  }
  write_manifest(manifest, out,
                 "Built by tablo-voice-pack with espeak-ng. Replace any recording with a real voice:\n"
                 "tablo-voice-pack build --from RECORDINGS --out DIR (docs/ANNOUNCEMENTS.md, \"Voice packs\").");
  return build;
}

PackBuild build_recorded_pack(const std::filesystem::path& from, Language language, const std::string& name,
                              const std::filesystem::path& out) {
  if (!std::filesystem::is_directory(from)) throw SoundError(from.string() + ": no such folder of recordings");
  std::filesystem::create_directories(out);
  if (std::filesystem::equivalent(from, out)) {
    throw SoundError("--out " + out.string() +
                     " is the folder of recordings itself: give the pack a folder of its own");
  }
  PackBuild build;
  const bool listed = std::filesystem::exists(from / "manifest.toml");
  const Manifest source = listed ? read_manifest(from) : recordings_by_file_name(from, build.ignored);
  if (source.recordings.empty() && !source.chime) {
    throw SoundError(
        from.string() +
        " holds no recordings: name each file after what it says (двадцать.wav, "
        "к_окну.flac, chime.wav) or list them in a manifest.toml (docs/ANNOUNCEMENTS.md, \"Voice packs\")");
  }
  build.language = source.language.value_or(language);
  build.name = !source.name.empty() ? source.name : !name.empty() ? name : from.filename().string();

  const PcmFormat format{48000, 1};
  Manifest manifest{build.language, build.name, std::nullopt, {}};
  if (source.chime) {
    try {
      Pcm chime = load_audio(from / source.chime->file, format);
      level_chime(chime);
      save_wav(chime, out / "chime.wav");
      manifest.chime = Recording{"", "chime.wav", 0};
    } catch (const SoundError& e) {
      build.unusable.push_back({where(from, *source.chime), "chime", source.chime->file, e.what()});
    }
  }
  for (const auto& r : source.recordings) {
    try {
      FragmentAudio audio = ready_to_join(load_audio(from / r.file, format));
      const std::string file = file_name(static_cast<int>(manifest.recordings.size()) + 1);
      save_wav(audio.pcm, out / file);
      manifest.recordings.push_back({r.words, file, 0});
      build.built.push_back({r.words, std::move(audio)});
    } catch (const SoundError& e) {
      build.unusable.push_back({where(from, r), r.words, r.file, e.what()});
    }
  }
  write_manifest(manifest, out,
                 fmt::format("Built by tablo-voice-pack from the recordings in {}: trimmed, at least a syllable long,\n"
                             "at {} LUFS. Rebuild it from there rather than editing these files.",
                             from.string(), pack_loudness_lufs));
  return build;
}

}  // namespace tablo::sound
