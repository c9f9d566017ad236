#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "sound/announcer.hpp"
#include "tests/support/process.hpp"

using namespace tablo::sound;

namespace {

const PcmFormat format{16000, 1};  // small and mono: the tests read samples directly

Pcm tone(double seconds, float level) {
  Pcm p{format, {}};
  for (std::size_t i = 0; i < static_cast<std::size_t>(seconds * format.rate); ++i)
    p.samples.push_back(level * static_cast<float>(std::sin(static_cast<double>(i) * 0.3)));
  return p;
}

std::vector<float> render(Mixer& mixer, double seconds) {
  std::vector<float> out(static_cast<std::size_t>(seconds * format.rate), 0.0f);
  for (std::size_t at = 0; at < out.size(); at += 256) mixer.render(out.data() + at, std::min<std::size_t>(256, out.size() - at));
  return out;
}

// Runs of sound in `pcm`: [start, end) frames, separated by at least 50 ms of silence.
struct Run {
  std::size_t start, end;
  float peak;
};
std::vector<Run> sound_runs(const std::vector<float>& s) {
  std::vector<Run> runs;
  const std::size_t hole = format.rate / 20;
  std::size_t quiet = hole;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (std::abs(s[i]) > 0.02f) {
      if (quiet >= hole) runs.push_back({i, i + 1, 0});
      runs.back().end = i + 1;
      runs.back().peak = std::max(runs.back().peak, std::abs(s[i]));
      quiet = 0;
    } else {
      ++quiet;
    }
  }
  return runs;
}

}  // namespace

TEST_CASE("announcements play one after another with silence between, never overlapping") {
  Mixer mixer(format, 0.2f, 0.5);
  mixer.queue(Clip{1, "А001", tone(0.5, 0.3f)});
  mixer.queue(Clip{2, "А002", tone(0.5, 0.6f)});
  mixer.queue(Clip{3, "А003", tone(0.5, 0.9f)});
  CHECK(mixer.seconds_ahead() == Approx(0.5 * 3 + 0.5 * 3).margin(0.01));
  auto runs = sound_runs(render(mixer, 4));
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].peak == Approx(0.3f).margin(0.02));  // in the order they were queued
  CHECK(runs[1].peak == Approx(0.6f).margin(0.02));
  CHECK(runs[2].peak == Approx(0.9f).margin(0.02));
  for (std::size_t i = 1; i < runs.size(); ++i) CHECK(runs[i].start - runs[i - 1].end >= static_cast<std::size_t>(format.rate / 2 - 200));

  auto events = mixer.take_events();
  REQUIRE(events.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(events[i].id == i / 2 + 1);
    CHECK(events[i].kind == (i % 2 ? MixerEvent::Kind::finished : MixerEvent::Kind::started));
  }
  CHECK_FALSE(mixer.playing());
}

TEST_CASE("the soundtrack is ducked while an announcement plays and comes back after") {
  Mixer mixer(format, 0.2f, 0.0);
  // A steady level, as long as it is asked for.
  mixer.play_soundtrack([](float* out, std::size_t frames) {
    std::fill(out, out + frames * format.channels, 0.5f);
    return frames;
  }, 1);
  auto before = render(mixer, 0.2);
  CHECK(before.back() == Approx(0.5f));
  mixer.queue(Clip{1, "silent words", Pcm{format, std::vector<float>(format.rate / 2, 0.0f)}});
  auto during = render(mixer, 0.5);
  CHECK(during[format.rate / 4] == Approx(0.5f * 0.2f).margin(0.001));  // after the 50 ms ramp
  auto after = render(mixer, 0.3);
  CHECK(after.back() == Approx(0.5f).margin(0.001));
}

TEST_CASE("a screen without a voice pack speaks every word with espeak-ng") {
  Speech speech;
  VoicePack pack({}, Language::ru, format, speech);
  Pcm pcm = pack.say(build_phrase("{chime} Талон {ticket}, пройдите {destination} номер {window}",
                                  CallWords{"А025", "3", "к окну"}, Language::ru));
  CHECK(pcm.seconds() > 1.5);
  CHECK(pcm.seconds() < 8.0);
  CHECK(pack.synthesised().count("талон") == 1);
  CHECK(pack.synthesised().count("двадцать") == 1);
}

