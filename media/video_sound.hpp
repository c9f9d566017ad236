#pragma once
// The sound of a video: decoded on a thread of its own from the file's sound packets, and
// pulled by the mixer on the audio thread as the device plays it — interleaved stereo float
// at the mixer's rate, lined up with the pictures (sample 0 is heard with the first picture).
// What the device has pulled is the clock the pictures follow.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "media/ffmpeg_handles.hpp"
#include "media/packet_queue.hpp"

extern "C" {
#include <libswresample/swresample.h>
}

namespace tablo::media {

class VideoSound {
 public:
  // The best sound stream of `format` for the video stream `video`, converted to `rate`;
  // nullptr when the file has none that can be decoded (the pictures play on, silent).
  static std::unique_ptr<VideoSound> open(AVFormatContext& format, int video, int rate);
  ~VideoSound();

  int stream() const { return stream_; }
  // The sound's decoder thread: decodes the lane's packets until the end or close(), never
  // more than a couple of seconds ahead of what has been pulled. A damaged packet is dropped.
  void decode_from(PacketQueue& packets);
  // Audio thread; never waits: copies up to `frames` frames (one sample per channel) of
  // what is decoded into `out`, and returns how many.
  std::size_t pull(float* out, std::size_t frames);
  void close();  // wakes and ends decode_from

  static constexpr int channels = 2;

 private:
  VideoSound(CodecPtr codec, SwrContext* swr, int stream, int rate, double zero, double time_base);
  void append(const AVFrame& frame);

  CodecPtr codec_;
  SwrContext* swr_;
  const int stream_, rate_;
  const double zero_, time_base_;  // the video's start, and the sound stream's time unit, in seconds
  std::vector<float> converted_;   // decoder thread's scratch

  std::mutex mutex_;
  std::condition_variable pulled_;
  std::deque<float> samples_;
  bool started_ = false;   // the first sound has been lined up with the pictures
  std::size_t skip_ = 0;   // frames still to leave out: sound from before the first picture
  bool closed_ = false;
};

}  // namespace tablo::media
