#include "sound/hall_sound.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <utility>


namespace tablo::sound {
namespace {

using namespace std::chrono_literals;
constexpr PcmFormat mixer_format{HallSound::sound_rate, 2};

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

}  // namespace

HallSound::HallSound(const config::AnnouncementSettings& settings, const std::filesystem::path& audio_out,
                     const std::filesystem::path& program_dir, std::function<void()> on_change)
    : settings_(settings),
      program_dir_(program_dir),
      on_change_(std::move(on_change)),
      mixer_(mixer_format, static_cast<float>(settings.soundtrack_duck)),
      recording_{mixer_format, {}} {
  const auto language = settings.language == "en" ? Language::en : Language::ru;
  try {
    voice_ = std::make_unique<VoicePack>(find_voice_pack(settings, program_dir), language, mixer_format, speech_);
    announcer_ = std::make_unique<Announcer>(settings, *voice_, mixer_);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("announcements: ") + e.what());
  }
  open_output(audio_out);
}

void HallSound::reconfigure(const config::AnnouncementSettings& settings) {
  const auto language = settings.language == "en" ? Language::en : Language::ru;
  std::unique_ptr<VoicePack> voice;
  std::unique_ptr<Announcer> announcer;
  try {
    voice = std::make_unique<VoicePack>(find_voice_pack(settings, program_dir_), language, mixer_format, speech_);
    announcer = std::make_unique<Announcer>(settings, *voice, mixer_);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("announcements: ") + e.what());
  }
  announcer_ = std::move(announcer);  // first: the old announcer refers to the old voice
  voice_ = std::move(voice);
  const bool no_output = !device_ && !clock_.joinable();  // started with mode "off": nothing was opened
  settings_ = settings;
  if (no_output) open_output({});
}

HallSound::~HallSound() {
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
    clock_ = std::thread([this] { render_in_real_time(); });
    return;
  }
  // Announcements off: the device is opened by the first video that is not muted, if any.
  if (settings_.mode != config::AnnounceMode::off) open_device();
}

void HallSound::open_device() {
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
    device_ = SDL_OpenAudioDevice(nullptr, 0, &want, nullptr, 0);
  }
  if (device_) {
    SDL_PauseAudioDevice(device_, 0);
    spdlog::info("sound on the sound device ({} audio)", SDL_GetCurrentAudioDriver());
  } else {
    spdlog::warn("no sound device ({}): calls are shown as text only", SDL_GetError());
    clock_ = std::thread([this] { render_in_real_time(); });
  }
}

void HallSound::play_soundtrack(const float* stereo, std::size_t frames) {
  if (!device_ && !clock_.joinable()) open_device();
  mixer_.push_soundtrack(stereo, frames);
}

// Without a device the mixer is still played at the pace of real time, so that pop-ups
// follow their announcements, and --audio-out gets exactly what would have been heard.
void HallSound::render_in_real_time() {
  const std::size_t chunk = mixer_format.rate / 100;  // 10 ms
  std::vector<float> buffer(chunk * mixer_format.channels);
  auto next = std::chrono::steady_clock::now();
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
  const auto dest = settings_.zone_destinations.find(zone);
  const auto queued = announcer_->call(ticket, window, dest == settings_.zone_destinations.end() ? "" : dest->second,
                                       recall, minute_of_day());
  if (queued.id) {
    calls_by_clip_[queued.id] = Announcing{zone, ticket};
    saying_[queued.id] = Said{zone, ticket, window, queued.words, {}, 0};
  }
}

void HallSound::say_text(const std::string& zone, const std::string& text, const std::string& recording) {
  const auto queued = operators_announcement(text, recording);
  if (queued.id) saying_[queued.id] = Said{zone, "", "", queued.words, {}, 0};
}

// A prerecorded message when one is asked for and can be played; otherwise the words, spoken.
Queued HallSound::operators_announcement(const std::string& text, const std::string& recording) {
  if (!recording.empty()) {
    const auto file = find_recording(settings_.recordings, recording);
    try {
      if (file) return announcer_->recording(*file, text, minute_of_day());
      spdlog::error("recording '{}' is not in {} (looked for {}, .wav, .ogg, .mp3, .flac, .opus): the words are "
                    "spoken instead",
                    recording, settings_.recordings, recording);
    } catch (const std::exception& e) {
      spdlog::error("recording '{}' cannot be played ({}): the words are spoken instead", recording, e.what());
    }
  }
  return announcer_->text(text, minute_of_day());
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
  for (const auto& e : mixer_.take_events()) {
    if (e.kind == MixerEvent::Kind::started) {
      started_[e.id] = std::chrono::steady_clock::now();
      continue;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_[e.id]).count();
    spdlog::info("announcement {} played {:.1f} s", e.label, seconds);
    ++played_;
    if (auto it = saying_.find(e.id); it != saying_.end()) {
      Said said = std::move(it->second);
      said.seconds = seconds;
      said.started = WallClock::now() - std::chrono::duration_cast<WallClock::duration>(std::chrono::duration<double>(seconds));
      said_.push_back(std::move(said));
      saying_.erase(it);
    }
    started_.erase(e.id);
    calls_by_clip_.erase(e.id);
  }
  const auto id = mixer_.playing();
  if (!id) return std::nullopt;
  auto it = calls_by_clip_.find(*id);
  return it == calls_by_clip_.end() ? std::nullopt : std::optional(it->second);
}

}  // namespace tablo::sound
