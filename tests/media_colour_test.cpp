// Exact colour, end to end: colour bars of known RGB are encoded by the ffmpeg tool in each
// pixel format, matrix and range a hall's files come in, decoded by the real decoder (which
// converts on its thread what SDL cannot show exactly), drawn by the screen's video output on
// SDL's real software renderer, read back, and compared bar by bar with the RGB they were made from; and
// once through a headless tablo-display and its screenshot.
#include <catch2/catch.hpp>

#include <SDL.h>

#include <array>
#include <fstream>

#include "display/video_output.hpp"
#include "media/image.hpp"
#include "media/picture_convert.hpp"
#include "tests/media_clips.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

using namespace tablo;

namespace {

struct Rgb {
  int r, g, b;
};

// Black, white, grey, the primaries and two mixed colours, none at a channel's very end but
// black and white, so a range error shows in every bar.
constexpr std::array<Rgb, 8> bars{{{0, 0, 0},
                                   {255, 255, 255},
                                   {128, 128, 128},
                                   {200, 30, 40},
                                   {40, 180, 60},
                                   {30, 50, 210},
                                   {230, 220, 40},
                                   {220, 170, 140}}};
constexpr int bar_width = 48, bars_height = 64;

std::filesystem::path write_bars(const std::string& dir) {
  const auto path = std::filesystem::path(dir) / "bars.ppm";
  std::ofstream out(path, std::ios::binary);
  out << "P6\n" << bar_width * bars.size() << " " << bars_height << "\n255\n";
  for (int y = 0; y < bars_height; ++y)
    for (const Rgb& c : bars)
      for (int x = 0; x < bar_width; ++x) out << char(c.r) << char(c.g) << char(c.b);
  return path;
}

struct Drawn {
  media::Image shown;
  Rgb at(int x, int y) const {
    const std::uint8_t* p = shown.pixel(x, y);
    return {p[0], p[1], p[2]};
  }
};

// The file's first picture, as the screen would show it: decoded, uploaded to the screen's
// own video output (SDL's software renderer, offscreen), drawn, read back.
Drawn draw_first_picture(const std::filesystem::path& file) {
  const auto decoded = test::decode_all(file);
  INFO(file.filename().string() << ": " << decoded.error);
  REQUIRE(!decoded.frames.empty());
  const AVFrame& picture = *decoded.frames[0].picture;
  INFO("handed over as " << av_get_pix_fmt_name(static_cast<AVPixelFormat>(picture.format)));
  CHECK(media::screen_takes(picture));

  struct Video {
    Video() { REQUIRE(SDL_Init(SDL_INIT_VIDEO) == 0); }
    ~Video() { SDL_Quit(); }
  } video;
  const int w = picture.width, h = picture.height;
  const auto output = display::open_video_output(display::OutputOptions{true, false, w, h, 0, "software"});
  display::ImagePtr image;
  output->upload(image, picture);
  output->begin_frame(output->canvas());
  output->draw(*image, display::Rect{0, 0, w, h});
  output->finish_frame();
  display::ReadBack frame;
  output->read_back(frame);
  return Drawn{frame.image()};
}

// Each bar's centre within ±6 of the RGB it was made from.
void check_bars(const Drawn& drawn, int tolerance = 6) {
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Rgb want = bars[i];
    const Rgb got = drawn.at(static_cast<int>(i) * bar_width + bar_width / 2, bars_height / 2);
    INFO("bar " << i << ": made as " << want.r << "," << want.g << "," << want.b << " shown as " << got.r << ","
                << got.g << "," << got.b);
    CHECK(std::abs(got.r - want.r) <= tolerance);
    CHECK(std::abs(got.g - want.g) <= tolerance);
    CHECK(std::abs(got.b - want.b) <= tolerance);
  }
}

struct Encoding {
  const char* name;      // of the case and its file
  const char* format;    // the pixel format stored
  const char* matrix;    // bt601 (as smpte170m), bt709, bt2020nc
  const char* range;     // tv (limited), pc (full)
  const char* encoder;   // and the container, by the file's extension
};

