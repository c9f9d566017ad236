// A voice pack on the screen: recordings made ready to join (trimmed, faded, at one
// loudness), letter names long enough to hear, and espeak-ng for what is missing, with a
// warning naming it. Recordings are real files decoded by FFmpeg; speech is real espeak-ng.
#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

#include "sound/fragment_audio.hpp"
#include "sound/loudness.hpp"
#include "sound/voice_pack.hpp"
#include "tests/sound/recordings.hpp"

using namespace tablo::sound;
using tablo::test::TempDir;

namespace {

const PcmFormat mono{48000, 1};

Pcm said(VoicePack& pack, const std::string& words) { return pack.say({{Fragment::Kind::words, words}}); }

// What the screen logs while it lives: "warning: …" lines.
class Log {
 public:
  Log() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)) {
    sink_->set_pattern("%l: %v");
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~Log() { spdlog::default_logger()->sinks().pop_back(); }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

int vowels(const std::string& words) {
  int n = 0;
  for (const char* v : {"а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я"}) {
    for (auto at = words.find(v); at != std::string::npos; at = words.find(v, at + 1)) ++n;
  }
  return n;
}

float steepest_step(const Pcm& pcm) {
  float step = 0;
  for (std::size_t i = 1; i < pcm.samples.size(); ++i)
    step = std::max(step, std::abs(pcm.samples[i] - pcm.samples[i - 1]));
  return step;
}

float peak(const Pcm& pcm) {
  float p = 0;
  for (float s : pcm.samples) p = std::max(p, std::abs(s));
  return p;
}

}  // namespace

TEST_CASE("a recording's silence is trimmed to a small margin and its ends faded, so the joins do not click") {
  TempDir dir;
  // Half a second of faint hiss before a 0.4 s word and 0.7 s after it, at 44.1 kHz in FLAC.
  tablo::test::synthesise_with_ffmpeg(
      dir.path() + "/talon.flac",
      "aevalsrc='if(between(t,0.5,0.9),0.3*sin(2*PI*220*t),0)+0.001*(random(0)-0.5)':d=1.6:s=44100");
  // A word cut out of a longer take in the middle of its sound: it starts and ends at half scale.
  tablo::test::synthesise_with_ffmpeg(dir.path() + "/cut.wav", "aevalsrc='0.5*cos(2*PI*300*t)':d=0.37:s=16000");
  std::ofstream(dir.path() + "/manifest.toml") << "[words]\n\"талон\" = \"talon.flac\"\n\"пять\" = \"cut.wav\"\n";
  Speech speech;
  VoicePack pack(dir.path(), Language::ru, mono, speech);

  const Pcm talon = said(pack, "талон");
  const double gap = 0.04;                                              // after every word
  CHECK(talon.seconds() - gap == Approx(0.4 + 2 * 0.02).margin(0.01));  // the word and a 20 ms margin each side

  const Pcm cut = said(pack, "пять");
  CHECK(std::abs(cut.samples.front()) < 1e-3f);
  CHECK(std::abs(cut.samples[cut.frames() - static_cast<std::size_t>(gap * mono.rate) - 1]) < 1e-3f);

  // Joined, no sample jumps further than the 300 Hz wave itself moves between two samples.
  const Pcm call =
      pack.say({{Fragment::Kind::words, "талон"}, {Fragment::Kind::words, "пять"}, {Fragment::Kind::words, "талон"}});
  CHECK(steepest_step(call) <= 1.2f * peak(call) * static_cast<float>(2 * std::numbers::pi * 300 / mono.rate));
  CHECK(pack.synthesised().empty());
}

TEST_CASE("a quiet recording is not trimmed away: it keeps its sound and plays at the pack loudness") {
  TempDir dir;
  // Recorded far from the microphone: peaks at -45 dBFS, under what trimming once took for silence.
  tablo::test::record(dir.path() + "/nomer.wav", "номер", "volume=-45dB");
  std::ofstream(dir.path() + "/manifest.toml") << "[words]\n\"номер\" = \"nomer.wav\"\n";
  Speech speech;
  VoicePack pack(dir.path(), Language::ru, mono, speech);
  const Pcm nomer = said(pack, "номер");
  CHECK(nomer.sounding_seconds() > 0.25);
  CHECK(loudness(nomer) == Approx(pack_loudness_lufs).margin(0.5));
}

TEST_CASE("recordings at any level, rate and format and espeak-ng's fallback play within 1 LU of each other") {
  TempDir dir;
  const std::string d = dir.path() + "/";
  tablo::test::record(d + "talon.flac", "талон", "volume=-20dB,adelay=300|300", {"-ar", "44100", "-ac", "2"});
  tablo::test::record(d + "projdite.mp3", "пройдите", "volume=-3dB", {"-ar", "16000", "-c:a", "libmp3lame"});
  tablo::test::record(d + "nomer.ogg", "номер", "volume=-32dB", {"-c:a", "libvorbis"});
  tablo::test::record(d + "k-oknu.wav", "к окну", "volume=-1dB", {"-ar", "8000", "-c:a", "pcm_u8"});
  tablo::test::record(d + "i.wav", "и", "volume=-10dB", {"-ar", "22050"});
  std::ofstream(d + "manifest.toml") << "language = \"ru\"\n[words]\n\"талон\" = \"talon.flac\"\n"
                                     << "\"пройдите\" = \"projdite.mp3\"\n\"номер\" = \"nomer.ogg\"\n"
                                     << "\"к окну\" = \"k-oknu.wav\"\n\"и\" = \"i.wav\"\n";
  Speech speech;
  VoicePack pack(dir.path(), Language::ru, PcmFormat{48000, 2}, speech);
  REQUIRE(pack.recorded() == 5);

  double quietest = 0, loudest = -100;
  for (const char* words : {"талон", "пройдите", "номер", "к окну", "и", "двадцать", "пять"}) {
    const double lufs = loudness(said(pack, words));
    INFO(words << ": " << lufs << " LUFS");
    CHECK(lufs == Approx(pack_loudness_lufs).margin(0.5));
    quietest = std::min(quietest, lufs);
    loudest = std::max(loudest, lufs);
  }
  CHECK(pack.synthesised() == std::set<std::string>{"двадцать", "пять"});
  CHECK(loudest - quietest <= 1.0);
}

