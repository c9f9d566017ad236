#include "display/playlist_view.hpp"

#include <spdlog/spdlog.h>

#include <cmath>

#include "sound/hall_sound.hpp"
#include "media/image.hpp"

namespace tablo::display {

PlaylistView::PlaylistView(VideoOutput& output, const config::MediaSettings& settings, std::function<void()> wake,
                           media::SoundtrackOut sound)
    : settings_(settings),
      path_(settings.playlist),
      player_(media::PlayerOptions{settings.preroll_seconds, settings.retry_seconds,
                                   media::DecoderOptions{3, 0, wake, sound::HallSound::sound_rate}, std::move(sound)}),
      output_(output) {
  if (path_.empty()) return;  // only for playlists pushed through the hub
  try {
    watch_ = std::make_unique<media::PlaylistWatch>(path_, wake);
  } catch (const std::exception& e) {
    spdlog::error("{}; changes to the playlist will not be seen until the screen restarts", e.what());
  }
  reload();
}

PlaylistView::~PlaylistView() {
  const auto& c = player_.counters();
  spdlog::info("playlist stopped: {} switches, {} late, longest hold {:.1f} ms, {} frames without a picture, "
               "{} pictures left undecoded to keep up",
               c.switches, c.late_switches, c.longest_hold * 1000, pictureless_draws_, c.frames_not_decoded);
}

void PlaylistView::apply(media::Playlist playlist) {
  std::size_t scheduled = 0;
  for (const auto& item : playlist.items) scheduled += item.schedule.always() ? 0 : 1;
  spdlog::info("playlist {}: {} items{}", playlist.source, playlist.items.size(),
               scheduled ? ", " + std::to_string(scheduled) + " of them on a schedule" : "");
  player_.set_playlist(std::move(playlist));
}

void PlaylistView::reload() {
  try {
    media::Playlist playlist = media::load_playlist(path_);
    if (playlist == player_.playlist() && !player_.playlist().source.empty()) return;
    apply(std::move(playlist));
  } catch (const media::PlaylistError& e) {
    const bool playing = !player_.playlist().items.empty();
    spdlog::error("{}; {}", e.what(), playing ? "the previous playlist plays on" : "showing the fallback slide");
  }
}

bool PlaylistView::set_playlist_text(std::string_view toml, std::string_view source,
                                     const std::filesystem::path& base_dir,
                                     const std::map<std::string, std::filesystem::path>& files) {
  try {
    media::Playlist playlist = media::parse_playlist(toml, source, {});
    for (auto& item : playlist.items) {
      if (item.file.is_absolute()) continue;
      const auto cached = files.find(item.file.string());
      item.file = cached != files.end() ? cached->second : base_dir / item.file;
    }
    apply(std::move(playlist));
    pushed_ = true;
    return true;
  } catch (const media::PlaylistError& e) {
    spdlog::error("{}; the previous playlist plays on", e.what());
    return false;
  }
}

void PlaylistView::play_own_file() {
  if (!pushed_) return;
  pushed_ = false;
  spdlog::info("the pushed playlist was withdrawn: back to {}", path_.string());
  reload();
}

bool PlaylistView::update(media::Clock::time_point now) {
  if (watch_) {
    auto changes = watch_->take();
    for (const auto& file : changes.files) player_.file_changed(file);
    if (changes.playlist && !pushed_) reload();
  }
  const std::uint64_t before = shown_.serial;
  const bool had_frame = shown_.frame != nullptr;
  shown_ = player_.advance(now, media::LocalTime::now());
  return shown_.serial != before || had_frame != (shown_.frame != nullptr);
}

media::Clock::time_point PlaylistView::next_deadline(media::Clock::time_point now) const {
  return player_.next_deadline(now).value_or(now + std::chrono::seconds(1));
}

bool PlaylistView::draw(Rect region) {
  on_screen_.reset();
  if (!shown_.frame || !shown_.info) {
    if (uploaded_ > 0) ++pictureless_draws_;
    return false;
  }
  if (uploaded_ != shown_.serial || !has_picture_) {
    try {
      output_.upload(picture_, *shown_.frame->picture);
      has_picture_ = true;
    } catch (const media::MediaError& e) {
      if (last_error_ != e.what())
        spdlog::warn("cannot show a picture of {}: {}", shown_.item ? shown_.item->file.string() : "?", e.what());
      last_error_ = e.what();
      has_picture_ = false;
    }
    uploaded_ = shown_.serial;
  }
  if (!has_picture_) return false;
  const auto& info = *shown_.info;
  const bool fill = settings_.fit == "fill";
  const Rect upright = place_picture(region, picture_->width, picture_->height, info.sample_aspect, info.rotation, fill);
  const bool spills = upright.w > region.w || upright.h > region.h;
  output_.draw(*picture_, upright, info.rotation, fill && spills ? &region : nullptr);
  on_screen_ = OnScreen{shown_.item ? shown_.item->file : std::filesystem::path(),
                        std::llround(shown_.frame->pts * 1000)};
  return true;
}

}  // namespace tablo::display
