#include "tools/tabloctl_keys.hpp"

#include <algorithm>

namespace tablo::tools {

bool valid_key_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
         });
}

void keygen(const std::string& name, const std::filesystem::path& dir, const std::string& role,
            const std::vector<std::string>& screens, std::ostream& out) {
  const auto keys = protocol::generate_key_pair();
  const auto written = protocol::write_key_pair(keys, dir, name, role, screens);
  out << "wrote " << written.public_file.string() << " (public key) and " << written.secret_file.string()
      << " (secret key, mode 0600: keep it on the machine that uses it)\n";
  if (role.empty()) {
    out << "for the hub:    [hub] secret_key = \"" << written.secret_file.string() << "\"\n"
        << "for clients:    give them " << written.public_file.filename().string()
        << " (display.hub_public_key, [tabloctl] hub_public_key, tabloctl --hub-key)\n";
    return;
  }
  out << "to let " << name << " in, copy " << written.public_file.filename().string()
      << " into the hub's authorised-keys folder (hub.authorized_keys), or put these lines there in a file "
      << name << ".key:\n"
      << "role = \"" << role << "\"\n";
  if (!screens.empty()) {
    out << "screens = [";
    for (std::size_t i = 0; i < screens.size(); ++i) out << (i ? ", \"" : "\"") << screens[i] << "\"";
    out << "]\n";
  }
  out << "public_key = \"" << keys.public_key << "\"\n";
}

std::optional<protocol::ClientKeys> client_keys(const std::string& key_file, const std::string& hub_key_file,
                                                const std::string& config_key_file,
                                                const std::string& config_hub_key_file) {
  const bool from_options = !key_file.empty() || !hub_key_file.empty();
  const std::string& secret = from_options ? key_file : config_key_file;
  const std::string& hub = from_options ? hub_key_file : config_hub_key_file;
  if (secret.empty() && hub.empty()) return std::nullopt;
  if (secret.empty()) throw protocol::KeyError("--hub-key needs --key too: this client's own NAME.secret");
  if (hub.empty()) throw protocol::KeyError("--key needs --hub-key too: the hub's public key file (hub.key)");
  return protocol::read_client_keys(secret, hub);
}

}  // namespace tablo::tools
