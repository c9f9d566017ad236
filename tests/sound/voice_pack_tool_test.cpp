// tablo-voice-pack as an announcer's IT person runs it: `build --from` recordings of any
// format and level, `check` a pack against a screen's calls, and the espeak-ng build that
// scripts/build has always run.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "sound/loudness.hpp"
#include "sound/manifest.hpp"
#include "sound/pack_check.hpp"
#include "sound/voice_pack.hpp"
#include "tests/sound/recordings.hpp"

using namespace tablo::sound;
using tablo::test::TempDir;

namespace {

tablo::test::Ran voice_pack(std::vector<std::string> args) {
  args.insert(args.begin(), TABLO_VOICE_PACK_BIN);
  return tablo::test::run(args, std::chrono::seconds(60));
}

// The words of the lines `  "word"  why` in the section of `output` that starts with `title`.
std::set<std::string> listed(const std::string& output, const std::string& title) {
  std::set<std::string> words;
  auto at = output.find("\n" + title);
  if (at == std::string::npos) return words;
  at = output.find('\n', at + 1);
  while (at + 1 < output.size() && output.compare(at + 1, 3, "  \"") == 0) {
    const auto open = at + 3, close = output.find('"', open + 1);
    words.insert(output.substr(open + 1, close - open - 1));
    at = output.find('\n', close);
  }
  return words;
}

}  // namespace

TEST_CASE("build --from levels recordings of any format and level to one loudness, within 1 LU of espeak-ng's") {
  TempDir dir;
  const std::string raw = dir.path() + "/raw/", pack = dir.path() + "/pack";
  std::filesystem::create_directories(raw);
  // Named after what they say, as a studio delivers them, at levels 31 dB apart.
  tablo::test::record(raw + "талон.flac", "талон", "volume=-20dB,adelay=300|300,apad=pad_dur=0.5",
                      {"-ar", "44100", "-ac", "2"});
  tablo::test::record(raw + "пройдите.mp3", "пройдите", "volume=-3dB", {"-ar", "16000", "-c:a", "libmp3lame"});
  tablo::test::record(raw + "номер.ogg", "номер", "volume=-32dB", {"-c:a", "libvorbis"});
  tablo::test::record(raw + "к_окну.wav", "к окну", "volume=-1dB", {"-ar", "8000", "-c:a", "pcm_u8"});
  tablo::test::record(raw + "и.wav", "и", "volume=-10dB,atempo=2", {"-ar", "22050"});
  tablo::test::synthesise_with_ffmpeg(raw + "chime.wav", "sine=f=880:d=0.6", "volume=-30dB");
  std::ofstream(raw + "README.txt") << "Recorded by Анна, 2026\n";

  const auto built = voice_pack({"build", "--from", raw, "--out", pack, "--name", "Анна"});
  INFO(built.output);
  REQUIRE(built.exit_code == 0);
  CHECK_THAT(built.output, Catch::Contains("5 recordings from") && Catch::Contains("levelled to -23 LUFS") &&
                               Catch::Contains("slowed to a syllable: \"и\""));

  const Manifest manifest = read_manifest(pack);
  CHECK(manifest.name == "Анна");
  REQUIRE(manifest.chime);
  REQUIRE(manifest.recordings.size() == 5);
  // Each at -23 LUFS by tablo's measure, and within 1 LU of each other by ffmpeg's.
  double quietest = 0, loudest = -100;
  for (const auto& r : manifest.recordings) {
    const std::string file = pack + "/" + r.file;
    const Pcm pcm = load_audio(file, PcmFormat{48000, 1});
    const double lufs = tablo::test::ffmpeg_lufs(file);
    INFO(r.words << " (" << r.file << "): " << loudness(pcm) << " LUFS, by ffmpeg " << lufs << ", " << pcm.seconds()
                 << " s");
    CHECK(loudness(pcm) == Approx(pack_loudness_lufs).margin(0.5));
    CHECK(pcm.seconds() < 1.0);  // the silence around «талон» is gone
    if (r.words == "и") CHECK(pcm.sounding_seconds() >= 0.2);
    quietest = std::min(quietest, lufs);
    loudest = std::max(loudest, lufs);
  }
  CHECK(loudest - quietest <= 1.0);

  // A word the pack lacks, said by espeak-ng on the screen, is as loud as the recorded ones.
  Speech speech;
  VoicePack voice(pack, Language::ru, PcmFormat{48000, 1}, speech);
  save_wav(voice.say({{Fragment::Kind::words, "двадцать"}}), dir.path() + "/fallback.wav");
  CHECK(voice.synthesised() == std::set<std::string>{"двадцать"});
  const double fallback = tablo::test::ffmpeg_lufs(dir.path() + "/fallback.wav");
  INFO("«двадцать» by espeak-ng: " << fallback << " LUFS by ffmpeg; recordings " << quietest << " to " << loudest);
  CHECK(fallback >= loudest - 1.0);
  CHECK(fallback <= quietest + 1.0);
}

