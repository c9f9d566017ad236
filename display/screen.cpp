#include "display/screen.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <memory>

#include "display/hub_keys.hpp"
#include "display/hub_link.hpp"
#include "protocol/describe.hpp"
#include "display/painter.hpp"
#include "display/playlist_view.hpp"
#include "display/screen_state.hpp"
#include "display/sound.hpp"
#include "display/timing.hpp"
#include "display/video_output.hpp"
#include "display/wakeup.hpp"

namespace tablo::display {
namespace {

using namespace std::chrono_literals;

const Wakeup* active_wakeup = nullptr;

// How often SDL's own events (window, keyboard) are looked at when nothing else wakes us.
constexpr auto sdl_event_interval = 50ms;

struct SdlSession {
  SdlSession() {
    if (SDL_Init(SDL_INIT_VIDEO) != 0) throw std::runtime_error(std::string("cannot start SDL video: ") + SDL_GetError());
    if (TTF_Init() != 0) throw std::runtime_error(std::string("cannot start SDL_ttf: ") + TTF_GetError());
  }
  ~SdlSession() {
    TTF_Quit();
    SDL_Quit();
  }
};

std::string timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

// Screenshots: on demand (SIGUSR1) into a new file, and at an interval into latest.png,
// which is rewritten only when the picture changed.
class Screenshots {
 public:
  explicit Screenshots(const ScreenOptions& o) : dir_(o.screenshot_dir), every_(std::chrono::duration<double>(o.screenshot_every)) {
    if (!dir_.empty()) std::filesystem::create_directories(dir_);
  }
  bool interval_due(Clock::time_point now) const { return enabled() && changed_ && now >= last_ + every_; }
  std::optional<Clock::time_point> next_due() const {
    if (!enabled() || !changed_) return std::nullopt;
    return last_ + std::chrono::duration_cast<Clock::duration>(every_);
  }
  void frame_drawn() { changed_ = true; }
  void save(const VideoOutput& output, bool on_demand, Clock::time_point now) {
    if (dir_.empty()) return;
    const auto path = dir_ / (on_demand ? "screen-" + timestamp() + ".png" : std::string("latest.png"));
    try {
      media::save_png(output.capture(), path);
      if (on_demand) spdlog::info("screenshot saved to {}", path.string());
    } catch (const std::exception& e) {
      spdlog::error("screenshot failed: {}", e.what());
    }
    if (!on_demand) {
      last_ = now;
      changed_ = false;
    }
  }

