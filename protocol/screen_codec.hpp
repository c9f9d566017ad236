#pragma once
// The codec's part for screens watched from a desk (inside protocol/ only): reports, the
// screen list, relayed requests and the files screens send back.
#include <optional>
#include <string_view>

#include "protocol/json_fields.hpp"
#include "protocol/messages.hpp"

namespace tablo::protocol::wire {

json report_json(const ScreenReport& r);
json file_json(const ScreenFile& f);
ScreenFile read_file(const json& j);
void write_screen_action(json& j, const ScreenAction& action);
std::optional<ScreenAction> read_screen_action(const json& j, std::string_view cmd);
ScreenList read_screen_list(const json& j);

}  // namespace tablo::protocol::wire
