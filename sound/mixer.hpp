#pragma once
// The sound of a screen: announcements, played one after another and never over each
// other, over the video soundtrack, which is lowered (ducked) while one plays. render()
// runs on SDL's audio thread, or offline into a buffer for tests and --audio-out; the
// rest may be called from any thread.
//
// The soundtrack is pulled from its source as the output asks for sound, so what has been
// handed to the output — less the output's own buffer — is what the hall has heard: the
// clock that a video's pictures follow (ffplay's "audio master").
#include <chrono>
#include <cstdint>
#include <functional>
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
  // Copies up to `frames` frames of the soundtrack into `out` and returns how many; called
  // on the audio thread, so it must never wait. Fewer than asked: it has run dry (silence).
  using Soundtrack = std::function<std::size_t(float* out, std::size_t frames)>;
  // From the next render on, the soundtrack is `source` (empty: none), named `id`.
  void play_soundtrack(Soundtrack source, std::uint64_t id);
  // How far the hall has heard soundtrack `id` at `now`: seconds from its first sample,
  // counted from what was rendered, less the output's latency, plus the time since. Nothing
  // while another one plays, before its first render, or when it ran dry in the last one.
  std::optional<double> soundtrack_heard(std::uint64_t id, std::chrono::steady_clock::time_point now) const;
  // How long a sample handed over by render() takes to be heard (the output's buffers).
  void set_latency(std::size_t frames);
  void set_soundtrack_gain(float gain);
  void set_announcement_gain(float gain);

  // `at`: when the output asked for these frames (tests pass their own clock).
  void render(float* out, std::size_t frames,
              std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now());

  std::optional<std::uint64_t> playing() const;
  // What the clip playing now says, if one plays.
  std::optional<Announcing> playing_what() const;
  // How long an announcement queued now would wait: the rest of the one playing and
  // every one waiting, each with the silence after it.
  double seconds_ahead() const;
  // Announcements queued and not yet started.
  std::size_t waiting() const;
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
  Soundtrack soundtrack_;
  std::uint64_t soundtrack_id_ = 0;
  std::vector<float> pulled_;          // the soundtrack of one render
  std::uint64_t soundtrack_frames_ = 0;  // of soundtrack_id_, rendered so far
  std::optional<std::chrono::steady_clock::time_point> rendered_at_;  // of the last render with it
  bool dry_ = false;                   // the last render got less than it asked for
  std::size_t latency_ = 0;
  float soundtrack_gain_ = 1.0f;
  float announcement_gain_ = 1.0f;
  float duck_ = 1.0f;            // current soundtrack ducking factor, ramps toward its target
  std::uint64_t frame_ = 0;
  std::vector<MixerEvent> events_;
};

}  // namespace tablo::sound
