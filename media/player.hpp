#pragma once
// Plays a playlist without gaps: the playing item's frames are taken by their timestamps,
// and the next item is opened and its first frame decoded before the playing one ends, so
// the switch is one frame to the next. Broken files are skipped and tried again later; a
// new playlist takes over at the next item boundary (at once if the playing item left it).
//
// Runs on the screen's thread and never waits: decoding happens on each item's own threads,
// and decoders done with are joined on the Reaper's. Time comes in as arguments, so tests
// drive it with their own clock. An item that is heard follows its sound: its pictures are
// timed against what the hall has heard of it (the mixer's clock); a muted one, and one
// whose sound has run out, against the clock given.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "media/playlist.hpp"
#include "media/reaper.hpp"
#include "media/video_decoder.hpp"

namespace tablo::media {

using Clock = std::chrono::steady_clock;

// Where the sound of items that are not muted goes: the screen's mixer (display/ joins them).
struct SoundtrackOut {
  using Source = std::function<std::size_t(float* stereo, std::size_t frames)>;
  // From now on the soundtrack is `source` (empty: none), pulled on the audio thread.
  std::function<void(Source source, std::uint64_t id)> play;
  // Seconds of soundtrack `id` the hall has heard at `now`; nothing while it does not flow.
  std::function<std::optional<double>(std::uint64_t id, Clock::time_point now)> heard;
};

struct PlayerOptions {
  double preroll_seconds = 2.0;  // the next item is opened this long before the playing one ends
  double retry_seconds = 30.0;   // a file that failed is tried again after this
  DecoderOptions decoder;        // its on_news should wake the screen; its sound_rate, the soundtrack's
  SoundtrackOut sound = {};      // empty: every item is silent
};

// What to draw now.
struct Shown {
  const Frame* frame = nullptr;      // nullptr: nothing is playable; draw the fallback slide
  const VideoInfo* info = nullptr;   // of the item the frame belongs to
  const PlaylistItem* item = nullptr;
  std::uint64_t serial = 0;          // changes with every new frame: upload the picture only then
};

class Player {
 public:
  explicit Player(PlayerOptions options);
  ~Player();
  Player(const Player&) = delete;
  Player& operator=(const Player&) = delete;

  // The playing item plays on; the next one comes from the new list, after the playing
  // item's place in it. When the playing item is no longer in the list, it stops at once.
  void set_playlist(Playlist playlist);
  const Playlist& playlist() const { return playlist_; }
  // A file was written: if it failed before, it is tried again without waiting.
  void file_changed(const std::filesystem::path& file);

  // Moves playback to `now`: takes the frames that are due, switches items at their end.
  Shown advance(Clock::time_point now, const LocalTime& local);
  // When advance() has something new to show, if nothing else happens before; the decoder's
  // on_news covers frames that arrive late.
  std::optional<Clock::time_point> next_deadline(Clock::time_point now) const;

  // Switches so far, and how many of them held the last frame longer than one frame interval:
  // the next item was not ready, or the switch itself took that long (benchmarks, tests).
  struct Counters {
    std::uint64_t switches = 0;
    std::uint64_t late_switches = 0;
    double longest_hold = 0;  // seconds past the end of the outgoing item's last frame, the switch's own time included
    std::uint64_t dropped_frames = 0;  // due frames never shown: a newer one was due too (the screen was late)
    std::uint64_t frames_not_decoded = 0;  // left out before decoding: the decoder was far behind
    std::uint64_t skipped = 0;         // items that would not play (missing, undecodable), each time they failed
  };
  Counters counters() const;

 private:
  struct Clip;

  std::unique_ptr<Clip> open(std::size_t index, Clock::time_point now);
  void prepare_next(Clock::time_point now, const LocalTime& local, std::size_t after);
  std::optional<std::size_t> choose(std::size_t from, Clock::time_point now, const LocalTime& local) const;
  bool failed(Clip& clip, Clock::time_point now);
  void take_due_frames(Clip& clip, Clock::time_point now);
  std::optional<Clock::time_point> end_of(const Clip& clip) const;
  void start(std::unique_ptr<Clip> clip, Clock::time_point at, Clock::time_point now);
  bool heard(const Clip& clip) const;
  void follow_sound(Clip& clip, Clock::time_point now);
  void retire(std::unique_ptr<Clip>& clip);

  PlayerOptions options_;
  Playlist playlist_;
  Reaper reaper_;  // before the clips: it joins their decoders after they are handed to it
  std::unique_ptr<Clip> current_, next_;
  bool again_ = false;  // the playing still is its own next item: it stays up, not decoded again
  std::uint64_t sound_ids_ = 0;  // the last soundtrack id given
  std::size_t resume_at_ = 0;  // where to look for the next item when nothing plays
  bool cut_now_ = false;       // the playing item left the playlist
  std::map<std::filesystem::path, Clock::time_point> broken_until_;
  std::map<std::filesystem::path, std::string> last_error_;
  std::filesystem::path last_played_;
  std::uint64_t serial_ = 0;
  Counters counters_;
};

}  // namespace tablo::media
