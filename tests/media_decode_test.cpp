// The decoder against what staff will bring: each codec Debian's FFmpeg can make, odd sizes,
// portrait, turned phone video, variable frame rate, stills, no sound, and broken files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "media/image.hpp"
#include "tests/media_clips.hpp"

using namespace tablo;
using test::decode_all;
using test::make_clip;

namespace {

struct Row {
  const char* codec;    // as FFmpeg names the stream's codec
  const char* encoder;  // the ffmpeg encoder that makes it
  const char* file;
  const char* size;
  const char* options;
};

// 1 second at 25 frames a second each.
const Row rows[] = {
    {"h264", "libx264", "h264.mp4", "320x240", "-preset ultrafast -pix_fmt yuv420p"},
    {"h264", "libx264", "h264-720p.mkv", "1280x720", "-preset ultrafast -pix_fmt yuv420p"},
    {"hevc", "libx265", "hevc.mp4", "352x288", "-preset ultrafast -pix_fmt yuv420p -x265-params log-level=error"},
    {"vp9", "libvpx-vp9", "vp9.webm", "320x180", "-deadline realtime -cpu-used 8 -b:v 200k"},
    {"av1", "libaom-av1", "av1.mkv", "160x120", "-cpu-used 8 -row-mt 1 -b:v 100k"},
    {"mpeg2video", "mpeg2video", "mpeg2.mpg", "720x576", "-b:v 2M"},
    {"mpeg4", "mpeg4", "mpeg4.avi", "640x360", "-q:v 5"},
    {"mjpeg", "mjpeg", "mjpeg.mov", "320x240", "-q:v 5 -pix_fmt yuvj420p"},
    {"h264", "libx264", "portrait.mp4", "180x320", "-preset ultrafast -pix_fmt yuv420p"},
    {"h264", "libx264", "odd-size.mkv", "202x114", "-preset ultrafast -pix_fmt yuv420p"},
    {"h264", "libx264", "yuv444.mp4", "320x240", "-preset ultrafast -pix_fmt yuv444p"},
};

}  // namespace

TEST_CASE("every codec of the matrix decodes to its frames, in order, at their timestamps") {
  test::TempDir dir;
  for (const Row& row : rows) {
    DYNAMIC_SECTION(row.file) {
      if (!test::has_encoder(row.encoder)) {
        WARN("this ffmpeg has no " << row.encoder << " encoder: the " << row.codec << " row is not tested");
        continue;
      }
      const auto file = make_clip(dir.path(), row.file,
                                  std::string("-f lavfi -i testsrc2=size=") + row.size + ":rate=25 -t 1 -c:v " +
                                      row.encoder + " " + row.options);
      const auto d = decode_all(file);
      INFO(row.file << ": " << d.error);
      REQUIRE(d.error.empty());
      REQUIRE(d.info);
      CHECK(d.info->codec == row.codec);
      CHECK(std::to_string(d.info->width) + "x" + std::to_string(d.info->height) == row.size);
      CHECK_FALSE(d.info->still);
      CHECK(d.info->rotation == 0);
      CHECK_FALSE(d.info->has_audio);
      REQUIRE(d.frames.size() == 25);
      for (std::size_t i = 0; i < d.frames.size(); ++i) {
        INFO("frame " << i);
        CHECK(d.frames[i].pts == Approx(static_cast<double>(i) * 0.04).margin(0.002));
        CHECK(d.frames[i].duration == Approx(0.04).margin(0.002));
        CHECK(d.frames[i].picture->width == d.info->width);
      }
    }
  }
}

