#include "sound/pcm.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include "media/ffmpeg_handles.hpp"

namespace tablo::sound {
namespace {

using media::av_error_text;
using media::CodecPtr;
using media::FormatPtr;
using media::FramePtr;
using media::PacketPtr;

struct SwrFree {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
using SwrPtr = std::unique_ptr<SwrContext, SwrFree>;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw SoundError("audio " + path.string() + ": " + what);
}

SwrPtr resampler(AVChannelLayout in_layout, AVSampleFormat in_format, int in_rate, PcmFormat out) {
  AVChannelLayout out_layout;
  av_channel_layout_default(&out_layout, out.channels);
  SwrContext* raw = nullptr;
  if (swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, out.rate, &in_layout, in_format, in_rate, 0,
                          nullptr) < 0 ||
      swr_init(raw) < 0) {
    swr_free(&raw);
    return nullptr;
  }
  return SwrPtr(raw);
}

// Converts `count` input frames and appends them to `pcm`; a null input drains the resampler.
void convert(SwrContext* swr, const uint8_t** in, int count, Pcm& pcm) {
  const int room = swr_get_out_samples(swr, count);
  if (room <= 0) return;
  const std::size_t at = pcm.samples.size();
  pcm.samples.resize(at + static_cast<std::size_t>(room) * pcm.format.channels);
  uint8_t* out = reinterpret_cast<uint8_t*>(pcm.samples.data() + at);
  const int made = swr_convert(swr, &out, room, in, count);
  pcm.samples.resize(at + static_cast<std::size_t>(std::max(made, 0)) * pcm.format.channels);
}

// Near-silence: 40 dB under the loudest sample.
std::pair<std::size_t, std::size_t> sounding_frames(const Pcm& pcm) {
  const std::size_t ch = static_cast<std::size_t>(pcm.format.channels);
  float peak = 0;
  for (float s : pcm.samples) peak = std::max(peak, std::abs(s));
  const float quiet = peak * 0.01f;
  auto loud = [&](std::size_t f) {
    for (std::size_t c = 0; c < ch; ++c)
      if (std::abs(pcm.samples[f * ch + c]) > quiet) return true;
    return false;
  };
  const std::size_t n = pcm.frames();
  std::size_t first = 0, last = n;
  while (first < n && !loud(first)) ++first;
  while (last > first && !loud(last - 1)) --last;
  return {first, last};
}

}  // namespace

void Pcm::append_silence(double seconds) {
  samples.resize(samples.size() + static_cast<std::size_t>(seconds * format.rate) * format.channels, 0.0f);
}

void Pcm::trim_silence(double margin, double fade) {
  const std::size_t ch = static_cast<std::size_t>(format.channels);
  auto [first, last] = sounding_frames(*this);
  const auto keep = static_cast<std::size_t>(margin * format.rate);
  first = first > keep ? first - keep : 0;
  last = std::min(frames(), last + keep);
  samples = std::vector<float>(samples.begin() + static_cast<long>(first * ch),
                               samples.begin() + static_cast<long>(last * ch));
  fade_ends(fade);
}

void Pcm::fade_ends(double seconds) {
  const std::size_t ch = static_cast<std::size_t>(format.channels);
  const std::size_t n = frames();
  const std::size_t ramp = std::min(n / 2, static_cast<std::size_t>(seconds * format.rate));
  for (std::size_t i = 0; i < ramp; ++i) {
    const double x = static_cast<double>(i) / static_cast<double>(ramp);
    const auto g = static_cast<float>(0.5 - 0.5 * std::cos(std::numbers::pi * x));
    for (std::size_t c = 0; c < ch; ++c) {
      samples[i * ch + c] *= g;
      samples[(n - 1 - i) * ch + c] *= g;
    }
  }
}

Pcm Pcm::sounding() const {
  const auto [first, last] = sounding_frames(*this);
  const auto ch = static_cast<long>(format.channels);
  return Pcm{format,
             {samples.begin() + static_cast<long>(first) * ch, samples.begin() + static_cast<long>(last) * ch}};
}

double Pcm::sounding_seconds() const {
  const auto [first, last] = sounding_frames(*this);
  return static_cast<double>(last - first) / format.rate;
}

Pcm load_audio(const std::filesystem::path& path, PcmFormat format) {
  AVFormatContext* raw = nullptr;
  if (int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); err < 0) fail(path, av_error_text(err));
  FormatPtr container(raw);
  if (avformat_find_stream_info(container.get(), nullptr) < 0) fail(path, "unreadable stream information");
  const int stream = av_find_best_stream(container.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (stream < 0) fail(path, "contains no sound");
  const AVCodecParameters* par = container->streams[stream]->codecpar;
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (!codec) fail(path, "no decoder for its format");
  CodecPtr decoder(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(decoder.get(), par);
  if (int err = avcodec_open2(decoder.get(), codec, nullptr); err < 0) fail(path, av_error_text(err));

  Pcm pcm{format, {}};
  SwrPtr swr;
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  auto drain_frames = [&] {
    while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
      if (!swr) {
        swr = resampler(frame->ch_layout, static_cast<AVSampleFormat>(frame->format), frame->sample_rate, format);
        if (!swr) fail(path, "cannot convert its sample format");
      }
      convert(swr.get(), const_cast<const uint8_t**>(frame->extended_data), frame->nb_samples, pcm);
    }
  };
  while (av_read_frame(container.get(), packet.get()) >= 0) {
    if (packet->stream_index == stream) avcodec_send_packet(decoder.get(), packet.get());
    av_packet_unref(packet.get());
    drain_frames();
  }
  avcodec_send_packet(decoder.get(), nullptr);
  drain_frames();
  if (swr) convert(swr.get(), nullptr, 0, pcm);
  if (pcm.samples.empty()) fail(path, "no sound could be decoded (truncated or corrupt?)");
  return pcm;
}

Pcm convert_s16_mono(const short* samples, std::size_t count, int rate, PcmFormat format) {
  Pcm pcm{format, {}};
  AVChannelLayout mono;
  av_channel_layout_default(&mono, 1);
  SwrPtr swr = resampler(mono, AV_SAMPLE_FMT_S16, rate, format);
  if (!swr) throw SoundError("cannot convert synthesised speech to the mixer's format");
  const uint8_t* in[1] = {reinterpret_cast<const uint8_t*>(samples)};
  convert(swr.get(), in, static_cast<int>(count), pcm);
  convert(swr.get(), nullptr, 0, pcm);
  return pcm;
}

void save_wav(const Pcm& pcm, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw SoundError("cannot write " + path.string());
  auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  const auto channels = static_cast<std::uint16_t>(pcm.format.channels);
  const auto rate = static_cast<std::uint32_t>(pcm.format.rate);
  const auto bytes = static_cast<std::uint32_t>(pcm.samples.size() * 2);
  out.write("RIFF", 4);
  u32(36 + bytes);
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(1);
  u16(channels);
  u32(rate);
  u32(rate * channels * 2);
  u16(static_cast<std::uint16_t>(channels * 2));
  u16(16);
  out.write("data", 4);
  u32(bytes);
  for (float s : pcm.samples) {
    const auto v = static_cast<std::int16_t>(std::lround(std::clamp(s, -1.0f, 1.0f) * 32767.0f));
    out.write(reinterpret_cast<const char*>(&v), 2);
  }
}

}  // namespace tablo::sound
