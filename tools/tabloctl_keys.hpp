#pragma once
// tabloctl and CURVE keys: `tabloctl keygen`, and the keys tabloctl connects with.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/curve_keys.hpp"

namespace tablo::tools {

// A key's name, used for its file names: 1–64 of A-Z a-z 0-9 . _ -, not starting with a dot.
bool valid_key_name(std::string_view name);

// Writes DIR/NAME.key and DIR/NAME.secret and says what to do with them. `role` is empty
// for the hub's own key; `screens`: the screens a screen's key may report as (none: only
// NAME). Throws protocol::KeyError.
void keygen(const std::string& name, const std::filesystem::path& dir, const std::string& role,
            const std::vector<std::string>& screens, std::ostream& out);

// The keys from --key and --hub-key, else from [tabloctl] of the settings; nullopt when
// neither names any. Throws protocol::KeyError (also when only one of the two is given).
std::optional<protocol::ClientKeys> client_keys(const std::string& key_file, const std::string& hub_key_file,
                                                const std::string& config_key_file,
                                                const std::string& config_hub_key_file);

}  // namespace tablo::tools
