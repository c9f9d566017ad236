#pragma once
// The screen's playlist: loads it (from its file, or from text pushed to the screen), plays
// it, follows changes to the file, and draws the current picture into the region the layout
// gives it. Lives on the screen's thread; its decoders and its watch wake the screen.
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "config/settings.hpp"
#include "display/layout.hpp"
#include "display/video_output.hpp"
#include "media/player.hpp"
#include "media/playlist_watch.hpp"

namespace tablo::display {

class PlaylistView {
 public:
  // Never throws for a bad or missing playlist: that is logged, and the fallback slide shows
  // until a good one is written.
  // `sound` takes the sound of items that are not muted (stereo at sound::HallSound::sound_rate).
  PlaylistView(VideoOutput& output, const config::MediaSettings& settings, std::function<void()> wake,
               media::SoundtrackOut sound);
  ~PlaylistView();  // says in the log how the switches went (benchmarks read it)

  // A playlist that arrives as text (through the hub); a relative file named in `files` plays
  // from there (the media cache), others are taken from `base_dir`. Returns false, having
  // logged why, when the text is not a valid playlist. Until play_own_file(), changes of the
  // screen's own playlist file wait.
  bool set_playlist_text(std::string_view toml, std::string_view source, const std::filesystem::path& base_dir,
                         const std::map<std::string, std::filesystem::path>& files = {});
  // Back to the screen's own playlist file, after a pushed one.
  void play_own_file();
  // The folder of the screen's own playlist: where a pushed playlist's relative files are.
  std::filesystem::path own_folder() const { return path_.parent_path(); }

  // Follows changes of the playlist file and moves playback to `now`. True when the picture
  // changed: the screen must be drawn again.
  bool update(media::Clock::time_point now);
  // When update() will next have something new, if nothing wakes the screen before.
  media::Clock::time_point next_deadline(media::Clock::time_point now) const;
  // Draws the current picture into `region`, fitted or filling it; false when there is none (nothing playable, or
  // the first item is still opening): the caller draws the fallback slide.
  bool draw(Rect region);

  const media::Player& player() const { return player_; }
  // The item on screen, if any.
  const media::PlaylistItem* playing() const { return shown_.item; }
  // The picture the last draw() drew: its item's file and its time in the item (ms); none when
  // it drew none (the fallback slide shows).
  struct OnScreen {
    std::filesystem::path file;
    std::int64_t pts_ms = 0;
  };
  const std::optional<OnScreen>& on_screen() const { return on_screen_; }
  std::uint64_t pictureless_draws() const { return pictureless_draws_; }

 private:
  void reload();
  void apply(media::Playlist playlist);

  config::MediaSettings settings_;
  std::filesystem::path path_;
  media::Player player_;
  std::unique_ptr<media::PlaylistWatch> watch_;
  VideoOutput& output_;
  ImagePtr picture_;  // the picture drawn, in the output
  media::Shown shown_;
  std::uint64_t uploaded_ = 0;  // serial of the picture uploaded
  bool has_picture_ = false;
  bool pushed_ = false;  // a playlist from the hub plays, not the screen's own file
  std::string last_error_;  // said once, not once a frame
  std::uint64_t pictureless_draws_ = 0;  // frames drawn without a picture after the first one
  std::optional<OnScreen> on_screen_;
};

}  // namespace tablo::display
