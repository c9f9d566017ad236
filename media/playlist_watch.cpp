#include "media/playlist_watch.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace tablo::media {

PlaylistWatch::PlaylistWatch(std::filesystem::path playlist, std::function<void()> wake)
    : playlist_(std::filesystem::absolute(std::move(playlist))), wake_(std::move(wake)) {
  const auto folder = playlist_.parent_path();
  inotify_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify_ < 0) throw std::runtime_error(std::string("cannot watch playlists: ") + std::strerror(errno));
  // Closed after writing, renamed into place, removed: never a half-written file.
  if (inotify_add_watch(inotify_, folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM) < 0) {
    const int error = errno;
    ::close(inotify_);
    throw std::runtime_error("cannot watch the playlist folder " + folder.string() + ": " + std::strerror(error));
  }
  stop_ = eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { run(); });
}

PlaylistWatch::~PlaylistWatch() {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(stop_, &one, sizeof one);
  thread_.join();
  ::close(stop_);
  ::close(inotify_);
}

PlaylistWatch::Changes PlaylistWatch::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(changes_, {});
}

void PlaylistWatch::run() {
  alignas(inotify_event) char buffer[16 * 1024];
  const auto folder = playlist_.parent_path();
  for (;;) {
    pollfd fds[2] = {{inotify_, POLLIN, 0}, {stop_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    bool news = false;
    for (;;) {
      const ssize_t n = ::read(inotify_, buffer, sizeof buffer);
      if (n <= 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        if (event->len == 0) continue;
        const auto path = folder / event->name;
        std::lock_guard lock(mutex_);
        if (path == playlist_) {
          changes_.playlist = true;
        } else if (event->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
          changes_.files.insert(path);
        } else {
          continue;
        }
        news = true;
      }
    }
    if (news && wake_) wake_();
  }
}

}  // namespace tablo::media