TEST_CASE("check lists the fragments the calls need that a pack lacks, and the files it cannot use") {
  TempDir dir;
  const std::string pack = dir.path();
  tablo::test::record(pack + "/talon.wav", "талон", "anull");
  tablo::test::record(pack + "/typo.wav", "двадцать", "anull");
  tablo::test::synthesise_with_ffmpeg(pack + "/empty.wav", "anullsrc=d=0.5");
  std::ofstream(pack + "/corrupt.wav") << "not a recording at all, whatever its name says";
  std::ofstream(pack + "/manifest.toml") << "language = \"ru\"\nname = \"Анна\"\nchime = \"ding.wav\"\n[words]\n"
                                         << "\"талон\" = \"talon.wav\"\n"
                                         << "\"пять\" = \"missing.wav\"\n"
                                         << "\"два\" = \"corrupt.wav\"\n"
                                         << "\"три\" = \"empty.wav\"\n"
                                         << "\"двацать\" = \"typo.wav\"\n";
  const std::string call = "{chime} Талон {ticket}, подойдите {destination} номер {window}";
  const auto checked = voice_pack({"check", pack, "--template", call, "--destination", "касса=к кассе"});
  INFO(checked.output);
  CHECK(checked.exit_code == 1);

  // Missing: everything needed but the four fragments the manifest lists.
  auto destinations = tablo::config::built_in_destinations();
  destinations["касса"] = {{"ru", "к кассе"}};
  const auto needed = needed_fragments(
      CallSpeech{Language::ru, {call, "Талон {ticket}, {destination} {window}"}, {"окно", "касса"}, destinations});
  std::set<std::string> expected;
  for (const auto& n : needed) expected.insert(n.words);
  for (const char* listed_in_manifest : {"талон", "пять", "два", "три"}) expected.erase(listed_in_manifest);
  const auto missing = listed(checked.output, "missing");
  CHECK(missing == expected);
  CHECK(missing.count("подойдите"));  // the template's own word
  CHECK(missing.count("к кассе"));    // a destination of the branch's own
  CHECK(missing.count("девятьсот"));  // numbers up to 9999
  CHECK(missing.count("и краткое"));  // every letter
  CHECK_FALSE(missing.count("пройдите"));
  CHECK_THAT(checked.output, Catch::Contains(std::to_string(needed.size()) + " fragments needed: 1 recorded, " +
                                             std::to_string(expected.size()) + " missing, 4 unusable"));

  // Unusable: each named by its manifest line and file, with what is wrong.
  CHECK_THAT(checked.output,
             Catch::Contains("manifest.toml:3  \"chime\" = \"ding.wav\"") &&
                 Catch::Contains("manifest.toml:6  \"пять\" = \"missing.wav\": audio " + pack +
                                 "/missing.wav: No such file or directory") &&
                 Catch::Contains("manifest.toml:7  \"два\" = \"corrupt.wav\": audio " + pack + "/corrupt.wav") &&
                 Catch::Contains("manifest.toml:8  \"три\" = \"empty.wav\": is silent"));
  CHECK_THAT(checked.output,
             Catch::Contains("not said by these calls") && Catch::Contains("\"двацать\" = \"typo.wav\""));
  CHECK_THAT(checked.output, Catch::Contains("To finish the pack"));
}

TEST_CASE("check reads a screen's config: its pack, templates and destination words") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/anna");
  tablo::test::record(dir.path() + "/anna/podojdite.wav", "подойдите", "anull");
  std::ofstream(dir.path() + "/anna/manifest.toml") << "[words]\n\"подойдите\" = \"podojdite.wav\"\n";
  std::ofstream(dir.path() + "/tablo.toml")
      << "[announcements]\nvoice_pack = \"anna\"\ntemplate = \"{chime} Талон {ticket}, подойдите {destination} "
         "{window}\"\n"
      << "destination = \"кабинет\"\nzone_destinations = { upstairs = \"касса\" }\n"
      << "[announcements.destination_words]\n\"касса\" = { ru = \"к кассе\" }\n";
  const auto checked = voice_pack({"check", "--config", dir.path() + "/tablo.toml"});
  INFO(checked.output);
  CHECK(checked.exit_code == 1);
  const auto missing = listed(checked.output, "missing");
  CHECK(missing.count("в кабинет"));
  CHECK(missing.count("к кассе"));
  CHECK_FALSE(missing.count("подойдите"));
  CHECK_FALSE(missing.count("пройдите"));
  CHECK_FALSE(missing.count("номер"));
}

TEST_CASE("the espeak-ng pack scripts/build makes is complete, and check says so with exit code 0") {
  TempDir dir;
  const auto built = voice_pack({"--language", "ru", "--out", dir.path() + "/ru"});  // the usage before subcommands
  INFO(built.output);
  REQUIRE(built.exit_code == 0);
  CHECK_THAT(built.output, Catch::Contains("slowed to a syllable: ") && Catch::Contains("\"и\""));
  const auto checked = voice_pack({"check", dir.path() + "/ru"});
  INFO(checked.output);
  CHECK(checked.exit_code == 0);
  CHECK_THAT(checked.output, Catch::Contains("complete: every fragment these calls can need is recorded"));
  CHECK_THAT(checked.output, Catch::Contains("0 missing, 0 unusable"));
}

TEST_CASE("check of an empty folder lists every fragment as missing; a broken manifest names its line") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/empty");
  const auto empty = voice_pack({"check", dir.path() + "/empty"});
  CHECK(empty.exit_code == 1);
  CHECK_THAT(empty.output, Catch::Contains("has no manifest.toml") && Catch::Contains(": 0 recorded, "));
  CHECK(listed(empty.output, "missing").count("талон"));

  std::ofstream(dir.path() + "/manifest.toml") << "[words]\n\"талон\" = talon.wav\n";
  const auto broken = voice_pack({"check", dir.path()});
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.output, Catch::Contains(dir.path() + "/manifest.toml:2:"));

  const auto nowhere = voice_pack({"check", dir.path() + "/nowhere"});
  CHECK(nowhere.exit_code == 2);
  CHECK_THAT(nowhere.output, Catch::Contains("no such folder"));

  const auto no_recordings = voice_pack({"build", "--from", dir.path() + "/empty", "--out", dir.path() + "/pack"});
  CHECK(no_recordings.exit_code == 2);
  CHECK_THAT(no_recordings.output, Catch::Contains("holds no recordings"));
}
