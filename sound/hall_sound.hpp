#pragma once
// What a screen says: each call shown on the board becomes an announcement (chime and
// words from the voice pack) in the mixer's queue, and an operator's text is spoken too.
// The words are prepared — synthesised, recordings loaded — on a thread of the sound's own,
// one request after another in the order they came, so the screen's thread never waits on
// espeak-ng or a file. The sound goes to SDL's audio device, or into a WAV file
// (--audio-out) so that a person can listen to a headless run; a screen without a sound
// device stays silent and says so once. Everything said is on screen as text as well.
#include <SDL.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "config/settings.hpp"
#include "sound/announcer.hpp"
#include "sound/mixer.hpp"
#include "sound/said.hpp"
#include "sound/speech.hpp"
#include "sound/voice_pack.hpp"

namespace tablo::sound {

class HallSound {
 public:
  // `on_change` is called from the audio thread when an announcement starts or ends.
  // Throws std::runtime_error when the voice pack is unusable (naming the file).
  HallSound(const config::AnnouncementSettings& settings, const std::filesystem::path& audio_out,
            const std::filesystem::path& program_dir, std::function<void()> on_change);
  ~HallSound();
  HallSound(const HallSound&) = delete;
  HallSound& operator=(const HallSound&) = delete;

  // A call (or a recall) of `zone` shown on the board: said after the ones before it.
  // Returns at once; the words are prepared on the sound's thread.
  void say_call(const std::string& zone, const std::string& ticket, const std::string& window, bool recall);
  // An operator's announcement: the prerecorded message `recording` when there is one and
  // it can be played, otherwise `text` spoken. Returns at once, like say_call.
  void say_text(const std::string& zone, const std::string& text, const std::string& recording);

  // The announcement playing now, if any; also logs what finished playing.
  std::optional<Announcing> announcing();
  // What finished playing since the last call (proof of play).
  std::vector<Said> take_said();
  // Where the sound goes, for the screen's report: "device pulseaudio", "file said.wav",
  // "off", "none"; "… (quiet hours)" while they last.
  std::string output_state() const;

  Mixer& mixer() { return mixer_; }
  // A playing video's sound (stereo, the mixer's rate: sound_rate), pulled by the mixer from
  // now on (empty: none); lowered while an announcement plays. From the screen's thread.
  void play_soundtrack(Mixer::Soundtrack source, std::uint64_t id);
  // The screen has a playlist, whose videos may have sound: the output is opened now, at start
  // (or at the reload that brings the playlist), not on the screen's thread at the first video
  // that is not muted, where opening a device held a frame.
  void expect_soundtracks();
  static constexpr int sound_rate = 48000;

  // Reloaded announcement settings (language, voice pack, templates, volumes…), from the
  // next request on; what is queued plays as it was. Throws std::runtime_error, leaving the
  // running settings, when the new voice pack is unusable.
  void reconfigure(const config::AnnouncementSettings& settings);

  // When the first sample of the --audio-out file was played (sample n: n / sound_rate later),
  // on the steady clock; none without --audio-out.
  std::optional<std::chrono::steady_clock::time_point> audio_out_start() const {
    if (audio_out_.empty()) return std::nullopt;
    return clock_start_;
  }

  // Announcements played to their end since the screen started.
  std::uint64_t played() const { return played_; }

 private:
  struct Request {
    Announcing what;    // ticket empty: an operator's text
    std::string recording;
    bool recall = false;
    std::chrono::steady_clock::time_point asked = std::chrono::steady_clock::now();
  };
  // The voice and the rules in force, replaced whole by a reload.
  struct Voice {
    config::AnnouncementSettings settings;
    std::unique_ptr<VoicePack> pack;
    std::unique_ptr<Announcer> announcer;
  };
  std::unique_ptr<Voice> make_voice(const config::AnnouncementSettings& settings);
  void ask(Request request);
  void prepare_requests();
  void prepare(const Request& request, Voice& voice);
  void open_output(const std::filesystem::path& audio_out);
  void open_device();
  void render_in_real_time();

  std::filesystem::path program_dir_;
  std::function<void()> on_change_;
  Mixer mixer_;
  Speech speech_;

  config::AnnouncementSettings settings_;  // the screen's thread's copy

  std::mutex requests_mutex_;
  std::condition_variable requests_changed_;
  std::deque<Request> requests_;
  std::unique_ptr<Voice> next_voice_;  // a reload's, taken up before the next request
  bool stop_preparing_ = false;

  std::map<std::uint64_t, std::chrono::steady_clock::time_point> started_;
  std::uint64_t played_ = 0;
  std::vector<Said> said_;

  SDL_AudioDeviceID device_ = 0;
  std::filesystem::path audio_out_;
  Pcm recording_;  // what --audio-out will hold
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point clock_start_;  // of the real-time clock's first chunk
  std::thread clock_;     // renders in real time when there is no device
  std::unique_ptr<Voice> voice_;  // the preparing thread's alone
  std::thread preparer_;          // last: it starts once everything above is ready
};

}  // namespace tablo::sound
