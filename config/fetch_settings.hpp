#pragma once
// How a screen fetches the media library's files that a pushed playlist names
// ([display.fetch], docs/CONFIG.md), and where it keeps them.
#include <string>
#include <vector>

namespace tablo::config {

struct FetchSettings {
  // The cache's folder; empty: /var/lib/tablo/media-cache/<display.name> when writable, else
  // ~/.local/state/tablo/media-cache/<display.name>.
  std::string cache_dir;
  double cache_max_gb = 20.0;    // the cache's size limit, 0.01–10000
  double disk_reserve_gb = 1.0;  // free space always left on the cache's disk, 0–1000
  // Base URLs ("http://cache.branch.local/media/") asked before the hub, in order; any HTTP
  // server or cache may serve: every byte is checked against its SHA-256.
  std::vector<std::string> mirrors;
  double rate_limit_mbit = 50;     // the screen's download speed limit, megabits a second; 0: none
  double retry_max_seconds = 300;  // the longest wait between failed attempts, 5–3600
  bool operator==(const FetchSettings&) const = default;
};

}  // namespace tablo::config