TEST_CASE("variable frame rate: each frame lasts until the next one's timestamp") {
  test::TempDir dir;
  // Ten frames 40 ms apart, then ten 100 ms apart.
  const auto file = make_clip(dir.path(), "vfr.mkv",
                              "-f lavfi -i testsrc2=size=160x120:rate=25 -frames:v 20 "
                              "-vf settb=1/1000,setpts=if(lt(N\\,10)\\,N*40\\,400+(N-10)*100)/1000/TB "
                              "-fps_mode passthrough -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
  // What ffprobe says of the same file is the reference.
  const auto probe = test::run({"/usr/bin/ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                                "frame=best_effort_timestamp_time", "-of", "csv=p=0", file.string()});
  std::vector<double> expected;
  std::string numbers = probe.output;
  std::replace(numbers.begin(), numbers.end(), ',', ' ');
  std::istringstream lines(numbers);
  for (double t; lines >> t;) expected.push_back(t);
  REQUIRE(expected.size() == 20);

  const auto d = decode_all(file);
  REQUIRE(d.frames.size() == 20);
  std::set<long> gaps;
  for (std::size_t i = 0; i < 20; ++i) {
    INFO("frame " << i);
    CHECK(d.frames[i].pts == Approx(expected[i] - expected[0]).margin(0.0005));
    if (i + 1 < 20) {
      CHECK(d.frames[i].duration == Approx(expected[i + 1] - expected[i]).margin(0.0005));
      gaps.insert(std::lround(d.frames[i].duration * 1000));
    }
  }
  CHECK(gaps.size() > 1);  // the clip really is of variable frame rate
}

TEST_CASE("a phone video's rotation is read from its display matrix, as ffmpeg itself turns it") {
  test::TempDir dir;
  // Red on top of blue; ffmpeg's own upright picture shows where the top went.
  const auto plain = make_clip(dir.path(), "plain.mp4",
                               "-f lavfi -i color=c=blue:size=320x180:rate=25,drawbox=x=0:y=0:w=320:h=90:color=red:t=fill "
                               "-t 0.2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
  for (int tag : {90, 180, 270}) {
    DYNAMIC_SECTION("rotate=" << tag) {
      const auto name = "turned" + std::to_string(tag);
      const auto file = make_clip(dir.path(), name + ".mp4",
                                  "-i " + plain.string() + " -c copy -metadata:s:v:0 rotate=" + std::to_string(tag));
      const auto upright = media::load_image(make_clip(dir.path(), name + ".png", "-i " + file.string() + " -frames:v 1"));
      auto red = [&](int x, int y) { return upright.pixel(x, y)[0] > 200 && upright.pixel(x, y)[2] < 60; };
      const int w = upright.width, h = upright.height;
      const bool tl = red(w / 4, h / 4), tr = red(3 * w / 4, h / 4), bl = red(w / 4, 3 * h / 4);
      const int expected = tl && tr ? 0 : tr ? 90 : bl && !tl ? 180 : 270;  // the red half: top, right, bottom, left
      const auto d = decode_all(file);
      REQUIRE(d.info);
      CHECK(d.info->rotation == expected);
      CHECK(expected != 0);
      CHECK(d.frames.size() == 5);
    }
  }
}

TEST_CASE("a video with a soundtrack says so and its pictures decode as without one") {
  test::TempDir dir;
  const auto file = make_clip(dir.path(), "with-sound.mp4",
                              "-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=frequency=440 -t 1 "
                              "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
  const auto d = decode_all(file);
  REQUIRE(d.info);
  CHECK(d.info->has_audio);
  CHECK(d.frames.size() == 25);
}

TEST_CASE("a video's sound, when asked for, is decoded on its pictures' timeline while its pictures wait") {
  test::TempDir dir;
  // The sound starts 0.5 s after the pictures: the first half second is silence.
  const auto file = make_clip(dir.path(), "late-sound.mp4",
                              "-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=frequency=440 -t 2 "
                              "-af adelay=500|500 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
  media::VideoDecoder decoder(file, media::DecoderOptions{3, 0, {}, 48000});
  while (!decoder.info()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto sound = decoder.sound();
  REQUIRE(sound);
  // No picture is taken: the picture queue stays full, and the sound is decoded all the same.
  std::vector<float> heard(2 * 48000);
  std::size_t frames = 0;
  for (int i = 0; i < 3000 && frames < 48000; ++i) {
    frames += sound->pull(heard.data() + 2 * frames, 48000 - frames);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(frames == 48000);  // the first second, stereo
  auto loudest = [&](std::size_t from, std::size_t to) {
    float peak = 0;
    for (std::size_t i = 2 * from; i < 2 * to; ++i) peak = std::max(peak, std::abs(heard[i]));
    return peak;
  };
  CHECK(loudest(0, 22000) < 0.01f);       // before 0.46 s: silence
  CHECK(loudest(26000, 48000) > 0.05f);   // after 0.54 s: the tone (1/8 full scale, in both channels)

  media::VideoDecoder pictures_only(file, media::DecoderOptions{});
  while (!pictures_only.info()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK_FALSE(pictures_only.sound());
}

TEST_CASE("stills decode to one picture, JPEG with its full-range colours") {
  test::TempDir dir;
  struct Still {
    const char* file;
    const char* encoder;
  };
  for (const Still& s : {Still{"slide.png", "png"}, Still{"slide.jpg", "mjpeg"}, Still{"slide.webp", "libwebp"}}) {
    DYNAMIC_SECTION(s.file) {
      if (!test::has_encoder(s.encoder)) {
        WARN("this ffmpeg has no " << s.encoder << " encoder: " << s.file << " is not tested");
        continue;
      }
      const auto file = make_clip(dir.path(), s.file, "-f lavfi -i testsrc2=size=400x300 -frames:v 1");
      const auto d = decode_all(file);
      INFO(d.error);
      REQUIRE(d.info);
      CHECK(d.info->still);
      CHECK(d.info->width == 400);
      REQUIRE(d.frames.size() == 1);
      if (std::string(s.file).ends_with(".jpg")) CHECK(media::color_matrix_of(*d.frames[0].picture) == media::ColorMatrix::jpeg);
    }
  }
}

TEST_CASE("HD video is BT.709 and SD video BT.601 unless the stream says otherwise") {
  media::FramePtr f(av_frame_alloc());
  f->format = AV_PIX_FMT_YUV420P;
  f->height = 1080;
  CHECK(media::color_matrix_of(*f) == media::ColorMatrix::bt709);
  f->height = 576;
  CHECK(media::color_matrix_of(*f) == media::ColorMatrix::bt601);
  f->colorspace = AVCOL_SPC_BT709;
  CHECK(media::color_matrix_of(*f) == media::ColorMatrix::bt709);
  f->colorspace = AVCOL_SPC_SMPTE170M;
  f->height = 1080;
  CHECK(media::color_matrix_of(*f) == media::ColorMatrix::bt601);
}

TEST_CASE("a missing, truncated or garbage file ends with an error that says what is wrong") {
  test::TempDir dir;
  const auto whole = make_clip(dir.path(), "whole.mp4",
                               "-f lavfi -i testsrc2=size=320x240:rate=25 -t 1 -c:v libx264 -preset ultrafast");
  // MP4 keeps its index at the end unless told otherwise: half a file has none.
  const auto half = std::filesystem::path(dir.path()) / "half.mp4";
  std::filesystem::copy_file(whole, half);
  std::filesystem::resize_file(half, std::filesystem::file_size(whole) / 2);
  const auto garbage = std::filesystem::path(dir.path()) / "garbage.mp4";
  std::ofstream(garbage) << std::string(4096, 'x');

  SECTION("missing") {
    const auto d = decode_all(std::filesystem::path(dir.path()) / "missing.mp4");
    CHECK(d.frames.empty());
    CHECK(d.error == "cannot open: No such file or directory");
  }
  SECTION("truncated") {
    const auto d = decode_all(half);
    CHECK(d.frames.empty());
    CHECK_THAT(d.error, Catch::StartsWith("cannot open: ") || Catch::Contains("no picture"));
  }
  SECTION("garbage") {
    const auto d = decode_all(garbage);
    CHECK(d.frames.empty());
    CHECK_FALSE(d.error.empty());
  }
}

TEST_CASE("a decoder stopped mid-file stops at once") {
  test::TempDir dir;
  const auto file = make_clip(dir.path(), "long.mp4",
                              "-f lavfi -i testsrc2=size=320x240:rate=25 -t 4 -c:v libx264 -preset ultrafast");
  const auto started = std::chrono::steady_clock::now();
  {
    media::VideoDecoder decoder(file, media::DecoderOptions{});
    while (decoder.frames().size() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }  // the queue is full and the thread waits for room: the destructor must still end it
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}
