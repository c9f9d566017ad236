#pragma once
// The sound of a video, decoded on the video's decoder thread beside its pictures and taken
// by the screen at the pace of the pictures: interleaved stereo float at the mixer's rate,
// on the same timeline as the frames (seconds from the video's start).
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "media/ffmpeg_handles.hpp"

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
  // A packet of the sound stream (decoder thread). A damaged one is dropped.
  void decode(const AVPacket& packet);
  // The samples before `until` seconds on the video's timeline, appended to `out`; returns
  // how many frames (one sample per channel) it appended.
  std::size_t take(double until, std::vector<float>& out);

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
  std::deque<float> samples_;
  std::size_t front_ = 0;  // frame number of samples_.front() on the video's timeline (whole frames: no drift)
  bool started_ = false;   // the first sound has been lined up with the pictures
  std::size_t skip_ = 0;   // frames still to leave out: sound from before the first picture
};

}  // namespace tablo::media
