#pragma once
// The hub's media library and its HTTP endpoint ([hub.media], docs/CONFIG.md): where the
// files live, how much room they may take, and who may fetch them how fast.
#include <string>

namespace tablo::config {

struct HubMediaSettings {
  // Folder of the library; empty: "media" in the journal's folder (/var/lib/tablo/journal/media).
  std::string folder;
  // HTTP for the screens' fetches ("HOST:PORT"; "" for none). Loopback unless the hub has keys
  // (or hub.allow_insecure), as the hub's other listeners.
  std::string listen = "127.0.0.1:5557";
  std::string url;              // base URL the screens are told, "http://hub.branch:5557/media/"; empty: theirs
  int transfers = 4;            // files served at once; past it 503 with Retry-After, 1–1000
  double token_seconds = 3600;  // how long a fetch token lasts, 60–604800
  double max_item_mb = 4096;    // the largest file the library takes, 1–1000000
  double library_mb = 0;        // the most all files may take; 0: as much as the disk allows
  double reserve_mb = 1024;     // free space the library always leaves on its disk, 0–1000000
  bool operator==(const HubMediaSettings&) const = default;
};

// [hub.media] read through config/load.cpp's Section (a template, so that the table's reader
// stays in load.cpp and this file holds only what media adds).
template <class Section>
void read_hub_media(Section& in, HubMediaSettings& m) {
  in.text("folder", m.folder, /*may_be_empty=*/true);
  in.listen_address("listen", m.listen);
  in.text("url", m.url, /*may_be_empty=*/true);
  in.integer("transfers", m.transfers, 1, 1000);
  in.number("token_seconds", m.token_seconds, 60, 604800);
  in.number("max_item_mb", m.max_item_mb, 1, 1000000);
  in.number("library_mb", m.library_mb, 0, 100000000);
  in.number("reserve_mb", m.reserve_mb, 0, 1000000);
}

}  // namespace tablo::config
