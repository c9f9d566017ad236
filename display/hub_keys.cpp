#include "display/hub_keys.hpp"

namespace tablo::display {

std::optional<protocol::ClientKeys> hub_keys(const config::DisplaySettings& settings) {
  if (settings.secret_key.empty() && settings.hub_public_key.empty()) return std::nullopt;
  return protocol::read_client_keys(settings.secret_key, settings.hub_public_key);
}

}  // namespace tablo::display