TEST_CASE("a voice pack's recordings are used, and words it lacks are synthesised") {
  tablo::test::TempDir dir;
  save_wav(tone(0.3, 0.5f), dir.path() + "/talon.wav");
  save_wav(tone(0.2, 0.5f), dir.path() + "/chime.wav");
  std::ofstream(dir.path() + "/manifest.toml")
      << "language = \"ru\"\nname = \"test\"\nchime = \"chime.wav\"\n[words]\n\"Талон\" = \"talon.wav\"\n";
  Speech speech;
  VoicePack pack(dir.path(), Language::en, format, speech);
  CHECK(pack.language() == Language::ru);
  CHECK(pack.recorded() == 1);
  Pcm pcm = pack.say({{Fragment::Kind::chime, ""}, {Fragment::Kind::words, "талон"}, {Fragment::Kind::words, "пять"}});
  CHECK(pack.synthesised() == std::set<std::string>{"пять"});
  CHECK(pcm.seconds() > 0.5);
}

TEST_CASE("a broken voice pack manifest names the file, line and column") {
  tablo::test::TempDir dir;
  std::ofstream(dir.path() + "/manifest.toml") << "language = \"ru\"\n[words]\n\"талон\" = 5\n";
  Speech speech;
  CHECK_THROWS_WITH(VoicePack(dir.path(), Language::ru, format, speech),
                    Catch::Contains("manifest.toml:3:") && Catch::Contains("must be a file name"));
}

TEST_CASE("the announcement mode decides between nothing, a chime and the words") {
  Speech speech;
  VoicePack pack({}, Language::ru, format, speech);
  Mixer mixer(format, 0.2f, 0.0);
  tablo::config::AnnouncementSettings rules;
  const double chime = default_chime(format).seconds();

  rules.mode = tablo::config::AnnounceMode::off;
  CHECK(Announcer(rules, pack, mixer).call("А1", "1", "", false, 600).id == 0);

  rules.mode = tablo::config::AnnounceMode::chime;
  Announcer chime_only(rules, pack, mixer);
  chime_only.call("А1", "1", "", false, 600);
  CHECK(mixer.seconds_ahead() == Approx(chime).margin(0.01));
  render(mixer, 2);

  rules.mode = tablo::config::AnnounceMode::chime_then_voice;
  Announcer on_recall(rules, pack, mixer);
  on_recall.call("А1", "1", "", false, 600);
  CHECK(mixer.seconds_ahead() == Approx(chime).margin(0.01));
  render(mixer, 2);
  auto q = on_recall.call("А1", "1", "", true, 600);
  CHECK(q.words == "талон а один, пройдите к окну номер один");
  CHECK(mixer.seconds_ahead() > chime + 1.0);
}

TEST_CASE("a prerecorded message is found by name and played after the chime; the words go to the screen") {
  tablo::test::TempDir dir;
  save_wav(tone(1.5, 0.5f), dir.path() + "/closing.wav");
  std::ofstream(dir.path() + "/closing.txt") << "not audio";
  CHECK(find_recording(dir.path(), "closing") == std::filesystem::path(dir.path()) / "closing.wav");
  CHECK(find_recording(dir.path(), "closing.wav") == std::filesystem::path(dir.path()) / "closing.wav");
  CHECK_FALSE(find_recording(dir.path(), "opening"));

  Speech speech;
  VoicePack pack({}, Language::ru, format, speech);
  Mixer mixer(format, 0.2f, 0.0);
  tablo::config::AnnouncementSettings rules;
  Announcer announcer(rules, pack, mixer);
  const auto q = announcer.recording(dir.path() + "/closing.wav", "Отделение закрывается", 600);
  CHECK(q.id != 0);
  CHECK(q.words == "Отделение закрывается");
  CHECK(mixer.seconds_ahead() == Approx(default_chime(format).seconds() + 1.5).margin(0.05));
  CHECK_THROWS_WITH(announcer.recording(dir.path() + "/closing.txt", "x", 600), Catch::Contains("closing.txt"));

  rules.mode = tablo::config::AnnounceMode::off;
  CHECK(Announcer(rules, pack, mixer).recording(dir.path() + "/closing.wav", "x", 600).id == 0);
}

