#include "sound/hall_sound.hpp"

#include <alsa/asoundlib.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>

#include <ctime>
#include <utility>


namespace tablo::sound {
namespace {

using namespace std::chrono_literals;
constexpr PcmFormat mixer_format{HallSound::sound_rate, 2};
// Announcements made into sound before their turn: enough that the next one is ready when the
// one playing ends, few enough that a burst of 150 calls is not 180 MB of waiting sound.
constexpr std::size_t prepared_ahead = 2;

int minute_of_day() {
  std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  return local.tm_hour * 60 + local.tm_min;
}

// The default pack: beside the programs when run from a build (build/voice-packs/LANG),
// or where an install puts it, PREFIX/share/tablo/voice-packs/LANG (the package: /usr/share/...).
std::filesystem::path find_voice_pack(const config::AnnouncementSettings& s, const std::filesystem::path& program_dir) {
  if (!s.voice_pack.empty()) return s.voice_pack;
  for (const auto& candidate : {program_dir / ".." / "voice-packs" / s.language,
                                program_dir / ".." / "share" / "tablo" / "voice-packs" / s.language}) {
    if (std::filesystem::exists(candidate / "manifest.toml")) return std::filesystem::weakly_canonical(candidate);
  }
  spdlog::warn("no voice pack for '{}' found (build one with tablo-voice-pack): every word is spoken by espeak-ng",
               s.language);
  return {};
}

// ALSA's own complaints ("ALSA lib conf.c:5180:(_snd_config_evaluate) … No such file or
// directory") on a machine without a sound card would reach stderr raw, a dozen lines at each
// start; they go to the log at debug level instead. Whether there is sound is said once, in
// the hall's words, by open_device().
void alsa_to_log(const char* file, int line, const char* function, int error, const char* format, ...) {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  char text[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  spdlog::debug("ALSA {}:{} ({}): {}{}", file ? file : "?", line, function ? function : "?", text,
                error ? std::string(" (") + snd_strerror(error) + ")" : std::string());
}

}  // namespace

HallSound::HallSound(const config::AnnouncementSettings& settings, const std::filesystem::path& audio_out,
                     const std::filesystem::path& program_dir, std::function<void()> on_change)
    : program_dir_(program_dir),
      on_change_(std::move(on_change)),
      mixer_(mixer_format, static_cast<float>(settings.soundtrack_duck)),
      settings_(settings),
      recording_{mixer_format, {}},
      voice_(make_voice(settings)) {
  open_output(audio_out);
  preparer_ = std::thread([this] { prepare_requests(); });
}

std::unique_ptr<HallSound::Voice> HallSound::make_voice(const config::AnnouncementSettings& settings) {
  const auto language = settings.language == "en" ? Language::en : Language::ru;
  auto voice = std::make_unique<Voice>();
  voice->settings = settings;
  try {
    voice->pack = std::make_unique<VoicePack>(find_voice_pack(settings, program_dir_), language, mixer_format, speech_);
    voice->announcer = std::make_unique<Announcer>(settings, *voice->pack, mixer_);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("announcements: ") + e.what());
  }
  return voice;
}

void HallSound::reconfigure(const config::AnnouncementSettings& settings) {
  auto voice = make_voice(settings);
  {
    std::lock_guard lock(requests_mutex_);
    next_voice_ = std::move(voice);
  }
  requests_changed_.notify_all();
  const bool no_output = !device_ && !clock_.joinable();  // started with mode "off": nothing was opened
  settings_ = settings;
  if (no_output) open_output({});
}

HallSound::~HallSound() {
  {
    std::lock_guard lock(requests_mutex_);
    stop_preparing_ = true;
  }
  requests_changed_.notify_all();
  preparer_.join();
  stopping_ = true;
  if (clock_.joinable()) clock_.join();
  if (device_) SDL_CloseAudioDevice(device_);
  if (!audio_out_.empty()) {
    try {
      save_wav(recording_, audio_out_);
      spdlog::info("what the screen said ({:.1f} s) is in {}", recording_.seconds(), audio_out_.string());
    } catch (const std::exception& e) {
      spdlog::error("--audio-out: {}", e.what());
    }
  }
}

void HallSound::open_output(const std::filesystem::path& audio_out) {
  if (!audio_out.empty()) {
    audio_out_ = audio_out;
    clock_start_ = std::chrono::steady_clock::now();
    clock_ = std::thread([this] { render_in_real_time(); });
    return;
  }
  // Announcements off: the device is opened only for a playlist (expect_soundtracks).
  if (settings_.mode != config::AnnounceMode::off) open_device();
}

void HallSound::open_device() {
  snd_lib_error_set_handler(alsa_to_log);
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) == 0) {
    SDL_AudioSpec want{};
    want.freq = mixer_format.rate;
    want.format = AUDIO_F32SYS;
    want.channels = static_cast<Uint8>(mixer_format.channels);
    want.samples = 1024;
    want.userdata = this;
    want.callback = [](void* self, Uint8* stream, int bytes) {
      auto* sound = static_cast<HallSound*>(self);
      const auto frames = static_cast<std::size_t>(bytes) / sizeof(float) / mixer_format.channels;
      const auto before = sound->mixer_.playing();
      sound->mixer_.render(reinterpret_cast<float*>(stream), frames);
      if (sound->mixer_.playing() != before) sound->on_change_();
    };
    SDL_AudioSpec got{};
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &got, 0);
    // A buffer handed over waits behind the one playing, as ffplay reckons it.
    if (device_) mixer_.set_latency(2 * std::size_t{got.samples ? got.samples : want.samples});
  }
  if (device_) {
    SDL_PauseAudioDevice(device_, 0);
    spdlog::info("sound on the sound device ({} audio)", SDL_GetCurrentAudioDriver());
  } else {
    spdlog::warn("no sound device ({}): calls are shown as text only", SDL_GetError());
    clock_start_ = std::chrono::steady_clock::now();
    clock_ = std::thread([this] { render_in_real_time(); });
  }
}