 private:
  bool enabled() const { return !dir_.empty() && every_.count() > 0; }
  std::filesystem::path dir_;
  std::chrono::duration<double> every_;
  Clock::time_point last_{};
  bool changed_ = false;
};

}  // namespace

void wake_screen() {
  if (active_wakeup) active_wakeup->notify();
}

int run_screen(const config::Settings& settings, const ScreenOptions& options, ScreenSignals& signals) {
  const auto& d = settings.display;
  if (options.headless) SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
  SdlSession sdl;
  VideoOutput output(OutputOptions{options.headless, d.fullscreen, d.width, d.height, d.rotation, d.renderer});
  Painter painter(output.renderer(), settings);
  spdlog::info("screen '{}' started: {} layout, zones {}, {}", d.name,
               d.layout == config::Layout::hall ? "hall" : "window " + d.window, fmt::join(d.zones, ","),
               output.describe());

  Wakeup wakeup;
  active_wakeup = &wakeup;
  HubLink link(LinkOptions{d.hub_commands, d.hub_events, d.zones,
                           std::chrono::milliseconds(static_cast<int>(d.offline_after_seconds * 1000)),
                           std::chrono::milliseconds(static_cast<int>(d.late_after_seconds * 1000)), hub_keys(d)},
               [&wakeup] { wakeup.notify(); });

  // The playlist, when this screen has one; its decoders and file watch wake the loop.
  std::unique_ptr<PlaylistView> media;
  if (!d.media.playlist.empty()) {
    if (d.layout == config::Layout::hall) {
      media = std::make_unique<PlaylistView>(output.renderer(), d.media, [&wakeup] { wakeup.notify(); });
    } else {
      spdlog::warn("display.media.playlist is set but a window screen shows no playlist; use layout = \"hall\"");
    }
  }

  HallSound sound(settings.announcements, options.audio_out, options.program_dir, [&wakeup] { wakeup.notify(); });

  std::ofstream frame_log;
  if (!options.frame_log.empty()) frame_log.open(options.frame_log);
  Screenshots screenshots(options);

  ScreenState state;
  std::string ticker;
  Clock::time_point ticker_since = Clock::now();
  std::vector<protocol::Event> unshown;  // applied since the last frame: logged once presented
  bool dirty = true;
  Clock::time_point next_frame = Clock::now();
  int exit_code = 0;

  while (!signals.stop) {
    for (auto& news : link.take()) {
      std::visit(
          [&](auto&& n) {
            using N = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<N, protocol::Event>) {
              state = apply(std::move(state), n, Clock::now());
              sound.say(n, state.zones[n.zone].board);
              unshown.push_back(std::move(n));
            } else if constexpr (std::is_same_v<N, protocol::Snapshot>) {
              state = apply(std::move(state), n);
            } else {
              state = with_connection(std::move(state), n.connected);
            }
          },
          std::move(news));
      dirty = true;
    }
    if (auto text = ticker_text(state); text != ticker) {
      ticker = std::move(text);
      ticker_since = Clock::now();
    }

    SDL_Event event;
    while (SDL_PollEvent(&event)) {
      if (event.type == SDL_QUIT) signals.stop = true;
      if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_ESCAPE && !d.fullscreen) signals.stop = true;
      if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
        output.resized();
        dirty = true;
      }
      if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_EXPOSED) dirty = true;
    }

    if (media && media->update(Clock::now())) dirty = true;

    if (auto announcing = sound.announcing(); announcing != state.announcing) {
      state = with_announcing(std::move(state), std::move(announcing));
      dirty = true;
    }

    Now now = Now::read();
    const bool shot_on_demand = signals.screenshot.exchange(false);
    if (dirty || shot_on_demand || now.steady >= next_frame || screenshots.interval_due(now.steady)) {
      output.begin_frame();
      painter.paint(state, now, ticker_since, output.canvas(), media.get());
      output.finish_frame();
      screenshots.frame_drawn();
      if (shot_on_demand) screenshots.save(output, true, now.steady);
      if (screenshots.interval_due(now.steady)) screenshots.save(output, false, now.steady);
      output.present();
      const auto presented = Clock::now();
      for (const auto& e : unshown) {
        if (frame_log.is_open()) {
          frame_log << e.zone << ' ' << e.seq << ' ' << presented.time_since_epoch().count() << '\n';
        }
        spdlog::info("{} shown (zone {}, seq {})", protocol::describe(e.change), e.zone, e.seq);
      }
      if (!unshown.empty() && frame_log.is_open()) frame_log.flush();
      unshown.clear();
      dirty = false;
      now = Now::read();
      next_frame = next_redraw(state, d, now, !ticker.empty());
      if (auto due = screenshots.next_due()) next_frame = std::min(next_frame, *due);
    }
    // The playlist's next frame or switch; asked every time round, as a decoder that woke
    // the loop may have brought a frame that is due before anything else.
    if (media) next_frame = std::min(next_frame, media->next_deadline(Clock::now()));

    // Rounded up: rounding down would wake a little early and spin until the deadline.
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_frame - Clock::now());
    if (!options.headless) wait = std::min<std::chrono::milliseconds>(wait, sdl_event_interval);
    if (wait.count() > 0 && !signals.stop && !signals.screenshot) wakeup.wait(wait);
  }
  active_wakeup = nullptr;
  spdlog::info("screen '{}' stopped", d.name);
  return exit_code;
}

}  // namespace tablo::display
