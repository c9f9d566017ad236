#pragma once
// Reading the [web] section of tablo.toml (config/load.cpp hands it over).
#include <string_view>
#include <toml++/toml.h>

#include "config/web_settings.hpp"

namespace tablo::config {

// The [web] table of `document` (all defaults when absent); throws ConfigError naming
// SOURCE:LINE:COLUMN and the expected form. The caller removes the table before checking the
// rest of the file for unknown keys.
WebSettings read_web_settings(const toml::table& document, std::string_view source);

}  // namespace tablo::config
