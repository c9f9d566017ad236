#include "media/player.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tablo::media {
namespace {

using Seconds = std::chrono::duration<double>;

Clock::duration span(double seconds) { return std::chrono::duration_cast<Clock::duration>(Seconds(seconds)); }
double seconds(Clock::duration d) { return Seconds(d).count(); }

// An item may not start later than this after the previous one ended and still keep its
// own timeline; later than that it starts from its first frame at "now".
constexpr double max_catch_up = 0.1;
// How often to look again when nothing is playable (schedules, files that may come back).
constexpr double idle_recheck = 1.0;
// While waiting for a decoder that should wake us anyway.
constexpr double hold_recheck = 0.05;

}  // namespace

struct Player::Clip {
  PlaylistItem item;
  std::size_t index = 0;
  std::unique_ptr<VideoDecoder> decoder;
  std::optional<Frame> shown;
  std::optional<VideoInfo> info;
  Clock::time_point start{};  // when its first picture is (or was) due; follows its sound
  std::uint64_t sound_id = 0;  // its soundtrack in the mixer, while it plays there
  std::optional<Clock::time_point> cut_at;  // stopped early: the playlist dropped it
  bool rewritten = false;  // its file was written again while it played

  bool ready() const { return decoder->frames().front_pts().has_value(); }
  bool still() const { return info && info->still; }
};

Player::Player(PlayerOptions options) : options_(std::move(options)) {}
Player::~Player() {
  retire(next_);  // both stop at once; the reaper joins them as it goes
  retire(current_);
}

void Player::retire(std::unique_ptr<Clip>& clip) {
  if (!clip) return;
  if (clip->sound_id) options_.sound.play({}, 0);
  counters_.frames_not_decoded += clip->decoder->frames_not_decoded();
  reaper_.take(std::move(clip->decoder));
  clip.reset();
}

Player::Counters Player::counters() const {
  Counters c = counters_;
  if (current_) c.frames_not_decoded += current_->decoder->frames_not_decoded();
  return c;
}

void Player::set_playlist(Playlist playlist) {
  playlist_ = std::move(playlist);
  if (current_) {
    const auto& items = playlist_.items;
    auto same = std::find(items.begin(), items.end(), current_->item);
    if (same == items.end())
      same = std::find_if(items.begin(), items.end(), [&](const auto& i) { return i.file == current_->item.file; });
    if (same != items.end()) {
      current_->index = static_cast<std::size_t>(same - items.begin());
    } else {
      // Gone from the list: what took its place plays as soon as it is ready.
      resume_at_ = std::min(current_->index, items.size());
      current_->cut_at = Clock::time_point::min();
    }
  } else {
    resume_at_ = 0;
  }
  retire(next_);  // chosen from the old list; the new one chooses again, ahead of the boundary
  again_ = false;
}

void Player::file_changed(const std::filesystem::path& file) {
  if (broken_until_.erase(file)) spdlog::info("{} changed: trying it again", file.filename().string());
  last_error_.erase(file);
  if (current_ && current_->item.file == file) {
    current_->rewritten = true;  // its next round is decoded anew
    again_ = false;
  }
}

std::optional<std::size_t> Player::choose(std::size_t from, Clock::time_point now, const LocalTime& local) const {
  const std::size_t n = playlist_.items.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (from + k) % n;
    const auto& item = playlist_.items[i];
    if (!item.schedule.allows(local)) continue;
    if (auto broken = broken_until_.find(item.file); broken != broken_until_.end() && now < broken->second) continue;
    return i;
  }
  return std::nullopt;
}

std::unique_ptr<Player::Clip> Player::open(std::size_t index, Clock::time_point) {
  auto clip = std::make_unique<Clip>();
  clip->item = playlist_.items[index];
  clip->index = index;
  DecoderOptions decoder = options_.decoder;
  if (!heard(*clip)) decoder.sound_rate = 0;  // a muted item's sound is not even decoded
  clip->decoder = std::make_unique<VideoDecoder>(clip->item.file, decoder);
  return clip;
}

