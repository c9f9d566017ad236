#pragma once
// The codec's part for the media library's files (inside protocol/ only): what a screen
// reports of fetching them.
#include "protocol/json_fields.hpp"
#include "protocol/messages.hpp"

namespace tablo::protocol::wire {

json media_report_json(const MediaReport& m);
MediaReport read_media_report(const json& j);

}  // namespace tablo::protocol::wire
