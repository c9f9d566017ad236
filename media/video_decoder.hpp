#pragma once
// One media file (video or still picture), read and decoded on threads of its own: a demux
// thread opens the file and reads its packets ahead into a PacketQueue (a few seconds per
// stream), a picture thread decodes them into a FrameQueue, and a sound thread, when the
// sound is asked for, into a VideoSound. Creating a decoder never makes the screen wait.
// When the screen is far behind (slow decoding), pictures are dropped before they are
// decoded: up to the next keyframe, and frames no other frame needs.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "media/frame_queue.hpp"
#include "media/packet_queue.hpp"
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
  ~VideoDecoder();  // stops and joins the threads
  VideoDecoder(const VideoDecoder&) = delete;
  VideoDecoder& operator=(const VideoDecoder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  FrameQueue& frames() { return frames_; }
  const FrameQueue& frames() const { return frames_; }
  // Known once the file is open: before its first frame reaches the queue.
  std::optional<VideoInfo> info() const;
  // The file's sound, known with info() when it was asked for and the file has one.
  std::shared_ptr<VideoSound> sound() const;
  // Where the screen is on this item's timeline, in seconds (the screen's thread, at every
  // frame): pictures far behind it are dropped before they are decoded.
  void set_playhead(double seconds) { playhead_ = seconds; }
  // Pictures left out undecoded so far because the screen was far ahead of them.
  std::uint64_t frames_not_decoded() const { return not_decoded_; }
  // Wakes and stops every thread without waiting for them (the destructor then joins).
  void stop();

 private:
  void run();
  void read_ahead(AVFormatContext& format, int stream);
  void decode_pictures(AVCodecContext& codec, const VideoInfo& info, double time_base);
  bool catch_up(AVCodecContext& codec, const AVPacket& packet, const VideoInfo& info, double time_base,
                std::int64_t first_ts);

  std::filesystem::path path_;
  DecoderOptions options_;
  FrameQueue frames_;
  PacketQueue packets_;
  mutable std::mutex info_mutex_;
  std::optional<VideoInfo> info_;
  std::shared_ptr<VideoSound> sound_;  // set with info_, when asked for and the file has sound
  std::atomic<double> playhead_{-1};   // < 0: not on screen yet
  std::atomic<std::uint64_t> not_decoded_{0};
  std::atomic<std::uint64_t> refused_size_{0};  // width << 32 | height of a still too big to decode
  std::thread pictures_, heard_;  // started by the demux thread once the file is open
  std::thread demux_;             // last: starts after everything above exists
};

// The colour matrix a decoded picture asks for; unspecified means by size, as players do
// (BT.709 from 720 lines up).
ColorMatrix color_matrix_of(const AVFrame& picture);

}  // namespace tablo::media
