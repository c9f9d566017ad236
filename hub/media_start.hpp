#pragma once
// The hub's media library, its tokens, its HTTP endpoint and its commands, started together
// from [hub.media] (tablo-hub's main).
#include <filesystem>
#include <memory>

#include "config/settings.hpp"
#include "hub/media_commands.hpp"
#include "hub/media_http.hpp"
#include "hub/media_library.hpp"
#include "hub/media_token.hpp"

namespace tablo::hub {

struct MediaService {
  // Throws MediaError.
  MediaService(const config::HubMediaSettings& settings, const std::filesystem::path& folder);
  MediaLibrary library;
  MediaTokens tokens;
  std::unique_ptr<MediaEndpoint> http;  // none when hub.media.listen is "" or cannot be listened on
  MediaCommands commands;
};

// The folder of the library: hub.media.folder, or "media" in the journal's folder.
std::filesystem::path media_folder(const config::HubMediaSettings& settings, const std::filesystem::path& journal_dir);

// Throws MediaError (folder, index, secret) and BindError (an address other machines
// reach, on a hub without keys and without hub.allow_insecure).
std::unique_ptr<MediaService> start_media(const config::HubSettings& settings, const std::filesystem::path& journal_dir,
                                          bool uses_keys);

}  // namespace tablo::hub
