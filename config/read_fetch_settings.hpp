#pragma once
// Reading [display.fetch] (config/load.cpp hands the table over).
#include <string_view>

#include <toml++/toml.h>

#include "config/fetch_settings.hpp"

namespace tablo::config {

// Reads the table [display.fetch] into `out`; `source` names the file in errors. Throws
// ConfigError "FILE:LINE:COLUMN: display.fetch.KEY: …" for a key it does not know or a bad value.
void read_fetch_settings(const toml::table& table, std::string_view source, FetchSettings& out);

}  // namespace tablo::config
