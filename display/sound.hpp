#pragma once
// What a screen says: each call shown on the board becomes an announcement (chime and
// words from the voice pack) in the mixer's queue, and an operator's text is spoken too.
// The sound goes to SDL's audio device, or into a WAV file (--audio-out) so that a person
// can listen to a headless run; a screen without a sound device stays silent and says so
// once. Everything said is on screen as text as well.
#include <SDL.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "config/settings.hpp"
#include "media/announcer.hpp"
#include "media/mixer.hpp"
#include "media/speech.hpp"
#include "media/voice_pack.hpp"
#include "display/proof_of_play.hpp"
#include "display/screen_state.hpp"
#include "protocol/messages.hpp"

namespace tablo::display {

class HallSound {
 public:
  // `on_change` is called from the audio thread when an announcement starts or ends.
  // Throws std::runtime_error when the voice pack is unusable (naming the file).
  HallSound(const config::AnnouncementSettings& settings, const std::filesystem::path& audio_out,
            const std::filesystem::path& program_dir, std::function<void()> on_change);
  ~HallSound();
  HallSound(const HallSound&) = delete;
  HallSound& operator=(const HallSound&) = delete;

  // A change just applied to `board` (its zone's board after it): calls, recalls and
  // operators' announcements are said.
  void say(const protocol::Event& event, const protocol::Board& board);

  // The call being announced now, if any; also logs what finished playing.
  std::optional<Announcing> announcing();
  // What finished playing since the last call (proof of play).
  std::vector<Said> take_said();
  // Where the sound goes, for the screen's report: "device pulseaudio", "file said.wav",
  // "off", "none"; "… (quiet hours)" while they last.
  std::string output_state() const;

  media::Mixer& mixer() { return mixer_; }
  // A playing video's sound (stereo, the mixer's rate: sound_rate), from the screen's thread;
  // lowered while an announcement plays.
  void play_soundtrack(const float* stereo, std::size_t frames);
  static constexpr int sound_rate = 48000;

  // Reloaded announcement settings (language, voice pack, templates, volumes…), from the
  // next call on; what is queued plays as it was. Throws std::runtime_error, leaving the
  // running settings, when the new voice pack is unusable.
  void reconfigure(const config::AnnouncementSettings& settings);

  // Announcements played to their end since the screen started.
  std::uint64_t played() const { return played_; }

 private:
  media::Queued operators_announcement(const protocol::Announced& announced);
  void open_output(const std::filesystem::path& audio_out);
  void open_device();
  void render_in_real_time();

  config::AnnouncementSettings settings_;
  std::filesystem::path program_dir_;
  std::function<void()> on_change_;
  media::Mixer mixer_;
  media::Speech speech_;
  std::unique_ptr<media::VoicePack> voice_;
  std::unique_ptr<media::Announcer> announcer_;
  std::map<std::uint64_t, Announcing> calls_by_clip_;
  std::map<std::uint64_t, std::chrono::steady_clock::time_point> started_;
  std::uint64_t played_ = 0;
  std::map<std::uint64_t, Said> saying_;  // by clip: what proof of play will write once it finished
  std::vector<Said> said_;

  SDL_AudioDeviceID device_ = 0;
  std::filesystem::path audio_out_;
  media::Pcm recording_;  // what --audio-out will hold
  std::atomic<bool> stopping_{false};
  std::thread clock_;     // renders in real time when there is no device
};

}  // namespace tablo::display
