#pragma once
// Building a voice pack folder: every fragment made ready once (sound/fragment_audio.hpp:
// trimmed, faded, at least a syllable long, at -23 LUFS) and written as a 16-bit WAV, with
// a manifest.toml. The folder is then exactly what the hall hears.
#include <filesystem>
#include <string>
#include <vector>

#include "sound/fragment_audio.hpp"
#include "sound/pack_check.hpp"
#include "sound/speech.hpp"

namespace tablo::sound {

struct BuiltFragment {
  std::string words;
  FragmentAudio audio;
};

struct PackBuild {
  std::string name;
  Language language = Language::ru;
  std::vector<BuiltFragment> built;
  std::vector<PackProblem> unusable;  // recordings that could not be read, left out
  std::vector<std::string> ignored;   // files that say no fragment, or a fragment twice
};

// Every fragment `calls` need, synthesised with espeak-ng, into `out`.
PackBuild build_synthesised_pack(const CallSpeech& calls, Speech& speech, const std::filesystem::path& out);

// The recordings in `from` into `out`. `from` holds either a manifest.toml naming which file
// says which words, or files named after what they say («двадцать.wav», «к_окну.flac»: an
// underscore for a space; «chime.wav» is the chime). `language` and `name` apply where the
// manifest in `from` does not say. Throws SoundError when `from` has neither, or when `out`
// is `from` (the recordings would be overwritten).
PackBuild build_recorded_pack(const std::filesystem::path& from, Language language, const std::string& name,
                              const std::filesystem::path& out);

}  // namespace tablo::sound
