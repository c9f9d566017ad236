#include "sound/manifest.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "sound/pcm.hpp"

namespace tablo::sound {
namespace {

std::string at(const std::filesystem::path& file, const toml::source_region& r) {
  return file.string() + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

// Through a manifest any file FFmpeg reads will do; by file name, what studios deliver.
const std::set<std::string> audio_extensions{".wav", ".flac", ".ogg", ".oga",  ".opus", ".mp3",
                                             ".m4a", ".aac",  ".aif", ".aiff", ".wma",  ".mka"};

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

}  // namespace

Manifest read_manifest(const std::filesystem::path& folder) {
  const auto file = folder / "manifest.toml";
  if (!std::filesystem::exists(file)) {
    throw SoundError(file.string() +
                     ": no such file: a voice pack is a folder with a manifest.toml "
                     "(tablo-voice-pack build writes one; see docs/ANNOUNCEMENTS.md, \"Voice packs\")");
  }
  toml::table doc;
  try {
    doc = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw SoundError(at(file, e.source()) + ": " + std::string(e.description()));
  }
  Manifest m;
  if (const toml::node* lang = doc.get("language")) {
    const auto value = lang->value<std::string>();
    if (!value || (*value != "ru" && *value != "en"))
      throw SoundError(at(file, lang->source()) + ": language must be \"ru\" or \"en\"");
    m.language = *value == "ru" ? Language::ru : Language::en;
  }
  if (const toml::node* name = doc.get("name")) {
    if (!name->is_string()) throw SoundError(at(file, name->source()) + ": name must be text");
    m.name = *name->value<std::string>();
  }
  if (const toml::node* chime = doc.get("chime")) {
    if (!chime->is_string()) throw SoundError(at(file, chime->source()) + ": chime must be a file name");
    m.chime = Recording{"", *chime->value<std::string>(), static_cast<int>(chime->source().begin.line)};
  }
  if (const toml::node* words = doc.get("words")) {
    const toml::table* table = words->as_table();
    if (!table)
      throw SoundError(at(file, words->source()) + ": words must be a table: [words] \"талон\" = \"talon.wav\"");
    for (const auto& [key, node] : *table) {
      const auto name = node.value<std::string>();
      if (!name || name->empty()) {
        throw SoundError(at(file, node.source()) + ": words." + std::string(key.str()) + " must be a file name");
      }
      m.recordings.push_back({lower(key.str()), *name, static_cast<int>(node.source().begin.line)});
    }
    // toml++ keeps keys sorted; the file's own order is easier to follow in messages.
    std::stable_sort(m.recordings.begin(), m.recordings.end(),
                     [](const Recording& a, const Recording& b) { return a.line < b.line; });
  }
  return m;
}

Manifest recordings_by_file_name(const std::filesystem::path& folder, std::vector<std::string>& ignored) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file() && audio_extensions.count(lower(entry.path().extension().string())))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  Manifest m;
  std::set<std::string> taken;
  for (const auto& f : files) {
    std::string words = lower(f.stem().string());
    std::replace(words.begin(), words.end(), '_', ' ');
    const Recording r{words == "chime" ? "" : words, f.filename().string(), 0};
    if (words == "chime" && !m.chime) {
      m.chime = r;
    } else if (words != "chime" && taken.insert(words).second) {
      m.recordings.push_back(r);
    } else {
      ignored.push_back(r.file + ": another recording of \"" + words + "\" comes first");
    }
  }
  return m;
}

void write_manifest(const Manifest& m, const std::filesystem::path& folder, const std::string& comment) {
  std::ostringstream out;
  std::istringstream lines(comment);
  for (std::string line; std::getline(lines, line);) out << "# " << line << "\n";
  if (m.language) out << "language = " << (*m.language == Language::ru ? "\"ru\"" : "\"en\"") << "\n";
  if (!m.name.empty()) out << "name = " << quoted(m.name) << "\n";
  if (m.chime) out << "chime = " << quoted(m.chime->file) << "\n";
  out << "\n[words]\n";
  for (const auto& r : m.recordings) out << quoted(r.words) << " = " << quoted(r.file) << "\n";
  const auto file = folder / "manifest.toml";
  std::ofstream written(file);
  written << out.str();
  if (!written) throw SoundError("cannot write " + file.string());
}

std::string where(const std::filesystem::path& folder, const Recording& recording) {
  if (recording.line == 0) return (folder / recording.file).string();  // found by its file name
  return (folder / "manifest.toml").string() + ":" + std::to_string(recording.line);
}

}  // namespace tablo::sound
