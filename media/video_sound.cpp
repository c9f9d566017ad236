#include "media/video_sound.hpp"

#include <algorithm>

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace tablo::media {
namespace {

// The decoder stops this far ahead of what the device has pulled, until it pulls more.
constexpr double ahead_seconds = 2.0;
// A sound that starts this late after the pictures starts with this much silence at most.
constexpr double most_late_seconds = 10;

}  // namespace

std::unique_ptr<VideoSound> VideoSound::open(AVFormatContext& format, int video, int rate) {
  const AVCodec* codec = nullptr;
  const int stream = av_find_best_stream(&format, AVMEDIA_TYPE_AUDIO, -1, video, &codec, 0);
  if (stream < 0 || !codec) return nullptr;
  const AVStream& s = *format.streams[stream];
  CodecPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx || avcodec_parameters_to_context(ctx.get(), s.codecpar) < 0) return nullptr;
  ctx->pkt_timebase = s.time_base;
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0) return nullptr;

  AVChannelLayout out_layout;
  av_channel_layout_default(&out_layout, channels);
  SwrContext* swr = nullptr;
  if (swr_alloc_set_opts2(&swr, &out_layout, AV_SAMPLE_FMT_FLT, rate, &ctx->ch_layout, ctx->sample_fmt,
                          ctx->sample_rate, 0, nullptr) < 0 ||
      swr_init(swr) < 0) {
    swr_free(&swr);
    return nullptr;
  }
  const AVStream& v = *format.streams[video];
  const double zero = v.start_time != AV_NOPTS_VALUE ? static_cast<double>(v.start_time) * av_q2d(v.time_base) : 0.0;
  format.streams[stream]->discard = AVDISCARD_DEFAULT;
  return std::unique_ptr<VideoSound>(new VideoSound(std::move(ctx), swr, stream, rate, zero, av_q2d(s.time_base)));
}

VideoSound::VideoSound(CodecPtr codec, SwrContext* swr, int stream, int rate, double zero, double time_base)
    : codec_(std::move(codec)), swr_(swr), stream_(stream), rate_(rate), zero_(zero), time_base_(time_base) {}

VideoSound::~VideoSound() { swr_free(&swr_); }

void VideoSound::decode_from(PacketQueue& packets) {
  FramePtr frame(av_frame_alloc());
  const auto most = static_cast<std::size_t>(ahead_seconds * rate_) * channels;
  while (auto packet = packets.pop(Lane::sound)) {
    {
      std::unique_lock lock(mutex_);
      pulled_.wait(lock, [&] { return closed_ || samples_.size() < most; });
      if (closed_) return;
    }
    if (avcodec_send_packet(codec_.get(), packet->get()) < 0) continue;
    while (avcodec_receive_frame(codec_.get(), frame.get()) == 0) {
      append(*frame);
      av_frame_unref(frame.get());
    }
  }
  if (packets.closed()) return;
  avcodec_send_packet(codec_.get(), nullptr);  // the end of the file: what the decoder still holds
  while (avcodec_receive_frame(codec_.get(), frame.get()) == 0) {
    append(*frame);
    av_frame_unref(frame.get());
  }
}

void VideoSound::append(const AVFrame& frame) {
  const int room = swr_get_out_samples(swr_, frame.nb_samples);
  if (room <= 0) return;
  converted_.resize(static_cast<std::size_t>(room) * channels);
  auto* out = reinterpret_cast<uint8_t*>(converted_.data());
  const int made = swr_convert(swr_, &out, room, const_cast<const uint8_t**>(frame.extended_data), frame.nb_samples);
  if (made <= 0) return;

  std::lock_guard lock(mutex_);
  if (!started_) {
    // Line the sound up with the pictures: silence before a sound that starts late, and what
    // comes before the first picture left out.
    const auto ts = frame.best_effort_timestamp;
    const double at = ts != AV_NOPTS_VALUE ? static_cast<double>(ts) * time_base_ - zero_ : 0.0;
    if (at > 0) samples_.resize(static_cast<std::size_t>(std::min(at, most_late_seconds) * rate_) * channels, 0.0f);
    else skip_ = static_cast<std::size_t>(-at * rate_);
    started_ = true;
  }
  const std::size_t skipped = std::min<std::size_t>(skip_, static_cast<std::size_t>(made));
  skip_ -= skipped;
  samples_.insert(samples_.end(), converted_.begin() + static_cast<std::ptrdiff_t>(skipped * channels),
                  converted_.begin() + made * channels);
}

std::size_t VideoSound::pull(float* out, std::size_t frames) {
  std::size_t got = 0;
  {
    std::lock_guard lock(mutex_);
    got = std::min(frames, samples_.size() / channels);
    const auto end = samples_.begin() + static_cast<std::ptrdiff_t>(got * channels);
    std::copy(samples_.begin(), end, out);
    samples_.erase(samples_.begin(), end);
  }
  pulled_.notify_one();
  return got;
}

void VideoSound::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  pulled_.notify_all();
}

}  // namespace tablo::media
