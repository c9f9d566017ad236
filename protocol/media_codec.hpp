#pragma once
// The codec's part for the media library (inside protocol/ only): a pushed playlist's files,
// the media commands and their answers.
#include <optional>
#include <string_view>

#include "protocol/json_fields.hpp"
#include "protocol/messages.hpp"

namespace tablo::protocol::wire {

json media_json(const PlaylistMedia& media);
// The field `media` of `j` (absent: none).
PlaylistMedia read_playlist_media(const json& j);
void write_media_action(json& j, const MediaAction& action);
std::optional<MediaAction> read_media_action(const json& j, std::string_view cmd);
void write_media_answer(json& j, const MediaProgress& progress);
void write_media_answer(json& j, const MediaItems& items);
void write_media_answer(json& j, const MediaToken& token);
// A reply's media answer, when it is one.
std::optional<Answer> read_media_answer(const json& j);

}  // namespace tablo::protocol::wire