void Player::prepare_next(Clock::time_point now, const LocalTime& local, std::size_t after) {
  // Files that fail as they open are found here, one per call; each is then left out.
  if (auto i = choose(after, now, local)) next_ = open(*i, now);
}

bool Player::failed(Clip& clip, Clock::time_point now) {
  const FrameQueue& q = clip.decoder->frames();
  if (!q.finished() || q.size() > 0 || clip.shown) return false;
  const auto& file = clip.item.file;
  const std::string error = q.error().empty() ? "nothing to show" : q.error();
  if (last_error_[file] != error) {
    spdlog::warn("skipped {}: {} (trying again in {:.0f} s)", file.string(), error, options_.retry_seconds);
    last_error_[file] = error;
  }
  broken_until_[file] = now + span(options_.retry_seconds);
  ++counters_.skipped;
  return true;
}

void Player::take_due_frames(Clip& clip, Clock::time_point now) {
  const double position = seconds(now - clip.start);
  FrameQueue& q = clip.decoder->frames();
  // Several due frames at once (the screen was late): the newest wins, the rest are dropped.
  bool took = false;
  while (auto pts = q.front_pts()) {
    if (*pts > position) break;
    clip.shown = q.pop();
    ++serial_;
    if (took) ++counters_.dropped_frames;
    took = true;
  }
}

std::optional<Clock::time_point> Player::end_of(const Clip& clip) const {
  std::optional<Clock::time_point> end = clip.cut_at;
  auto earliest = [&](Clock::time_point t) { end = end ? std::min(*end, t) : t; };
  if (clip.still()) {
    earliest(clip.start + span(clip.item.duration.value_or(default_picture_seconds)));
    return end;
  }
  if (clip.item.duration) earliest(clip.start + span(*clip.item.duration));
  const FrameQueue& q = clip.decoder->frames();
  if (q.finished() && q.size() == 0 && clip.shown) earliest(clip.start + span(clip.shown->pts + clip.shown->duration));
  return end;
}

void Player::start(std::unique_ptr<Clip> clip, Clock::time_point at, Clock::time_point now) {
  again_ = false;
  clip->start = at;
  clip->info = clip->decoder->info();
  const auto& info = *clip->info;
  const double length = clip->item.duration.value_or(info.still ? default_picture_seconds : info.duration);
  const std::string name = clip->item.file.filename().string();
  if (clip->item.file != last_played_) {
    spdlog::info("playing {} ({:.1f} s, {}×{} {}{}{})", name, length, info.width, info.height, info.codec,
                 info.rotation ? ", turned " + std::to_string(info.rotation) + "°" : "",
                 clip->item.muted ? "" : ", sound " + std::to_string(static_cast<int>(clip->item.volume * 100)) + "%");
  } else {
    spdlog::debug("playing {} again", name);
  }
  last_played_ = clip->item.file;
  resume_at_ = clip->index + 1;
  if (heard(*clip)) {
    if (auto sound = clip->decoder->sound()) {
      clip->sound_id = ++sound_ids_;
      const auto volume = static_cast<float>(clip->item.volume);
      options_.sound.play(
          [sound, volume](float* stereo, std::size_t frames) {
            const std::size_t got = sound->pull(stereo, frames);
            for (std::size_t i = 0; i < got * VideoSound::channels; ++i) stereo[i] *= volume;
            return got;
          },
          clip->sound_id);
    }
  }
  current_ = std::move(clip);
  take_due_frames(*current_, now);
}

