#include "media/packet_queue.hpp"

#include <algorithm>

namespace tablo::media {
namespace {

double packet_seconds(const AVPacket& p, double time_base) {
  return p.duration > 0 ? static_cast<double>(p.duration) * time_base : 0.0;
}

}  // namespace

void PacketQueue::use(Lane lane, double time_base) {
  std::lock_guard lock(mutex_);
  of(lane).used = true;
  of(lane).time_base = time_base;
}

bool PacketQueue::needs_more_locked() const {
  if (bytes_ == 0) return true;
  if (bytes_ >= limits_.most_bytes) return false;
  return std::any_of(lanes_.begin(), lanes_.end(), [&](const Queue& q) {
    // Packets without a duration count by number: a lane of 50 of them has enough.
    return q.used && q.seconds < limits_.seconds && static_cast<double>(q.packets.size()) < 50 * limits_.seconds;
  });
}

bool PacketQueue::wait_for_room() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return closed_ || needs_more_locked(); });
  return !closed_;
}

void PacketQueue::push(Lane lane, PacketPtr packet) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    Queue& q = of(lane);
    q.seconds += packet_seconds(*packet, q.time_base);
    bytes_ += static_cast<std::size_t>(packet->size);
    q.packets.push_back(std::move(packet));
  }
  changed_.notify_all();
}

void PacketQueue::finish() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  changed_.notify_all();
}

std::optional<PacketPtr> PacketQueue::pop(Lane lane) {
  std::unique_lock lock(mutex_);
  Queue& q = of(lane);
  changed_.wait(lock, [&] { return closed_ || finished_ || !q.packets.empty(); });
  if (closed_ || q.packets.empty()) return std::nullopt;
  PacketPtr packet = std::move(q.packets.front());
  q.packets.pop_front();
  q.seconds = q.packets.empty() ? 0.0 : std::max(0.0, q.seconds - packet_seconds(*packet, q.time_base));
  bytes_ -= std::min(bytes_, static_cast<std::size_t>(packet->size));
  lock.unlock();
  changed_.notify_all();
  return packet;
}

std::size_t PacketQueue::skip_to_keyframe(Lane lane, std::int64_t pts) {
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    Queue& q = of(lane);
    auto key = q.packets.end();
    for (auto p = q.packets.begin(); p != q.packets.end(); ++p) {
      const std::int64_t at = (*p)->pts != AV_NOPTS_VALUE ? (*p)->pts : (*p)->dts;
      if (at != AV_NOPTS_VALUE && at > pts) break;
      if ((*p)->flags & AV_PKT_FLAG_KEY) key = p;
    }
    if (key == q.packets.end() || key == q.packets.begin()) return 0;
    for (auto p = q.packets.begin(); p != key; ++p) {
      q.seconds = std::max(0.0, q.seconds - packet_seconds(**p, q.time_base));
      bytes_ -= std::min(bytes_, static_cast<std::size_t>((*p)->size));
      ++dropped;
    }
    q.packets.erase(q.packets.begin(), key);
  }
  changed_.notify_all();
  return dropped;
}

void PacketQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& q : lanes_) q.packets.clear();
    bytes_ = 0;
  }
  changed_.notify_all();
}

bool PacketQueue::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace tablo::media
