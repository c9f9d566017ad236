#pragma once
// The sound of a screen: announcements, played one after another and never over each
// other, over the video soundtrack, which is lowered (ducked) while one plays. render()
// runs on SDL's audio thread, or offline into a buffer for tests and --audio-out; the
// rest may be called from any thread.
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sound/pcm.hpp"
#include "sound/said.hpp"

namespace tablo::sound {

struct Clip {
  std::uint64_t id = 0;
  std::string label;  // for logs: "А025 → окно 3"
  Pcm pcm;            // in the mixer's format
  Announcing what;    // what the screen shows while it plays
};

struct MixerEvent {
  enum class Kind { started, finished };
  Kind kind;
  std::uint64_t id;
  std::uint64_t frame;  // mixer frame at which it happened
  std::string label;
  Announcing what;
};

class Mixer {
 public:
  explicit Mixer(PcmFormat format, float duck_gain = 0.2f, double gap_seconds = 0.5);

  PcmFormat format() const { return format_; }

  void queue(Clip clip);
  // Soundtrack samples in the mixer's format; beyond two seconds ahead the oldest are dropped.
  void push_soundtrack(const float* samples, std::size_t frames);
  void set_soundtrack_gain(float gain);
  void set_announcement_gain(float gain);

  void render(float* out, std::size_t frames);

  std::optional<std::uint64_t> playing() const;
  // What the clip playing now says, if one plays.
  std::optional<Announcing> playing_what() const;
  // How long an announcement queued now would wait: the rest of the one playing and
  // every one waiting, each with the silence after it.
  double seconds_ahead() const;
  std::vector<MixerEvent> take_events();

 private:
  void start_next_locked();

  const PcmFormat format_;
  const float duck_gain_;
  const std::size_t gap_frames_;
  mutable std::mutex mutex_;
  std::deque<Clip> waiting_;
  std::optional<Clip> current_;
  std::size_t position_ = 0;     // frames of current_ played
  std::size_t gap_left_ = 0;     // silence before the next announcement
  std::deque<float> soundtrack_;
  float soundtrack_gain_ = 1.0f;
  float announcement_gain_ = 1.0f;
  float duck_ = 1.0f;            // current soundtrack ducking factor, ramps toward its target
  std::uint64_t frame_ = 0;
  std::vector<MixerEvent> events_;
};

}  // namespace tablo::sound