Shown Player::advance(Clock::time_point now, const LocalTime& local) {
  for (int step = 0; step < 8; ++step) {
    if (current_ && current_->cut_at == Clock::time_point::min()) current_->cut_at = now;
    if (next_ && failed(*next_, now)) {
      const std::size_t after = next_->index + 1;
      retire(next_);
      prepare_next(now, local, after);
      continue;
    }
    if (!current_) {
      if (!next_) prepare_next(now, local, resume_at_);
      if (next_ && next_->ready()) {
        start(std::move(next_), now, now);
        continue;
      }
      break;
    }

    follow_sound(*current_, now);
    take_due_frames(*current_, now);
    const auto end = end_of(*current_);
    if (!next_ && !again_) {
      // Preroll: open the next item ahead of the end, so its first frame is decoded in time.
      const auto& info = current_->decoder->info();
      double length = current_->item.duration.value_or(0);
      if (info && info->duration > 0) length = length > 0 ? std::min(length, info->duration) : info->duration;
      if (current_->still()) length = current_->item.duration.value_or(default_picture_seconds);
      const auto until = end ? *end : current_->start + span(length);
      const bool soon = (!end && length <= 0) || seconds(until - now) <= options_.preroll_seconds;
      // A playing item that left the playlist is followed by what took its place.
      const std::size_t after = current_->cut_at ? resume_at_ : current_->index + 1;
      // A still followed by itself (a one-item loop) stays up: its picture is not decoded again.
      if (soon && current_->still() && !current_->cut_at && !current_->rewritten &&
          choose(after, now, local) == current_->index) {
        again_ = true;
      } else if (soon) {
        prepare_next(now, local, after);
      }
      if (next_ && failed(*next_, now)) continue;
    }
    if (!end || now < *end) break;

    // The playing item is over.
    if (again_) {
      again_ = false;
      current_->start = seconds(now - *end) > max_catch_up ? now : *end;
      ++counters_.switches;
      continue;
    }
    if (!next_) {
      retire(current_);  // nothing else can play: the fallback slide
      break;
    }
    if (!next_->ready()) break;  // hold the last frame until the next one has its first
    const auto began = Clock::now();
    const double late = seconds(now - *end);
    const double interval = current_->shown ? current_->shown->duration : 0.04;
    const bool cut = current_->cut_at.has_value();
    retire(current_);
    start(std::move(next_), cut || late > max_catch_up ? now : *end, now);
    // The hall sees the outgoing frame for as long as the switch itself takes, too.
    const double hold = std::max(0.0, late) + seconds(Clock::now() - began);
    ++counters_.switches;
    counters_.longest_hold = std::max(counters_.longest_hold, hold);
    if (hold > interval) ++counters_.late_switches;
  }

  if (current_) current_->decoder->set_playhead(seconds(now - current_->start));
  Shown shown;
  shown.serial = serial_;
  if (current_ && current_->shown) {
    shown.frame = &*current_->shown;
    shown.info = current_->info ? &*current_->info : nullptr;
    shown.item = &current_->item;
  }
  return shown;
}

bool Player::heard(const Clip& clip) const {
  return options_.sound.play && options_.decoder.sound_rate > 0 && !clip.item.muted && clip.item.volume > 0;
}

// The sound is the master: the item's timeline is moved to where the hall is in its sound.
void Player::follow_sound(Clip& clip, Clock::time_point now) {
  if (!clip.sound_id || !options_.sound.heard) return;
  if (auto heard = options_.sound.heard(clip.sound_id, now)) clip.start = now - span(*heard);
}

std::optional<Clock::time_point> Player::next_deadline(Clock::time_point now) const {
  if (!current_) {
    if (next_) return now + span(hold_recheck);  // its decoder wakes us sooner, with its first frame
    return now + span(idle_recheck);
  }
  std::optional<Clock::time_point> due = end_of(*current_);
  // Past the end, holding the last frame: the next item's decoder wakes us when it is ready.
  if (due && *due <= now) return now + span(hold_recheck);
  auto earliest = [&](Clock::time_point t) { due = due ? std::min(*due, t) : t; };
  if (auto pts = current_->decoder->frames().front_pts()) earliest(current_->start + span(*pts));
  // The next item is not open yet: look again when it is time to open it.
  if (!next_) {
    const auto& info = current_->decoder->info();
    double length = current_->still() ? current_->item.duration.value_or(default_picture_seconds)
                                      : current_->item.duration.value_or(info ? info->duration : 0);
    const auto open_at = current_->start + span(length - options_.preroll_seconds);
    earliest(length > 0 && open_at > now ? open_at : now + span(idle_recheck));
  }
  return std::max(*due, now);
}

}  // namespace tablo::media
