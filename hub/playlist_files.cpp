#include "hub/playlist_files.hpp"

#include <toml++/toml.h>

namespace tablo::hub {

std::set<std::string> playlist_files(std::string_view toml) {
  toml::table document;
  try {
    document = toml::parse(toml, std::string_view("the playlist"));
  } catch (const toml::parse_error& e) {
    throw PlaylistError("the playlist is not valid TOML: line " + std::to_string(e.source().begin.line) + ", column " +
                        std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  std::set<std::string> files;
  const toml::array* items = document["item"].as_array();
  if (!items) return files;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const toml::table* item = items->get(i)->as_table();
    const auto* file = item ? item->get("file") : nullptr;
    if (!file || !file->as_string())
      throw PlaylistError("item[" + std::to_string(i) + "] of the playlist has no file = \"NAME\"");
    files.insert(file->as_string()->get());
  }
  return files;
}

}  // namespace tablo::hub