void HallSound::play_soundtrack(Mixer::Soundtrack source, std::uint64_t id) {
  mixer_.play_soundtrack(std::move(source), id);
}

void HallSound::expect_soundtracks() {
  if (!device_ && !clock_.joinable()) open_device();
}

// Without a device the mixer is still played at the pace of real time, so that pop-ups
// follow their announcements, and --audio-out gets exactly what would have been heard.
void HallSound::render_in_real_time() {
  const std::size_t chunk = mixer_format.rate / 100;  // 10 ms
  mixer_.set_latency(chunk);  // a chunk rendered at t is the sound of t … t + 10 ms
  std::vector<float> buffer(chunk * mixer_format.channels);
  auto next = clock_start_;
  while (!stopping_) {
    const auto before = mixer_.playing();
    mixer_.render(buffer.data(), chunk);
    if (!audio_out_.empty()) recording_.samples.insert(recording_.samples.end(), buffer.begin(), buffer.end());
    if (mixer_.playing() != before) on_change_();
    next += 10ms;
    std::this_thread::sleep_until(next);
  }
}

void HallSound::say_call(const std::string& zone, const std::string& ticket, const std::string& window, bool recall) {
  ask(Request{Announcing{zone, ticket, window, ""}, "", recall});
}

void HallSound::say_text(const std::string& zone, const std::string& text, const std::string& recording) {
  ask(Request{Announcing{zone, "", "", text}, recording, false});
}

void HallSound::ask(Request request) {
  {
    std::lock_guard lock(requests_mutex_);
    requests_.push_back(std::move(request));
  }
  requests_changed_.notify_all();
}

// The sound's own thread: one request after another, in the order they came, so that the
// mixer's queue keeps the hall's order.
void HallSound::prepare_requests() {
  std::unique_lock lock(requests_mutex_);
  for (;;) {
    requests_changed_.wait(lock, [&] { return stop_preparing_ || next_voice_ || !requests_.empty(); });
    if (stop_preparing_) return;
    if (next_voice_) {
      voice_ = std::move(next_voice_);
      continue;
    }
    // Only the next few are made into sound ahead (prepared_ahead): a burst of calls waits
    // here as text. The mixer is asked again every 50 ms.
    if (mixer_.waiting() >= prepared_ahead) {
      requests_changed_.wait_for(lock, std::chrono::milliseconds(50));
      continue;
    }
    Request request = std::move(requests_.front());
    requests_.pop_front();
    lock.unlock();
    try {
      prepare(request, *voice_);
    } catch (const std::exception& e) {
      // One announcement that cannot be made must not silence the ones after it.
      spdlog::error("announcement {} could not be prepared: {}",
                    request.what.ticket.empty() ? "«" + request.what.words + "»" : request.what.ticket, e.what());
    }
    lock.lock();
  }
}

void HallSound::prepare(const Request& request, Voice& voice) {
  const Announcing& what = request.what;
  if (!what.ticket.empty()) {
    const auto& destinations = voice.settings.zone_destinations;
    const auto dest = destinations.find(what.zone);
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - request.asked).count();
    voice.announcer->call(what.ticket, what.window, dest == destinations.end() ? "" : dest->second, request.recall,
                          minute_of_day(), what.zone, waited);
    return;
  }
  // A prerecorded message when one is asked for and can be played; otherwise the words, spoken.
  if (!request.recording.empty()) {
    const auto file = find_recording(voice.settings.recordings, request.recording);
    try {
      if (file) {
        voice.announcer->recording(*file, what.words, minute_of_day(), what.zone);
        return;
      }
      spdlog::error("recording '{}' is not in {} (looked for {}, .wav, .ogg, .mp3, .flac, .opus): the words are "
                    "spoken instead",
                    request.recording, voice.settings.recordings, request.recording);
    } catch (const std::exception& e) {
      spdlog::error("recording '{}' cannot be played ({}): the words are spoken instead", request.recording, e.what());
    }
  }
  voice.announcer->text(what.words, minute_of_day(), what.zone);
}

std::vector<Said> HallSound::take_said() { return std::exchange(said_, {}); }

std::string HallSound::output_state() const {
  std::string state = !audio_out_.empty()                             ? "file " + audio_out_.string()
                      : settings_.mode == config::AnnounceMode::off ? std::string("off")
                      : device_ ? std::string("device ") + (SDL_GetCurrentAudioDriver() ? SDL_GetCurrentAudioDriver() : "?")
                                                                     : std::string("none");
  if (settings_.quiet_hours.contains(minute_of_day())) state += " (quiet hours)";
  return state;
}

std::optional<Announcing> HallSound::announcing() {
  for (auto& e : mixer_.take_events()) {
    if (e.kind == MixerEvent::Kind::started) {
      started_[e.id] = std::chrono::steady_clock::now();
      continue;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_[e.id]).count();
    spdlog::info("announcement {} played {:.1f} s", e.label, seconds);
    ++played_;
    const auto started = WallClock::now() - std::chrono::duration_cast<WallClock::duration>(std::chrono::duration<double>(seconds));
    said_.push_back(Said{e.what.zone, e.what.ticket, e.what.window, std::move(e.what.words), started, seconds});
    started_.erase(e.id);
  }
  return mixer_.playing_what();
}

}  // namespace tablo::sound
