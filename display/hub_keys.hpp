#pragma once
// The keys a screen talks to a hub with, when its settings name them
// (display.secret_key and display.hub_public_key).
#include <optional>

#include "config/settings.hpp"
#include "protocol/curve_keys.hpp"

namespace tablo::display {

// nullopt without keys; throws protocol::KeyError for a file that cannot be used.
std::optional<protocol::ClientKeys> hub_keys(const config::DisplaySettings& settings);

}  // namespace tablo::display
