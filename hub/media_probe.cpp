#include "hub/media_probe.hpp"

#include <algorithm>

#include "media/ffmpeg_handles.hpp"
#include "media/stream_facts.hpp"

namespace tablo::hub {
namespace {

using media::av_error_text;
using media::CodecPtr;
using media::FormatPtr;
using media::FramePtr;
using media::PacketPtr;

CodecPtr open_decoder(const AVStream& stream, const char* what) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (!codec) throw Unplayable(std::string("no decoder for its ") + what + " (" + avcodec_get_name(stream.codecpar->codec_id) + ")");
  CodecPtr context(avcodec_alloc_context3(codec));
  if (!context || avcodec_parameters_to_context(context.get(), stream.codecpar) < 0)
    throw Unplayable(std::string("cannot set up the decoder of its ") + what);
  context->thread_count = 1;  // one picture: threads would only cost start-up time
  if (int err = avcodec_open2(context.get(), codec, nullptr); err < 0)
    throw Unplayable(std::string("cannot open the decoder of its ") + what + ": " + av_error_text(err));
  return context;
}

// Decodes `stream` until `enough` says so; false when the file ends (or breaks) first.
template <class Enough>
bool decodes(AVFormatContext& format, int stream_index, AVCodecContext& decoder, Enough enough) {
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  // A corrupt file may hold megabytes of undecodable packets: a bounded look.
  for (int packets = 0; packets < 2000;) {
    const int read = av_read_frame(&format, packet.get());
    if (read >= 0 && packet->stream_index != stream_index) {
      av_packet_unref(packet.get());
      continue;
    }
    ++packets;
    avcodec_send_packet(&decoder, read >= 0 ? packet.get() : nullptr);  // nullptr at the end: drain
    av_packet_unref(packet.get());
    while (avcodec_receive_frame(&decoder, frame.get()) >= 0) {
      if (enough(*frame)) return true;
    }
    if (read < 0) return false;
  }
  return false;
}

}  // namespace

protocol::MediaItem probe_media(const std::filesystem::path& path) {
  AVFormatContext* raw = nullptr;
  if (int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); err < 0)
    throw Unplayable("FFmpeg does not recognise it as a video, picture or sound file (" + av_error_text(err) + ")");
  FormatPtr format(raw);
  if (int err = avformat_find_stream_info(format.get(), nullptr); err < 0)
    throw Unplayable("FFmpeg cannot read its streams (" + av_error_text(err) + ")");
  protocol::MediaItem item;
  item.container = format->iformat->name;
  const int video = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  const int audio = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (video < 0 && audio < 0) throw Unplayable("it holds neither a picture nor sound");
  if (audio >= 0) item.audio = avcodec_get_name(format->streams[audio]->codecpar->codec_id);
  if (format->duration > 0 && !media::is_still_format(*format->iformat))
    item.duration_s = static_cast<double>(format->duration) / AV_TIME_BASE;
  if (video >= 0) {
    const AVStream& stream = *format->streams[video];
    item.video = avcodec_get_name(stream.codecpar->codec_id);
    item.width = stream.codecpar->width;
    item.height = stream.codecpar->height;
    item.rotation = media::rotation_of(stream);
    auto decoder = open_decoder(stream, "picture");
    if (!decodes(*format, video, *decoder, [](const AVFrame&) { return true; }))
      throw Unplayable("FFmpeg cannot decode its first picture (" + item.video + "): the file is damaged or cut short");
    item.width = decoder->width;
    item.height = decoder->height;
    return item;
  }
  const AVStream& stream = *format->streams[audio];
  auto decoder = open_decoder(stream, "sound");
  const int rate = std::max(1, stream.codecpar->sample_rate);
  std::int64_t samples = 0;
  const double duration = item.duration_s;
  // A second of sound, or all of it when it is shorter.
  const bool heard = decodes(*format, audio, *decoder, [&](const AVFrame& f) {
    samples += f.nb_samples;
    return samples >= rate;
  });
  if (!heard && (samples == 0 || static_cast<double>(samples) / rate + 0.1 < std::min(1.0, duration)))
    throw Unplayable("FFmpeg cannot decode its first second of sound (" + item.audio + "): the file is damaged or cut short");
  return item;
}

}  // namespace tablo::hub
