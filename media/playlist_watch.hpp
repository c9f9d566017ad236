#pragma once
// Watches a playlist's folder (inotify) for the playlist being rewritten — in place or by
// writing a new file and renaming it over the old, as editors and scripts do — and for
// media files beside it being replaced. Its own thread only notes what changed and wakes
// the screen; the screen reloads on its own thread.
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

namespace tablo::media {

class PlaylistWatch {
 public:
  // Throws std::runtime_error naming the folder when it cannot be watched.
  PlaylistWatch(std::filesystem::path playlist, std::function<void()> wake);
  ~PlaylistWatch();
  PlaylistWatch(const PlaylistWatch&) = delete;
  PlaylistWatch& operator=(const PlaylistWatch&) = delete;

  struct Changes {
    bool playlist = false;                     // the playlist file was written, renamed or removed
    std::set<std::filesystem::path> files;     // other files of the folder that were written
  };
  // What changed since the last call.
  Changes take();

 private:
  void run();

  std::filesystem::path playlist_;
  std::function<void()> wake_;
  int inotify_ = -1;
  int stop_ = -1;  // eventfd
  std::mutex mutex_;
  Changes changes_;
  std::thread thread_;
};

}  // namespace tablo::media
