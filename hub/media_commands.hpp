#pragma once
// The hub's answers to the media commands (docs/PROTOCOL.md, "Media library"), the media a
// pushed playlist names, and the library's figures in `status`. On the hub's loop.
#include <optional>
#include <string>
#include <vector>

#include "config/media_settings.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

class Hub;
class MediaLibrary;
class MediaTokens;
class MediaEndpoint;

class MediaCommands {
 public:
  // `http`: none when hub.media.listen is empty (then tokens are refused).
  MediaCommands(MediaLibrary& library, const MediaTokens& tokens, const MediaEndpoint* http,
                const config::HubMediaSettings& settings);

  // `key`: the name of the caller's key ("local" without keys); `hub`: whose playlists in
  // force keep their files from removal.
  protocol::Answer handle(const protocol::MediaAction& action, const std::string& key, const Hub& hub,
                          std::int64_t now_unix_ms);
  // Fills in a pushed playlist's `media` from the library; the refusal when it names a file the
  // library lacks (or is not TOML). Other commands pass untouched.
  std::optional<protocol::Refused> resolve(protocol::Command& command) const;
  // The names in `media` (a playlist from the regional hub) whose files this library lacks.
  std::vector<std::string> lacking(const protocol::PlaylistMedia& media) const;
  // Adds the library's and the HTTP endpoint's counters (media.*) to a `status` answer.
  void add_figures(protocol::Answer& answer) const;

 private:
  protocol::Answer remove(const std::string& name, const Hub& hub);

  MediaLibrary& library_;
  const MediaTokens& tokens_;
  const MediaEndpoint* http_;
  config::HubMediaSettings settings_;
};

}  // namespace tablo::hub
