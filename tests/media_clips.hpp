#pragma once
// Test media made at test time with the ffmpeg command-line tool: small clips, a few
// seconds at most, in a test's temporary folder.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "media/frame_queue.hpp"
#include "media/video_decoder.hpp"
#include "tests/support/process.hpp"

namespace tablo::test {

inline const std::string ffmpeg_bin = "/usr/bin/ffmpeg";

// Whether this machine's ffmpeg has the encoder `name` (Debian's has most; other builds differ).
inline bool has_encoder(const std::string& name) {
  static const std::string list = run({ffmpeg_bin, "-hide_banner", "-encoders"}, std::chrono::seconds(20)).output;
  return list.find(" " + name + " ") != std::string::npos;
}

// Runs ffmpeg with `args` (input and encoder options) writing `dir/name`; fails the test
// with ffmpeg's own words when it cannot.
inline std::filesystem::path make_clip(const std::string& dir, const std::string& name, const std::string& args) {
  std::vector<std::string> argv{ffmpeg_bin, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
  std::istringstream words(args);
  for (std::string w; words >> w;) argv.push_back(w);
  const auto path = std::filesystem::path(dir) / name;
  argv.push_back(path.string());
  const auto ran = run(argv, std::chrono::seconds(60));
  INFO("ffmpeg " << args << " " << name << ":\n" << ran.output);
  REQUIRE(ran.exit_code == 0);
  return path;
}

// A solid colour, `seconds` long at 25 frames a second, H.264 in MP4.
inline std::filesystem::path solid_clip(const std::string& dir, const std::string& name, const std::string& colour,
                                        double seconds, const std::string& size = "320x240") {
  return make_clip(dir, name,
                   "-f lavfi -i color=c=" + colour + ":size=" + size + ":rate=25 -t " + std::to_string(seconds) +
                       " -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
}

struct Decoded {
  std::vector<media::Frame> frames;
  std::optional<media::VideoInfo> info;
  std::string error;
};

// Every frame of a file, as the decoder hands them over.
inline Decoded decode_all(const std::filesystem::path& file) {
  media::VideoDecoder decoder(file, media::DecoderOptions{});
  Decoded out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto f = decoder.frames().pop()) {
      out.frames.push_back(std::move(*f));
    } else if (decoder.frames().finished()) {
      while (auto last = decoder.frames().pop()) out.frames.push_back(std::move(*last));
      break;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  out.info = decoder.info();
  out.error = decoder.frames().error();
  return out;
}

}  // namespace tablo::test
