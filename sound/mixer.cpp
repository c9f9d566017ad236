#include "sound/mixer.hpp"

#include <algorithm>
#include <utility>

namespace tablo::sound {

Mixer::Mixer(PcmFormat format, float duck_gain, double gap_seconds)
    : format_(format), duck_gain_(duck_gain), gap_frames_(static_cast<std::size_t>(gap_seconds * format.rate)) {}

void Mixer::queue(Clip clip) {
  if (clip.pcm.samples.empty()) return;
  std::lock_guard lock(mutex_);
  waiting_.push_back(std::move(clip));
}

void Mixer::play_soundtrack(Soundtrack source, std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    std::swap(soundtrack_, source);
    soundtrack_id_ = id;
    soundtrack_frames_ = 0;
    rendered_at_.reset();
    dry_ = false;
  }
  // The old source (and what it holds) goes here, on the caller's thread, not the audio one.
}

std::optional<double> Mixer::soundtrack_heard(std::uint64_t id, std::chrono::steady_clock::time_point now) const {
  std::lock_guard lock(mutex_);
  if (!soundtrack_ || id != soundtrack_id_ || !rendered_at_ || dry_) return std::nullopt;
  const double rate = format_.rate;
  const double handed = static_cast<double>(soundtrack_frames_) / rate;
  const double since = std::chrono::duration<double>(now - *rendered_at_).count();
  return std::min(handed, handed - static_cast<double>(latency_) / rate + since);
}

void Mixer::set_latency(std::size_t frames) {
  std::lock_guard lock(mutex_);
  latency_ = frames;
}

void Mixer::set_soundtrack_gain(float gain) {
  std::lock_guard lock(mutex_);
  soundtrack_gain_ = gain;
}

void Mixer::set_announcement_gain(float gain) {
  std::lock_guard lock(mutex_);
  announcement_gain_ = gain;
}

void Mixer::start_next_locked() {
  if (current_ || gap_left_ > 0 || waiting_.empty()) return;
  current_ = std::move(waiting_.front());
  waiting_.pop_front();
  position_ = 0;
  events_.push_back({MixerEvent::Kind::started, current_->id, frame_, current_->label, current_->what});
}

void Mixer::render(float* out, std::size_t frames, std::chrono::steady_clock::time_point at) {
  std::lock_guard lock(mutex_);
  const auto channels = static_cast<std::size_t>(format_.channels);
  std::size_t track = 0;  // frames of soundtrack in this render
  if (soundtrack_) {
    if (pulled_.size() < frames * channels) pulled_.resize(frames * channels);
    track = std::min(frames, soundtrack_(pulled_.data(), frames));
    soundtrack_frames_ += track;
    dry_ = track < frames;
    rendered_at_ = at;
  }
  // The ducking moves over 50 ms so that the soundtrack fades rather than clicks.
  const float duck_step = 1.0f / (0.05f * static_cast<float>(format_.rate));
  for (std::size_t f = 0; f < frames; ++f, ++frame_) {
    start_next_locked();
    const float duck_target = current_ ? duck_gain_ : 1.0f;
    duck_ = duck_ < duck_target ? std::min(duck_target, duck_ + duck_step) : std::max(duck_target, duck_ - duck_step);
    for (std::size_t c = 0; c < channels; ++c) {
      float sample = 0.0f;
      if (f < track) sample += pulled_[f * channels + c] * soundtrack_gain_ * duck_;
      if (current_) sample += current_->pcm.samples[position_ * channels + c] * announcement_gain_;
      out[f * channels + c] = std::clamp(sample, -1.0f, 1.0f);
    }
    if (current_ && ++position_ >= current_->pcm.frames()) {
      // The clip goes now: its label and words move into the event (no copy on the audio thread).
      events_.push_back({MixerEvent::Kind::finished, current_->id, frame_ + 1, std::move(current_->label),
                         std::move(current_->what)});
      current_.reset();
      gap_left_ = gap_frames_;
    } else if (!current_ && gap_left_ > 0) {
      --gap_left_;
    }
  }
}

std::optional<std::uint64_t> Mixer::playing() const {
  std::lock_guard lock(mutex_);
  return current_ ? std::optional(current_->id) : std::nullopt;
}

std::optional<Announcing> Mixer::playing_what() const {
  std::lock_guard lock(mutex_);
  return current_ ? std::optional(current_->what) : std::nullopt;
}

double Mixer::seconds_ahead() const {
  std::lock_guard lock(mutex_);
  std::size_t frames = current_ ? current_->pcm.frames() - position_ + gap_frames_ : gap_left_;
  for (const auto& c : waiting_) frames += c.pcm.frames() + gap_frames_;
  return static_cast<double>(frames) / format_.rate;
}

std::size_t Mixer::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

std::vector<MixerEvent> Mixer::take_events() {
  std::lock_guard lock(mutex_);
  return std::exchange(events_, {});
}

}  // namespace tablo::sound
