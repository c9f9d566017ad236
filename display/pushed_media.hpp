#pragma once
// A pushed playlist that names files of the hub's media library plays only once this screen
// has every one of them, fetched and verified (fetch/fetcher.hpp); until then the playlist
// playing now plays on. Lives on the screen's thread; the fetching is on the fetcher's.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "config/settings.hpp"
#include "display/report_line.hpp"
#include "display/screen_state.hpp"
#include "fetch/fetcher.hpp"
#include "protocol/messages.hpp"

namespace tablo::display {

// The cache's folder when display.fetch.cache_dir is empty: /var/lib/tablo/media-cache/<screen>
// when writable, else $XDG_STATE_HOME or ~/.local/state/tablo/media-cache/<screen>.
std::filesystem::path default_cache_dir(std::string_view screen);

class PushedMedia {
 public:
  // Tokens are asked of the hub over `line`, which must outlive this. `wake` is called from
  // the fetcher's thread when a playlist is ready. A cache folder that cannot be made is
  // logged and reported; pushed playlists without library files still play.
  PushedMedia(const config::DisplaySettings& settings, ReportLine& line, std::function<void()> wake);
  ~PushedMedia();

  // The newest pushed playlist (or its withdrawal); it is ready once its files are here.
  void want(const PushedPlaylist& pushed);
  // The playlist to follow now, once; nullopt while it waits.
  std::optional<PushedPlaylist> take_ready();
  // Where each `file = NAME` of `pushed` plays from: the cache.
  std::map<std::string, std::filesystem::path> files_of(const PushedPlaylist& pushed) const;
  protocol::MediaReport report() const;

 private:
  std::unique_ptr<fetch::TokenSource> tokens_;
  std::unique_ptr<fetch::MediaFetcher> fetcher_;
  std::map<std::uint64_t, PushedPlaylist> asked_;  // by the fetcher's serial, until taken
  std::string broken_;                  // why there is no fetcher
  std::optional<PushedPlaylist> local_;  // without a fetcher: the newest push that needs none
};

}  // namespace tablo::display