std::filesystem::path encode(const std::string& dir, const std::filesystem::path& bars_file, const Encoding& e) {
  const std::string matrix = e.matrix;
  const std::string scale_matrix = matrix == "smpte170m" ? "bt601" : matrix == "bt2020nc" ? "bt2020" : matrix;
  const std::string trc = matrix == "bt2020nc" ? "bt2020-10" : matrix == "bt709" ? "bt709" : "smpte170m";
  const std::string primaries = matrix == "bt2020nc" ? "bt2020" : matrix == "bt709" ? "bt709" : "smpte170m";
  return test::make_clip(dir, e.name, "-i " + bars_file.string() + " -vf scale=out_color_matrix=" + scale_matrix +
                                          ":out_range=" + e.range + ",format=" + e.format + " -colorspace " + matrix +
                                          " -color_primaries " + primaries + " -color_trc " + trc + " -color_range " +
                                          e.range + " " + e.encoder + " -frames:v 1");
}

}  // namespace

TEST_CASE("colour bars show their own RGB in every pixel format, matrix and range of the matrix") {
  test::TempDir dir;
  const auto bars_file = write_bars(dir.path());
  const std::vector<Encoding> encodings{
      {"h264-yuv420p-bt601.mp4", "yuv420p", "smpte170m", "tv", "-c:v libx264 -qp 0"},
      {"h264-yuv420p-bt709.mp4", "yuv420p", "bt709", "tv", "-c:v libx264 -qp 0"},
      {"jpeg-yuvj420p.jpg", "yuvj420p", "smpte170m", "pc", "-c:v mjpeg -q:v 1"},
      {"jpeg-yuvj422p.jpg", "yuvj422p", "smpte170m", "pc", "-c:v mjpeg -q:v 1"},
      {"jpeg-yuvj444p.jpg", "yuvj444p", "smpte170m", "pc", "-c:v mjpeg -q:v 1"},
      {"h264-yuv420p10-bt709.mp4", "yuv420p10le", "bt709", "tv", "-c:v libx264 -qp 0"},
      {"ffv1-yuv422p10-bt709.mkv", "yuv422p10le", "bt709", "tv", "-c:v ffv1"},
      {"raw-nv12-bt601.mkv", "nv12", "smpte170m", "tv", "-c:v rawvideo"},
      {"raw-nv12-bt709.mkv", "nv12", "bt709", "tv", "-c:v rawvideo"},
      {"png-rgb24.png", "rgb24", "bt709", "pc", "-c:v png"},
      // Full-range BT.709: H.264 decodes it as yuvj420p, VP9 as yuv420p (JPEG files are BT.601 always).
      {"h264-yuv420p-bt709-full.mp4", "yuv420p", "bt709", "pc", "-c:v libx264 -qp 0"},
      {"vp9-yuv420p-bt709-full.webm", "yuv420p", "bt709", "pc", "-c:v libvpx-vp9 -lossless 1"},
      {"ffv1-yuv420p10-bt2020.mkv", "yuv420p10le", "bt2020nc", "tv", "-c:v ffv1"},
  };
  for (const auto& e : encodings) {
    DYNAMIC_SECTION(e.name) { check_bars(draw_first_picture(encode(dir.path(), bars_file, e))); }
  }
}

