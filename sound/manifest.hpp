#pragma once
// A voice pack's manifest.toml: its language, its name, its chime and which file says which
// words. Read by the screen and by tablo-voice-pack check; written by tablo-voice-pack build.
//
//   language = "ru"
//   name = "Анна, студия «Голос», 2026"
//   chime = "chime.wav"
//   [words]
//   "талон" = "talon.wav"
//   "к окну" = "k-oknu.flac"
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sound/phrase.hpp"

namespace tablo::sound {

struct Recording {
  std::string words;  // lower case, as the phrase builder spells them
  std::string file;   // relative to the pack's folder
  int line = 0;       // in manifest.toml, for messages; 0: found by its file name
};

struct Manifest {
  std::optional<Language> language;
  std::string name;                   // empty: not given
  std::optional<Recording> chime;     // words empty
  std::vector<Recording> recordings;  // in the order of the file
};

// `folder`/manifest.toml. Throws SoundError naming the file, line and column of what is wrong.
Manifest read_manifest(const std::filesystem::path& folder);

// The recordings of a folder without a manifest, by their file names, as a studio delivers
// them: «двадцать.wav» says "двадцать", «к_окну.flac» "к окну" (an underscore for a space),
// «chime.wav» is the chime. Audio files only (.wav .flac .ogg .opus .mp3 .m4a …); a second
// file saying the same words goes to `ignored`.
Manifest recordings_by_file_name(const std::filesystem::path& folder, std::vector<std::string>& ignored);

// Writes `folder`/manifest.toml, `comment` (lines without "#") at its top.
void write_manifest(const Manifest& manifest, const std::filesystem::path& folder, const std::string& comment);

// "FOLDER/manifest.toml:12" of a recording, for messages, or its file when found by name.
std::string where(const std::filesystem::path& folder, const Recording& recording);

}  // namespace tablo::sound
