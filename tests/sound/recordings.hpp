#pragma once
// Recordings for the voice pack tests, made the way a studio's would differ: spoken by
// espeak-ng's command line in another voice ("ru+f3" stands in for the announcer), then
// put through the ffmpeg command line for level, sample rate, channels, silence and format.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace tablo::test {

// `words` spoken into `path`; `filter` is an ffmpeg audio filter chain ("volume=-20dB,…"),
// `encode` the output options ("-ar", "44100", "-ac", "2").
inline void record(const std::string& path, const std::string& words, const std::string& filter,
                   const std::vector<std::string>& encode = {}) {
  const std::string voice = path + ".voice.wav";
  const auto spoken = run({"/usr/bin/espeak-ng", "-v", "ru+f3", "-w", voice, words});
  REQUIRE(spoken.exit_code == 0);
  std::vector<std::string> argv{"/usr/bin/ffmpeg", "-v", "error", "-y", "-i", voice, "-af", filter};
  argv.insert(argv.end(), encode.begin(), encode.end());
  argv.push_back(path);
  const auto made = run(argv);
  INFO(made.output);
  REQUIRE(made.exit_code == 0);
  std::remove(voice.c_str());
}

// A sound made by an ffmpeg source ("aevalsrc=0.5*cos(2*PI*300*t):d=0.4"), into `path`.
inline void synthesise_with_ffmpeg(const std::string& path, const std::string& source,
                                   const std::string& filter = "anull") {
  const auto made = run({"/usr/bin/ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-af", filter, path});
  INFO(made.output);
  REQUIRE(made.exit_code == 0);
}

// The loudness of a file by ffmpeg's own ebur128 filter (not libebur128, which tablo uses):
// a second opinion. The file is played ten times over, so that even a letter name fills
// R128's 400 ms blocks evenly; its 20 ms margins count, so a short fragment reads a few
// tenths of a LU lower than tablo's own measure, which leaves them out.
inline double ffmpeg_lufs(const std::string& path) {
  const auto measured = run({"/usr/bin/ffmpeg", "-hide_banner", "-nostats", "-stream_loop", "9", "-i", path, "-af",
                             "ebur128", "-f", "null", "-"});
  REQUIRE(measured.exit_code == 0);
  const auto summary = measured.output.rfind("Integrated loudness:");
  REQUIRE(summary != std::string::npos);
  const auto i = measured.output.find("I:", summary);
  return std::strtod(measured.output.c_str() + i + 2, nullptr);
}

}  // namespace tablo::test
