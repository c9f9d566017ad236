#include "hub/media_commands.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "hub/hub.hpp"
#include "hub/media_http.hpp"
#include "hub/media_library.hpp"
#include "hub/media_token.hpp"
#include "hub/playlist_files.hpp"

namespace tablo::hub {

using namespace tablo::protocol;

MediaCommands::MediaCommands(MediaLibrary& library, const MediaTokens& tokens, const MediaEndpoint* http,
                             const config::HubMediaSettings& settings)
    : library_(library), tokens_(tokens), http_(http), settings_(settings) {}

Answer MediaCommands::handle(const MediaAction& action, const std::string& key, const Hub& hub, std::int64_t now) {
  try {
    return std::visit(
        [&](const auto& a) -> Answer {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, MediaAdd>) {
            return library_.add(a, now);
          } else if constexpr (std::is_same_v<A, MediaChunk>) {
            return library_.take(a, now);
          } else if constexpr (std::is_same_v<A, MediaListRequest>) {
            return MediaItems{library_.items()};
          } else if constexpr (std::is_same_v<A, MediaInfoRequest>) {
            const auto* item = library_.find(a.name);
            if (!item) return Refused{"the library has no file named '" + a.name + "' (tabloctl media list)"};
            return MediaItems{{*item}};
          } else if constexpr (std::is_same_v<A, MediaRemove>) {
            return remove(a.name, hub);
          } else {
            if (!http_) {
              return Refused{settings_.listen.empty()
                                 ? "this hub serves no media over HTTP (hub.media.listen is empty)"
                                 : "this hub could not listen for media on " + settings_.listen +
                                       " (see its log: is another program on that port?)"};
            }
            const auto expires = now / 1000 + static_cast<std::int64_t>(settings_.token_seconds);
            return MediaToken{tokens_.issue(key, expires), expires, http_->port(), settings_.url};
          }
        },
        action);
  } catch (const MediaRefusal& e) {
    return Refused{e.what()};
  }
}

Answer MediaCommands::remove(const std::string& name, const Hub& hub) {
  const auto* item = library_.find(name);
  if (!item) return Refused{"the library has no file named '" + name + "' (tabloctl media list)"};
  const auto all = library_.items();
  const auto names_of_file = std::count_if(all.begin(), all.end(), [&](const MediaItem& i) { return i.file == item->file; });
  for (const auto& [zone, saved] : hub.saved().zones) {
    for (const auto& [used, file] : saved.board.playlist_media) {
      if (used == name || (file == item->file && names_of_file == 1)) {
        return Refused{"'" + name + "' is in the playlist in force in zone '" + zone +
                       "': push a playlist without it first (tabloctl --zone " + zone + " playlist set FILE)"};
      }
    }
  }
  return MediaItems{{library_.remove(name)}};
}

std::optional<Refused> MediaCommands::resolve(Command& command) const {
  auto* change = std::get_if<Change>(&command.action);
  auto* playlist = change ? std::get_if<PlaylistSet>(change) : nullptr;
  if (!playlist) return std::nullopt;
  playlist->media.clear();  // the hub says what the files are, not the sender
  if (playlist->text.empty()) return std::nullopt;
  auto refuse = [&](std::string why) {
    spdlog::warn("refused a playlist for zone {}: {}", command.zone, why);
    return Refused{"zone '" + command.zone + "': " + why};
  };
  try {
    for (const auto& name : playlist_files(playlist->text)) {
      const auto* item = library_.find(name);
      if (!item) {
        return refuse("the playlist names '" + name + "', which is not in the media library (tabloctl media list; "
                      "add it with tabloctl media add FILE --name " + name + ")");
      }
      playlist->media[name] = item->file;
    }
  } catch (const PlaylistError& e) {
    return refuse(e.what());
  }
  if (playlist->media.size() > limits::playlist_files)
    return refuse("the playlist names more than " + std::to_string(limits::playlist_files) + " files");
  return std::nullopt;
}

std::vector<std::string> MediaCommands::lacking(const PlaylistMedia& media) const {
  std::vector<std::string> names;
  for (const auto& [name, file] : media) {
    std::error_code ignored;
    if (!std::filesystem::exists(library_.files_folder() / file.sha256, ignored)) names.push_back(name);
  }
  return names;
}

void MediaCommands::add_figures(Answer& answer) const {
  auto* status = std::get_if<Status>(&answer);
  if (!status) return;
  status->counters["media.items"] = library_.items().size();
  status->counters["media.stored_bytes"] = library_.stored_bytes();
  if (library_.received_bytes() > 0) status->counters["media.received_bytes"] = library_.received_bytes();
  if (!http_) return;
  for (const auto& [name, n] : http_->figures()) status->counters["media." + name] = n;
}

}  // namespace tablo::hub
