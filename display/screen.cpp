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
#include "display/proof_of_play.hpp"
#include "display/pushed_media.hpp"
#include "display/report_line.hpp"
#include "display/screen_metrics.hpp"
#include "display/screen_reload.hpp"
#include "display/screenshots.hpp"
#include "display/screen_state.hpp"
#include "protocol/board.hpp"
#include "sound/hall_sound.hpp"
#include "display/timing.hpp"
#include "display/video_output.hpp"
#include "display/wakeup.hpp"
#include "metrics/endpoint.hpp"
#include "metrics/process_memory.hpp"
#include "metrics/published.hpp"
#include "protocol/codec.hpp"
#include "tablo/version.hpp"

namespace tablo::display {
namespace {

using namespace std::chrono_literals;

const Wakeup* active_wakeup = nullptr;

// How often SDL's own events (window, keyboard) are looked at when nothing else wakes us.
constexpr auto sdl_event_interval = 50ms;
// A frame drawn later than this after it was due counts as late (one frame at 60 Hz).
constexpr auto late_frame = std::chrono::microseconds(16667);

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

// A playlist pushed through the hub plays instead of the screen's own (or in a media region
// opened for it), its library files from the media cache and other relative files from the own
// playlist's folder; withdrawn, the own file plays again.
void follow(PlaylistView* media, const PushedPlaylist& pushed, const std::map<std::string, std::filesystem::path>& files = {}) {
  if (!media) {
    if (!pushed.text.empty()) {
      spdlog::warn("a playlist was pushed to zone {}, but this screen shows no media: give it display.media.playlist "
                   "(layout hall) to show pushed playlists", pushed.zone);
    }
    return;
  }
  if (pushed.text.empty()) {
    media->play_own_file();
  } else {
    media->set_playlist_text(pushed.text, "the playlist pushed to zone " + pushed.zone, media->own_folder(), files);
  }
}

// A report field within its protocol limit and free of control characters (a file name may have them).
std::string fit(std::string text, std::size_t max) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

// Calls, recalls and operators' announcements just applied to `board` (their zone's board
// after them) are said.
void announce(sound::HallSound& sound, const protocol::Event& event, const protocol::Board& board) {
  if (const auto* announced = std::get_if<protocol::Announced>(&event.change)) {
    if (!announced->text.empty()) sound.say_text(event.zone, announced->text, announced->recording);
    return;
  }
  std::string ticket;
  bool recall = false;
  if (const auto* called = std::get_if<protocol::Called>(&event.change)) ticket = called->ticket;
  if (const auto* recalled = std::get_if<protocol::Recalled>(&event.change)) ticket = recalled->ticket, recall = true;
  if (ticket.empty()) return;
  if (const protocol::Call* call = protocol::find_call(board, ticket)) sound.say_call(event.zone, call->ticket, call->window, recall);
}

protocol::ScreenReport report_of(const config::DisplaySettings& d, const ScreenState& state, const PlaylistView* media,
                                 const sound::HallSound& sound, const HubLink& link) {
  protocol::ScreenReport r{d.name, d.zones, tablo::version, 0, "", 0, 0, fit(sound.output_state(), protocol::limits::audio), {},
                           clock_offset_ms(link.hub_time()), std::nullopt};
  if (media) {
    if (const auto* item = media->playing()) r.playing = fit(item->file.string(), protocol::limits::file_name);
    r.dropped_frames = media->player().counters().dropped_frames;
    r.pictureless_draws = media->pictureless_draws();
  }
  for (const auto& [name, zone] : state.zones) r.seqs[name] = zone.seq;
  return r;
}

}  // namespace

void wake_screen() {
  if (active_wakeup) active_wakeup->notify();
}

int run_screen(const config::Settings& settings, const ScreenOptions& options, ScreenSignals& signals) {
  config::Settings running = settings;  // what a reload replaces
  const auto& d = running.display;
  if (options.headless) SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
  SdlSession sdl;
  const auto output =
      open_video_output(OutputOptions{options.headless, d.fullscreen, d.width, d.height, d.rotation, d.renderer});
  Painter painter(*output, running);
  spdlog::info("screen '{}' started: {} layout, zones {}, {}", d.name,
               d.layout == config::Layout::hall ? "hall" : "window " + d.window, fmt::join(d.zones, ","),
               output->describe());

  Wakeup wakeup;
  active_wakeup = &wakeup;
  HubLink link(LinkOptions{d.hub_commands, d.hub_events, d.zones,
                           std::chrono::milliseconds(static_cast<int>(d.offline_after_seconds * 1000)),
                           std::chrono::milliseconds(static_cast<int>(d.late_after_seconds * 1000)), hub_keys(d),
                           [&signals, &wakeup] {
                             signals.reload = true;
                             wakeup.notify();
                           }},
               [&wakeup] { wakeup.notify(); });

  // The playlist, when this screen has one; its decoders and file watch wake the loop.
  sound::HallSound sound(running.announcements, options.audio_out, options.program_dir, [&wakeup] { wakeup.notify(); });
  std::unique_ptr<PlaylistView> media = playlist_for(d, *output, [&wakeup] { wakeup.notify(); }, sound);
  ProofOfPlay proof(d.reports.proof_of_play_dir.empty() ? default_proof_of_play_dir(d.name)
                                                        : std::filesystem::path(d.reports.proof_of_play_dir),
                    d.reports.proof_of_play_days);
  ReportLine line(LineOptions{d.hub_commands, std::chrono::milliseconds(static_cast<int>(d.reports.every_seconds * 1000)),
                              hub_keys(d)},
                  [&wakeup] { wakeup.notify(); });
  // The pushed playlist's files, fetched off this thread; it plays once they are all here.
  // A hall screen takes pushed playlists even without one of its own: the media region opens
  // for them and closes when they are withdrawn.
  std::unique_ptr<PushedMedia> fetching =
      media || d.layout == config::Layout::hall ? std::make_unique<PushedMedia>(d, line, [&wakeup] { wakeup.notify(); }) : nullptr;
  protocol::ScreenReport reported;
  Clock::time_point next_report_look{};  // the report is looked at once a second, not every frame
  PushedPlaylist pushed;                 // the pushed playlist followed (or refused) last
  std::vector<std::string> shots_asked;  // relay ids of screenshots for the next frame

  std::ofstream frame_log;
  if (!options.frame_log.empty()) frame_log.open(options.frame_log);
  // Where the --audio-out file's time lies on the frame log's clock (sample n: n / rate later).
  if (const auto start = sound.audio_out_start(); start && frame_log.is_open()) {
    frame_log << "audio-out " << start->time_since_epoch().count() << ' ' << sound::HallSound::sound_rate << '\n';
  }
  Screenshots screenshots(options, line);

  ScreenState state;
  std::string ticker;
  Clock::time_point ticker_since = Clock::now();
  std::vector<protocol::Event> unshown;  // applied since the last frame: logged once presented
  std::optional<HubTime> drawn_hub_time;  // the hub's clock as reckoned when it last moved a second or more
  bool dirty = true;
  bool picture_waits = false;  // the playlist has a new picture to show
  Clock::time_point next_frame = Clock::now();
  std::optional<Clock::time_point> last_presented;  // and when the frame after it was planned:
  Clock::time_point planned = next_frame;             // both for the frame interval figures
  int exit_code = 0;

  // The loop counts; the metrics endpoint's threads read only the copy published each round.
  ScreenFigures figures;
  figures.name = d.name;
  figures.started_unix_s = static_cast<double>(std::time(nullptr));
  metrics::Published<ScreenFigures> published;
  const auto metrics_endpoint = metrics::serve_metrics(
      d.metrics.listen, [&published] { return metrics_page(published.read(), metrics::resident_memory_bytes()); });

  while (!signals.stop) {
    const auto woke = Clock::now();
    // The boards change only with news; what is derived from them (the pushed playlist, the
    // ticker) is derived again only then.
    bool boards_changed = false;
    if (signals.reload.exchange(false) &&
        reload_screen(options, running, {painter, media, sound, *output, [&wakeup] { wakeup.notify(); }})) {
      pushed = {};  // a pushed playlist is given to a new playlist view afresh
      boards_changed = true;
      dirty = true;
    }
    for (auto& news : link.take()) {
      boards_changed = true;
      std::visit(
          [&](auto&& n) {
            using N = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<N, protocol::Event>) {
              state = apply(std::move(state), n, Clock::now());
              announce(sound, n, state.zones[n.zone].board);
              unshown.push_back(std::move(n));
            } else if constexpr (std::is_same_v<N, protocol::Snapshot>) {
              const std::chrono::milliseconds late_after(static_cast<int>(running.display.late_after_seconds * 1000));
              auto missed = missed_calls(state.zones[n.zone], n, Now::read(link.hub_time()).hub_unix_ms, late_after);
              state = apply(std::move(state), n);
              for (auto& call : missed) {
                spdlog::info("zone {}: {} was missed live and came with the hub's board: announced now",
                             call.zone, protocol::describe(call.change));
                state = with_highlight(std::move(state), call, Clock::now());
                announce(sound, call, state.zones[call.zone].board);
                unshown.push_back(std::move(call));
              }
            } else {
              state = with_connection(std::move(state), n.connected);
            }
          },
          std::move(news));
      dirty = true;
    }
    if (boards_changed) {
      if (auto now_pushed = pushed_playlist(state); now_pushed != pushed) {
        pushed = std::move(now_pushed);
        if (fetching) fetching->want(pushed);
        else follow(media.get(), pushed);
      }
      if (auto text = ticker_text(state); text != ticker) {
        ticker = std::move(text);
        ticker_since = Clock::now();
      }
    }
    if (auto ready = fetching ? fetching->take_ready() : std::nullopt) {
      const bool own = !running.display.media.playlist.empty();
      if (!media && !own && !ready->text.empty()) {
        media = playlist_for(running.display, *output, [&wakeup] { wakeup.notify(); }, sound, true);
      }
      if (media && !own && ready->text.empty()) {
        media.reset();  // withdrawn, and no playlist of the screen's own: the board takes the screen again
        spdlog::info("the pushed playlist was withdrawn: the board fills the screen again");
      } else {
        follow(media.get(), *ready, fetching->files_of(*ready));
      }
      dirty = true;
    }
    for (auto& question : line.take_questions()) {
      if (const auto* day = std::get_if<protocol::ProofOfPlayRequest>(&question.action)) {
        line.answer(question.relay_id, proof_of_play_day(proof.dir(), day->day));
      } else {
        shots_asked.push_back(std::move(question.relay_id));
      }
    }

    SDL_Event event;
    while (SDL_PollEvent(&event)) {
      if (event.type == SDL_QUIT) signals.stop = true;
      if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_ESCAPE && !d.fullscreen) signals.stop = true;
      if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
        output->resized();
        dirty = true;
      }
      if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_EXPOSED) dirty = true;
    }

    if (media && media->update(Clock::now())) picture_waits = true;
    if (media) {
      const auto* item = media->playing();
      proof.showing(item ? &item->file : nullptr, media->player().counters().switches, WallClock::now());
    }

    // Banners end by the hub's clock: known at last, or set, it redraws them.
    if (auto hub_time = link.hub_time(); moved_materially(hub_time, drawn_hub_time)) {
      drawn_hub_time = hub_time;
      dirty = true;
    }
    if (auto announcing = sound.announcing(); announcing != state.announcing) {
      state = with_announcing(std::move(state), std::move(announcing));
      dirty = true;
    }
    for (const auto& said : sound.take_said()) proof.said(said);
    if (boards_changed || Clock::now() >= next_report_look) {
      next_report_look = Clock::now() + std::chrono::seconds(1);
      auto report = report_of(d, state, media.get(), sound, link);
      if (fetching) report.media = fetching->report();
      if (report != reported) {
        reported = report;
        line.update(std::move(report));
      }
    }

    Now now = Now::read(link.hub_time());
    const bool shot_on_demand = signals.screenshot.exchange(false);
    // While a ticker runs, frames keep to its 60 Hz grid: a new picture and the interval's
    // screenshot wait for the next tick (at most 1/60 s) rather than add frames between ticks.
    const bool on_grid = !ticker.empty();
    const bool tick_soon = on_grid && next_frame - now.steady <= late_frame;
    if (dirty || shot_on_demand || !shots_asked.empty() || now.steady >= next_frame ||
        (picture_waits && !on_grid) || (screenshots.interval_due(now.steady) && !tick_soon)) {
      if (!dirty && now.steady - next_frame > late_frame) ++figures.late_frames;
      // The frame was due when it was planned, or when news woke the loop before that.
      const auto due = std::min(planned, woke);
      const auto drawing = Clock::now();
      // With no news and no new picture, often only the running text moved: its strip alone is
      // drawn and presented (the rest of the frame stays as it is), about a tenth of the work.
      const Rect changed = dirty || picture_waits ? output->canvas() : painter.changed(state, now, output->canvas());
      output->begin_frame(changed);
      painter.paint(state, now, ticker_since, output->canvas(), media.get(), changed != output->canvas());
      output->finish_frame();
      screenshots.frame_drawn();
      if (auto orders = screenshots.orders(shot_on_demand, std::move(shots_asked), now.steady); orders.any()) {
        screenshots.take(*output, std::move(orders), now.steady);
      }
      shots_asked.clear();
      output->present();
      const auto presented = Clock::now();
      ++figures.frames_drawn;
      figures.frame_seconds.observe(std::chrono::duration<double>(presented - drawing).count());
      count_frame(figures, last_presented, planned, due, presented);
      last_presented = presented;
      if (frame_log.is_open()) {
        frame_log << "frame " << presented.time_since_epoch().count();
        if (const auto& picture = media ? media->on_screen() : std::nullopt) {
          frame_log << ' ' << picture->pts_ms << ' ' << picture->file.string();
        }
        frame_log << '\n';
      }
      for (const auto& e : unshown) {
        if (std::holds_alternative<protocol::Called>(e.change) || std::holds_alternative<protocol::Recalled>(e.change))
          ++figures.calls_shown;
        if (frame_log.is_open()) {
          frame_log << e.zone << ' ' << e.seq << ' ' << presented.time_since_epoch().count() << '\n';
        }
        spdlog::info("{} shown (zone {}, seq {})", protocol::describe(e.change), e.zone, e.seq);
      }
      if (frame_log.is_open()) frame_log.flush();
      unshown.clear();
      dirty = false;
      picture_waits = false;
      now = Now::read(link.hub_time());
      next_frame = next_redraw(state, d, now, !ticker.empty());
      if (auto shot = screenshots.next_due(); shot && (!on_grid || *shot + late_frame < next_frame)) {
        next_frame = std::min(next_frame, *shot);
      }
    }
    // The playlist's next frame or switch; asked every time round, as a decoder that woke
    // the loop may have brought a frame that is due before anything else.
    // On the ticker's grid the playlist moves on at each tick.
    if (media && ticker.empty()) next_frame = std::min(next_frame, media->next_deadline(Clock::now()));
    planned = next_frame;

    take_counts(figures, media.get(), sound, link, state.connected);
    published.publish(figures);

    // Rounded up: rounding down would wake a little early and spin until the deadline.
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_frame - Clock::now());
    if (!options.headless) wait = std::min<std::chrono::milliseconds>(wait, sdl_event_interval);
    if (wait.count() > 0 && !signals.stop && !signals.screenshot && !signals.reload) wakeup.wait(wait);
  }
  active_wakeup = nullptr;
  spdlog::info("screen '{}' stopped", d.name);
  return exit_code;
}

}  // namespace tablo::display