TEST_CASE("letter names said by espeak-ng last at least a syllable of the numbers around them") {
  Speech speech;
  VoicePack pack({}, Language::ru, mono, speech);
  double seconds = 0;
  int syllables = 0;
  for (const char* words : {"двадцать", "пять", "сто", "девятьсот", "одна тысяча", "три", "номер", "талон"}) {
    seconds += said(pack, words).sounding_seconds();
    syllables += vowels(words);
  }
  const double syllable = seconds / syllables;
  INFO("a syllable of the numbers: " << syllable << " s");
  CHECK(syllable_seconds == Approx(syllable).margin(0.03));
  for (const char* letter : {"и", "а", "о", "у", "э", "ы", "эль", "бэ", "ка"}) {
    const double letter_seconds = said(pack, letter).sounding_seconds();
    INFO(letter << ": " << letter_seconds << " s");
    CHECK(letter_seconds >= syllable);
  }
}

TEST_CASE("a letter name recorded short is slowed to a syllable, at its own pitch") {
  TempDir dir;
  // «и» said fast: about 0.05 s.
  tablo::test::record(dir.path() + "/i.wav", "и", "atempo=2");
  std::ofstream(dir.path() + "/manifest.toml") << "[words]\n\"и\" = \"i.wav\"\n";
  const Pcm raw = load_audio(dir.path() + "/i.wav", mono);
  REQUIRE(raw.sounding_seconds() < 0.1);
  const FragmentAudio ready = ready_to_join(raw);
  CHECK(ready.slowed);
  CHECK(ready.pcm.sounding_seconds() >= syllable_seconds);
  CHECK(ready.pcm.sounding_seconds() < 2 * syllable_seconds);
  // Made ready once, it is not slowed again when a screen loads the built pack.
  CHECK_FALSE(ready_to_join(ready.pcm).slowed);
}

TEST_CASE("a word the pack lacks is said by espeak-ng with a warning that names it and the manifest") {
  TempDir dir;
  tablo::test::record(dir.path() + "/talon.wav", "талон", "anull");
  std::ofstream(dir.path() + "/manifest.toml") << "[words]\n\"талон\" = \"talon.wav\"\n";
  Log log;
  Speech speech;
  VoicePack pack(dir.path(), Language::ru, mono, speech);
  CHECK(said(pack, "двадцать").seconds() > 0.3);
  CHECK(pack.synthesised() == std::set<std::string>{"двадцать"});
  CHECK_THAT(log.text(), Catch::Contains("warning: voice pack") && Catch::Contains("no recording of \"двадцать\"") &&
                             Catch::Contains(dir.path() + "/manifest.toml"));
  said(pack, "двадцать");  // once in the log, not at every call
  const std::string text = log.text(), warning = "no recording of \"двадцать\"";
  CHECK(text.find(warning) == text.rfind(warning));
}

TEST_CASE("a corrupt, absent or silent recording is a warning naming its file, and espeak-ng says the word") {
  TempDir dir;
  std::ofstream(dir.path() + "/broken.wav") << "RIFF, WAVEfmt, and then nothing a decoder can use";
  tablo::test::synthesise_with_ffmpeg(dir.path() + "/silent.wav", "anullsrc=d=0.5");
  std::ofstream(dir.path() + "/manifest.toml") << "chime = \"ding.wav\"\n[words]\n\"пять\" = \"broken.wav\"\n"
                                               << "\"три\" = \"gone.flac\"\n\"два\" = \"silent.wav\"\n";
  Log log;
  Speech speech;
  VoicePack pack(dir.path(), Language::ru, mono, speech);
  CHECK(pack.recorded() == 0);
  const std::string text = log.text();
  CHECK_THAT(text, Catch::Contains("manifest.toml:3: \"пять\" = \"broken.wav\": audio " + dir.path() + "/broken.wav"));
  CHECK_THAT(text, Catch::Contains("manifest.toml:4: \"три\" = \"gone.flac\"") && Catch::Contains("No such file"));
  CHECK_THAT(text, Catch::Contains("manifest.toml:5: \"два\" = \"silent.wav\": is silent"));
  CHECK_THAT(text, Catch::Contains("chime \"ding.wav\"") && Catch::Contains("the built-in chime plays instead"));
  CHECK(said(pack, "пять").seconds() > 0.2);
  CHECK(pack.synthesised() == std::set<std::string>{"пять"});
}
