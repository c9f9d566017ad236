#include "web/hub_desk.hpp"

#include <thread>

#include "protocol/codec.hpp"

namespace tablo::web {

using namespace std::chrono_literals;

HubDesk::HubDesk(zmq::context_t& context, const std::string& endpoint, const std::optional<protocol::ClientKeys>& keys,
                 std::chrono::seconds screenshot_reuse)
    : endpoint_(endpoint),
      board_{{}, protocol::CommandClient(context, endpoint, keys)},
      screens_{{}, protocol::CommandClient(context, endpoint, keys, protocol::limits::screen_answer)},
      media_{{}, protocol::CommandClient(context, endpoint, keys, protocol::limits::screen_answer)},  // a long library
      screenshot_reuse_(screenshot_reuse) {}

std::optional<protocol::Reply> HubDesk::ask(const std::string& zone, protocol::Action action) {
  const auto* screen = std::get_if<protocol::ScreenAction>(&action);
  const bool relayed = screen && !std::holds_alternative<protocol::ScreensRequest>(*screen);
  Lane& lane = relayed ? screens_ : board_;
  std::lock_guard lock(lane.mutex);
  const protocol::Command command{lane.client.next_id(), zone, std::move(action)};
  // The hub waits up to 5 s for a screen's answer before it says the screen did not answer.
  const auto wait = relayed ? 7000ms : 2000ms;
  for (int attempt = 0; attempt < 2; ++attempt)
    if (auto reply = lane.client.request(command, wait)) return reply;
  return std::nullopt;
}

std::optional<protocol::Reply> HubDesk::ask_media(protocol::MediaAction action, std::chrono::milliseconds wait) {
  std::lock_guard lock(media_.mutex);
  if (std::holds_alternative<protocol::MediaChunk>(action)) {
    std::this_thread::sleep_until(next_chunk_);
    next_chunk_ = std::chrono::steady_clock::now() + 40ms;
  }
  // One try: a chunk the hub took but whose reply was lost is refused when sent again, and the
  // uploader asks media_add where to go on.
  return media_.client.request({media_.client.next_id(), std::string(protocol::default_zone), std::move(action)}, wait);
}

std::optional<std::string> HubDesk::screenshot(const std::string& screen, std::string& error) {
  {
    std::lock_guard lock(shots_mutex_);
    const auto it = shots_.find(screen);
    if (it != shots_.end() && std::chrono::steady_clock::now() - it->second.at < screenshot_reuse_) {
      error = it->second.error;
      return it->second.png.empty() ? std::nullopt : std::optional(it->second.png);
    }
  }
  Shot shot;
  const auto reply = ask(std::string(protocol::default_zone), protocol::ScreenAction{protocol::ScreenshotRequest{screen}});
  if (!reply) {
    shot.error = "no reply from the hub at " + endpoint_;
  } else if (const auto* no = std::get_if<protocol::Refused>(&reply->answer)) {
    shot.error = no->error;
  } else if (const auto* file = std::get_if<protocol::ScreenFile>(&reply->answer)) {
    shot.png = file->data;
  } else {
    shot.error = "the hub answered the screenshot with a reply of the wrong kind";
  }
  shot.at = std::chrono::steady_clock::now();
  std::lock_guard lock(shots_mutex_);
  if (shots_.size() > 1000) shots_.clear();  // screens come and go; a bound, not a policy
  error = shot.error;
  auto& kept = shots_[screen] = std::move(shot);
  return kept.png.empty() ? std::nullopt : std::optional(kept.png);
}

}  // namespace tablo::web