TEST_CASE("quiet hours play nothing but still give the words for the screen") {
  Speech speech;
  VoicePack pack({}, Language::ru, format, speech);
  Mixer mixer(format);
  tablo::config::AnnouncementSettings rules;
  rules.quiet_hours = {22 * 60, 7 * 60};  // across midnight
  Announcer announcer(rules, pack, mixer);
  auto q = announcer.call("Б7", "2", "", false, 23 * 60);
  CHECK(q.id == 0);
  CHECK(q.words == "талон бэ семь, пройдите к окну номер два");
  CHECK(announcer.call("Б7", "2", "", false, 12 * 60).id != 0);
}

TEST_CASE("a burst of 20 calls is announced whole, in order, none overlapping, late ones shortened") {
  Speech speech;
  VoicePack pack({}, Language::ru, format, speech);
  Mixer mixer(format, 0.2f, 0.3);
  tablo::config::AnnouncementSettings rules;
  rules.max_wait_seconds = 15;
  Announcer announcer(rules, pack, mixer);
  int shortened = 0;
  for (int i = 1; i <= 20; ++i) shortened += announcer.call("А" + std::to_string(i), std::to_string(i % 9 + 1), "", false, 600).shortened;
  CHECK(shortened > 0);
  CHECK(shortened < 20);

  const double total = mixer.seconds_ahead();
  render(mixer, total + 1);
  auto events = mixer.take_events();
  REQUIRE(events.size() == 40);
  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].id == i / 2 + 1);
    CHECK(events[i].kind == (i % 2 ? MixerEvent::Kind::finished : MixerEvent::Kind::started));
    if (i % 2 == 0 && i > 0) CHECK(events[i].frame >= events[i - 1].frame);  // starts after the previous ended
  }
}

TEST_CASE("an English screen sends visitors to the window in English; a destination without English words stops it") {
  Speech speech;
  VoicePack pack({}, Language::en, format, speech);
  Mixer mixer(format, 0.2f, 0.0);
  tablo::config::AnnouncementSettings rules;  // destination "окно", as a Russian branch has it
  rules.language = "en";
  rules.mode = tablo::config::AnnounceMode::off;  // the words without the sound
  Announcer announcer(rules, pack, mixer);
  CHECK(announcer.call("А025", "3", "", false, 600).words == "ticket ay twenty five, please go to window three");
  CHECK(announcer.call("Н026", "4", "кабинет", false, 600).words == "ticket aitch twenty six, please go to room four");

  rules.zone_destinations = {{"upstairs", "касса"}};
  rules.destination_words["касса"] = {{"ru", "к кассе"}};
  CHECK_THROWS_WITH(Announcer(rules, pack, mixer),
                    Catch::Contains("announcements.zone_destinations.upstairs") && Catch::Contains("English"));
}

TEST_CASE("the soundtrack's clock is what the output was handed less its latency, and stops when it runs dry") {
  Mixer mixer(format, 0.2f, 0.0);
  std::size_t left = format.rate;  // one second of soundtrack
  mixer.play_soundtrack([&](float* out, std::size_t frames) {
    const std::size_t n = std::min(frames, left);
    std::fill(out, out + n * format.channels, 0.5f);
    left -= n;
    return n;
  }, 7);
  mixer.set_latency(format.rate / 10);  // 100 ms
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(mixer.soundtrack_heard(7, t0));  // nothing handed over yet
  std::vector<float> out(format.rate / 2 * format.channels);
  mixer.render(out.data(), format.rate / 2, t0);
  CHECK(*mixer.soundtrack_heard(7, t0) == Approx(0.4));
  CHECK(*mixer.soundtrack_heard(7, t0 + std::chrono::milliseconds(50)) == Approx(0.45));
  CHECK(*mixer.soundtrack_heard(7, t0 + std::chrono::milliseconds(300)) == Approx(0.5));  // never past what it had
  CHECK_FALSE(mixer.soundtrack_heard(8, t0));  // another soundtrack's clock: not this one
  mixer.render(out.data(), format.rate / 2, t0 + std::chrono::milliseconds(500));
  CHECK(*mixer.soundtrack_heard(7, t0 + std::chrono::milliseconds(500)) == Approx(0.9));
  mixer.render(out.data(), format.rate / 2, t0 + std::chrono::seconds(1));  // run dry: silence
  CHECK_FALSE(mixer.soundtrack_heard(7, t0 + std::chrono::seconds(1)));
  CHECK(out.back() == 0.0f);
}
