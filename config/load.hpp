#pragma once
// Reading settings from TOML. Every key is optional (defaults are built in); a wrong
// key, type or value is an error that names file, line, column and the expected form.
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "config/settings.hpp"

namespace tablo::config {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws ConfigError; `source` names the text in messages (normally the file path).
Settings load_string(std::string_view toml, std::string_view source);
Settings load_file(const std::filesystem::path& path);

}  // namespace tablo::config
