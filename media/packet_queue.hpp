#pragma once
// Packets read from a file, waiting for their decoders: one lane per stream (pictures,
// sound). The demux thread reads ahead until every lane holds a few seconds, as ffplay and
// mpv do, so a file whose sound is stored in long chunks still has its sound ready when
// the pictures need it. Decoder threads wait here for packets; the demux thread waits for
// room.
#include <array>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include "media/ffmpeg_handles.hpp"

namespace tablo::media {

enum class Lane { pictures = 0, sound = 1 };

struct ReadAhead {
  double seconds = 2.0;                   // the demuxer reads on while a lane in use holds less
  std::size_t most_bytes = 64 << 20;      // and stops beyond this, whatever the lanes hold
};

class PacketQueue {
 public:
  explicit PacketQueue(ReadAhead limits = {}) : limits_(limits) {}

  // Demux side. A lane that is not used is never waited for.
  void use(Lane lane, double time_base);
  // Waits until some lane in use needs more (or nothing is queued at all); false once closed.
  bool wait_for_room();
  void push(Lane lane, PacketPtr packet);
  void finish();  // the end of the file: decoders drain what is queued, then end

  // Decoder side. Waits for a packet of `lane`; nullopt at the end of the file or once closed.
  std::optional<PacketPtr> pop(Lane lane);
  // Far behind: drops the lane's packets before its last keyframe at or before `pts`
  // (stream units) and returns how many it dropped; 0 when no such keyframe is queued.
  std::size_t skip_to_keyframe(Lane lane, std::int64_t pts);

  void close();  // wakes everyone; nothing more is read or decoded
  bool closed() const;

 private:
  struct Queue {
    std::deque<PacketPtr> packets;
    double seconds = 0, time_base = 0;
    bool used = false;
  };
  bool needs_more_locked() const;
  Queue& of(Lane lane) { return lanes_[static_cast<std::size_t>(lane)]; }

  const ReadAhead limits_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::array<Queue, 2> lanes_;
  std::size_t bytes_ = 0;
  bool finished_ = false, closed_ = false;
};

}  // namespace tablo::media
