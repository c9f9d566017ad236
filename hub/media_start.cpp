#include "hub/media_start.hpp"

#include <spdlog/spdlog.h>

#include "hub/guard.hpp"
#include "hub/server.hpp"

namespace tablo::hub {
namespace {

std::uint64_t megabytes(double mb) { return static_cast<std::uint64_t>(mb * 1e6); }

// A port that is taken costs the screens their fetches (logged; tokens are refused saying so),
// never the hall its calls.
std::unique_ptr<MediaEndpoint> listen(const config::HubMediaSettings& m, const MediaLibrary& library,
                                      const MediaTokens& tokens) {
  if (m.listen.empty()) return nullptr;
  try {
    return std::make_unique<MediaEndpoint>(m.listen, library.files_folder(), tokens, m.transfers);
  } catch (const MediaError& e) {
    spdlog::error("{}; the hub runs on, but screens cannot fetch media", e.what());
    return nullptr;
  }
}

}  // namespace

MediaService::MediaService(const config::HubMediaSettings& m, const std::filesystem::path& folder)
    : library(folder, MediaLimits{megabytes(m.max_item_mb), megabytes(m.library_mb), megabytes(m.reserve_mb)}),
      tokens(folder / "token.secret"),
      http(listen(m, library, tokens)),
      commands(library, tokens, http.get(), m) {}

std::filesystem::path media_folder(const config::HubMediaSettings& settings, const std::filesystem::path& journal_dir) {
  if (!settings.folder.empty()) return settings.folder;
  return journal_dir / "media";
}

std::unique_ptr<MediaService> start_media(const config::HubSettings& settings, const std::filesystem::path& journal_dir,
                                          bool uses_keys) {
  const auto& m = settings.media;
  const auto folder = media_folder(m, journal_dir);
  // Tokens come only to keys the hub knows; without keys, anyone who reaches the command socket
  // (loopback) gets one, so the files are served as far as the commands reach.
  if (!m.listen.empty() && !uses_keys && !loopback_only("tcp://" + m.listen)) {
    if (!settings.allow_insecure)
      throw BindError("refusing to serve media on " + m.listen +
                      ": without keys the hub listens on this machine only (127.0.0.1), since anyone could take a "
                      "token. Give the hub keys (hub.secret_key, hub.authorized_keys), or set hub.allow_insecure = "
                      "true on a network you trust");
    spdlog::warn("serving media on {} without keys (hub.allow_insecure): anyone who reaches the hub can fetch its files",
                 m.listen);
  }
  auto service = std::make_unique<MediaService>(m, folder);
  spdlog::info("media library in {}: {} files, {}{}", folder.string(), service->library.items().size(),
               bytes_text(service->library.stored_bytes()),
               service->http ? "; served on http://" + m.listen + "/media/" : std::string("; not served (hub.media.listen is empty)"));
  return service;
}

}  // namespace tablo::hub