TEST_CASE("what needs converting is converted on the decoder's thread; what SDL takes passes as it is") {
  test::TempDir dir;
  const auto bars_file = write_bars(dir.path());
  auto handed_over = [&](const Encoding& e) {
    const auto decoded = test::decode_all(encode(dir.path(), bars_file, e));
    REQUIRE(!decoded.frames.empty());
    const AVFrame& f = *decoded.frames[0].picture;
    return std::string(av_get_pix_fmt_name(static_cast<AVPixelFormat>(f.format))) + " " +
           av_color_range_name(f.color_range) + " " + av_color_space_name(f.colorspace);
  };
  // Passed as decoded: SDL shows them exactly.
  CHECK(handed_over({"a.mp4", "yuv420p", "bt709", "tv", "-c:v libx264 -qp 0"}) == "yuv420p tv bt709");
  CHECK(handed_over({"b.jpg", "yuvj420p", "smpte170m", "pc", "-c:v mjpeg -q:v 1"}).starts_with("yuvj420p pc"));
  CHECK(handed_over({"c.mkv", "nv12", "bt709", "tv", "-c:v rawvideo"}) == "nv12 tv bt709");
  CHECK(handed_over({"d.png", "rgb24", "bt709", "pc", "-c:v png"}).starts_with("rgb24 "));
  // Converted: 4:2:2 JPEG keeps its full range (SDL's JPEG mode), 10-bit keeps its matrix,
  // full-range BT.709 becomes limited (SDL has no full-range BT.709), BT.2020 becomes RGB.
  CHECK(handed_over({"e.jpg", "yuvj422p", "smpte170m", "pc", "-c:v mjpeg -q:v 1"}).starts_with("yuv420p pc "));
  CHECK(handed_over({"f.mp4", "yuv420p10le", "bt709", "tv", "-c:v libx264 -qp 0"}) == "yuv420p tv bt709");
  CHECK(handed_over({"g.mp4", "yuv420p", "bt709", "pc", "-c:v libx264 -qp 0"}) == "yuv420p tv bt709");
  CHECK(handed_over({"g.webm", "yuv420p", "bt709", "pc", "-c:v libvpx-vp9 -lossless 1"}) == "yuv420p tv bt709");
  CHECK(handed_over({"h.mkv", "yuv420p10le", "bt2020nc", "tv", "-c:v ffv1"}) == "rgba pc gbr");
}

TEST_CASE("a 4:2:2 JPEG still on a headless screen: black is black and white is white in its screenshot") {
  test::TempDir dir;
  const auto bars_file = write_bars(dir.path());
  encode(dir.path(), bars_file, {"bars.jpg", "yuvj422p", "smpte170m", "pc", "-c:v mjpeg -q:v 1"});
  std::ofstream(dir.path() + "/loop.toml") << "[[item]]\nfile = \"bars.jpg\"\nduration = 600\n";
  std::ofstream(dir.path() + "/tablo.toml") << "[display.media]\nplaylist = \"loop.toml\"\nregion = \"full\"\n"
                                            << "[display.metrics]\nlisten = \"\"\n";
  constexpr int W = 1280, H = 720;
  test::Process screen({TABLO_DISPLAY_BIN, "--headless", "--config", dir.path() + "/tablo.toml", "--size",
                        std::to_string(W) + "x" + std::to_string(H), "--hub-commands", test::free_endpoint(),
                        "--hub-events", test::free_endpoint(), "--screenshot-dir", dir.path(), "--screenshot-every",
                        "0.2"});
  // Fitted: the 384×64 bars are 1280 wide, centred; each bar's centre on the middle line.
  const double scale = double(W) / (bar_width * bars.size());
  auto shown = [&](const media::Image& shot, std::size_t i) {
    const auto* p = shot.pixel(static_cast<int>((double(i) * bar_width + bar_width / 2.0) * scale), H / 2);
    return Rgb{p[0], p[1], p[2]};
  };
  std::optional<media::Image> shot;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20); std::chrono::steady_clock::now() < deadline;) {
    try {
      auto s = media::load_image(dir.path() + "/latest.png");
      if (shown(s, 1).r > 200 && shown(s, 0).r < 40) {  // the bars are up
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        shot = media::load_image(dir.path() + "/latest.png");
        break;
      }
    } catch (const media::MediaError&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(shot);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Rgb got = shown(*shot, i), want = bars[i];
    INFO("bar " << i << ": made as " << want.r << "," << want.g << "," << want.b << " shown as " << got.r << ","
                << got.g << "," << got.b);
    CHECK(std::abs(got.r - want.r) <= 6);
    CHECK(std::abs(got.g - want.g) <= 6);
    CHECK(std::abs(got.b - want.b) <= 6);
  }
}
