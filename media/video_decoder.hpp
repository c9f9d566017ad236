#pragma once
// One media file (video or still picture) decoded on its own thread into a FrameQueue.
// The file is opened on that thread too, so creating a decoder never makes the screen wait.
#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "media/frame_queue.hpp"
#include "media/video_sound.hpp"

namespace tablo::media {

// How the YUV numbers of a picture become colours.
enum class ColorMatrix { bt601, bt709, jpeg /* BT.601, full range: JPEG stills, some phones */ };

struct VideoInfo {
  int width = 0, height = 0;   // as decoded, before turning
  double sample_aspect = 1.0;  // width of one pixel over its height
  int rotation = 0;            // clockwise degrees that turn the picture upright: 0, 90, 180, 270
  std::string codec;           // "h264", "png"…
  double duration = 0;         // seconds, as the container says; 0 when it does not know
  double frame_interval = 0;   // seconds, nominal (for the last frame, and for the log)
  bool still = false;          // a single picture: PNG, JPEG, WebP…
  bool has_audio = false;
};

struct DecoderOptions {
  std::size_t queue_frames = 3;  // as ffplay: enough to ride out a slow frame
  int threads = 0;               // decoder threads, 0: as many as FFmpeg likes
  // Called on the decoder thread whenever the queue gains a frame or finishes, so a
  // sleeping screen can wake up. Must be cheap and thread-safe.
  std::function<void()> on_news;
  // Also decode the file's sound, as stereo float at this rate (0: pictures only).
  int sound_rate = 0;
};

class VideoDecoder {
 public:
  VideoDecoder(std::filesystem::path path, DecoderOptions options);
  ~VideoDecoder();  // stops and joins the thread
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  FrameQueue& frames() { return frames_; }
  const FrameQueue& frames() const { return frames_; }
  // Known once the file is open: before its first frame reaches the queue.
  std::optional<VideoInfo> info() const;
  // The sound up to `until` seconds on the pictures' timeline, appended to `out` (see
  // VideoSound::take); 0 frames while it is not decoded yet, or when there is none.
  std::size_t take_sound(double until, std::vector<float>& out);

 private:
  void run();
  void decode(struct AVFormatContext& format, int stream);

  std::filesystem::path path_;
  DecoderOptions options_;
  FrameQueue frames_;
  mutable std::mutex info_mutex_;
  std::optional<VideoInfo> info_;
  std::unique_ptr<VideoSound> sound_;  // set with info_, when asked for and the file has sound
  std::thread thread_;  // last: starts after everything above exists
};

// The colour matrix a decoded picture asks for; unspecified means by size, as players do
// (BT.709 from 720 lines up).
ColorMatrix color_matrix_of(const AVFrame& picture);

}  // namespace tablo::media
