#include "media/video_decoder.hpp"

#include <cmath>
#include <cstring>
#include <vector>

extern "C" {
#include <libavutil/display.h>
}

#include "media/picture_convert.hpp"
#include "media/stream_facts.hpp"

namespace tablo::media {
namespace {

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double seconds(AVRational r) { return r.num > 0 && r.den > 0 ? av_q2d(r) : 0.0; }

VideoInfo describe(const AVFormatContext& format, const AVStream& stream, const AVCodecContext& codec) {
  VideoInfo info;
  info.width = codec.width;
  info.height = codec.height;
  const AVRational sar = stream.sample_aspect_ratio.num ? stream.sample_aspect_ratio : codec.sample_aspect_ratio;
  info.sample_aspect = sar.num > 0 && sar.den > 0 ? av_q2d(sar) : 1.0;
  info.rotation = rotation_of(stream);
  info.codec = avcodec_get_name(codec.codec_id);
  if (stream.duration != AV_NOPTS_VALUE) info.duration = static_cast<double>(stream.duration) * seconds(stream.time_base);
  if (info.duration <= 0 && format.duration != AV_NOPTS_VALUE) info.duration = static_cast<double>(format.duration) / AV_TIME_BASE;
  const double fps = seconds(stream.avg_frame_rate) > 0 ? seconds(stream.avg_frame_rate) : seconds(stream.r_frame_rate);
  info.frame_interval = fps > 0 && fps < 1000 ? 1.0 / fps : 1.0 / 25;
  info.still = is_still_format(*format.iformat);
  for (unsigned i = 0; i < format.nb_streams; ++i)
    if (format.streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) info.has_audio = true;
  return info;
}

// A still of more than still_most_pixels() is refused before its picture's buffer is made; its
// size is kept (in `opaque`) for the skip line. Called on FFmpeg's threads.
int get_still_buffer(AVCodecContext* ctx, AVFrame* frame, int flags) {
  if (static_cast<std::int64_t>(frame->width) * frame->height > still_most_pixels()) {
    static_cast<std::atomic<std::uint64_t>*>(ctx->opaque)
        ->store(static_cast<std::uint64_t>(frame->width) << 32 | static_cast<std::uint32_t>(frame->height));
    return AVERROR(ERANGE);
  }
  return avcodec_default_get_buffer2(ctx, frame, flags);
}

std::string too_big(std::uint64_t size) {
  const auto side = std::lround(std::sqrt(static_cast<double>(still_most_pixels()) / 9));
  return "a still of " + std::to_string(size >> 32) + "×" + std::to_string(size & 0xFFFFFFFF) +
         " pixels is too big to decode (the most is " + std::to_string(3 * side) + "×" + std::to_string(3 * side) +
         ": three times display.media.still_max_side = " + std::to_string(side) +
         " each way); save it smaller, at most " + std::to_string(side) + " pixels on its longer side";
}

int interrupted(void* packets) { return static_cast<const PacketQueue*>(packets)->closed() ? 1 : 0; }

// Pictures this far behind the screen are skipped to the next keyframe, when one is queued
// before the screen's place (or not much after it) — rather than shown in slow motion.
constexpr double far_behind = 0.5;
// Pictures this many frame intervals behind: frames no other frame needs are not decoded.
constexpr double behind_frames = 2;

}  // namespace

ColorMatrix color_matrix_of(const AVFrame& f) {
  if (f.color_range == AVCOL_RANGE_JPEG || f.format == AV_PIX_FMT_YUVJ420P) return ColorMatrix::jpeg;
  switch (f.colorspace) {
    case AVCOL_SPC_BT709: return ColorMatrix::bt709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC: return ColorMatrix::bt601;
    default: return f.height >= 720 ? ColorMatrix::bt709 : ColorMatrix::bt601;
  }
}

VideoDecoder::VideoDecoder(std::filesystem::path path, DecoderOptions options)
    : path_(std::move(path)), options_(std::move(options)), frames_(options_.queue_frames), demux_([this] { run(); }) {}

VideoDecoder::~VideoDecoder() {
  stop();
  demux_.join();  // it started the other two, if it got so far
  if (pictures_.joinable()) pictures_.join();
  if (heard_.joinable()) heard_.join();
}

void VideoDecoder::stop() {
  frames_.close();
  packets_.close();
  if (auto sound = this->sound()) sound->close();
}

std::optional<VideoInfo> VideoDecoder::info() const {
  std::lock_guard lock(info_mutex_);
  return info_;
}

std::shared_ptr<VideoSound> VideoDecoder::sound() const {
  std::lock_guard lock(info_mutex_);
  return sound_;
}

// The demux thread: opens the file, starts the decoders, and reads ahead.
void VideoDecoder::run() {
  std::string error;
  try {
    FormatPtr format(avformat_alloc_context());
    format->interrupt_callback = AVIOInterruptCB{&interrupted, &packets_};
    AVFormatContext* raw = format.release();
    if (int err = avformat_open_input(&raw, path_.c_str(), nullptr, nullptr); err < 0)
      throw DecodeError("cannot open: " + av_error_text(err));  // avformat_open_input freed it
    format.reset(raw);
    // A still's size is learnt by decoding it: FFmpeg's look at the file decodes no still of
    // more than still_most_pixels() (the picture thread then refuses it, naming its size).
    std::vector<AVDictionary*> options(format->nb_streams, nullptr);
    if (is_still_format(*format->iformat))
      for (auto*& o : options) av_dict_set_int(&o, "max_pixels", still_most_pixels(), 0);
    const int err = avformat_find_stream_info(format.get(), options.data());
    for (auto*& o : options) av_dict_free(&o);
    if (err < 0) throw DecodeError("unreadable stream information: " + av_error_text(err));
    const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (stream < 0) throw DecodeError("contains no video or picture");
    read_ahead(*format, stream);
    return;  // the picture thread says how it ended
  } catch (const DecodeError& e) {
    error = e.what();
  } catch (const std::exception& e) {
    error = std::string("decoder failed: ") + e.what();
  }
  frames_.finish(std::move(error));
  if (options_.on_news) options_.on_news();
}

void VideoDecoder::read_ahead(AVFormatContext& format, int stream_index) {
  const AVStream& stream = *format.streams[stream_index];
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (!codec) throw DecodeError(std::string("no decoder for ") + avcodec_get_name(stream.codecpar->codec_id));
  auto ctx = std::make_shared<CodecPtr>(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(ctx->get(), stream.codecpar);
  (*ctx)->thread_count = options_.threads;
  (*ctx)->pkt_timebase = stream.time_base;
  if (is_still_format(*format.iformat)) {
    (*ctx)->opaque = &refused_size_;
    (*ctx)->get_buffer2 = get_still_buffer;
    (*ctx)->thread_type = FF_THREAD_SLICE;  // one picture: frame threads would not help it
  }
  if (int err = avcodec_open2(ctx->get(), codec, nullptr); err < 0)
    throw DecodeError(std::string("cannot decode ") + codec->name + ": " + av_error_text(err));
  for (unsigned i = 0; i < format.nb_streams; ++i)
    if (static_cast<int>(i) != stream_index) format.streams[i]->discard = AVDISCARD_ALL;

  const VideoInfo info = describe(format, stream, **ctx);
  std::shared_ptr<VideoSound> sound;
  if (options_.sound_rate > 0 && info.has_audio && !info.still) sound = VideoSound::open(format, stream_index, options_.sound_rate);
  {
    std::lock_guard lock(info_mutex_);
    info_ = info;
    sound_ = sound;
  }
  const double time_base = seconds(stream.time_base);
  packets_.use(Lane::pictures, time_base);
  pictures_ = std::thread([this, ctx, info, time_base] { decode_pictures(**ctx, info, time_base); });
  if (sound) {
    packets_.use(Lane::sound, seconds(format.streams[sound->stream()]->time_base));
    heard_ = std::thread([this, sound] { sound->decode_from(packets_); });
  }

  const int heard_stream = sound ? sound->stream() : -1;
  while (packets_.wait_for_room()) {
    PacketPtr packet(av_packet_alloc());
    const int read = av_read_frame(&format, packet.get());
    if (read == AVERROR(EAGAIN)) continue;
    if (read < 0) break;  // the end, or a file cut short: what was read plays
    if (packet->stream_index == stream_index) packets_.push(Lane::pictures, std::move(packet));
    else if (packet->stream_index == heard_stream) packets_.push(Lane::sound, std::move(packet));
  }
  packets_.finish();  // the file closes here; the decoders have their own contexts and packets
}

bool VideoDecoder::catch_up(AVCodecContext& ctx, const AVPacket& packet, const VideoInfo& info, double time_base,
                            std::int64_t first_ts) {
  const double playhead = playhead_;
  const std::int64_t ts = packet.pts != AV_NOPTS_VALUE ? packet.pts : packet.dts;
  if (playhead < 0 || first_ts == AV_NOPTS_VALUE || ts == AV_NOPTS_VALUE || time_base <= 0) return true;
  const double behind = playhead - static_cast<double>(ts - first_ts) * time_base;
  ctx.skip_frame = behind > behind_frames * info.frame_interval ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
  if (behind <= far_behind) return true;
  const auto until = first_ts + static_cast<std::int64_t>((playhead + far_behind) / time_base);
  const std::size_t skipped = packets_.skip_to_keyframe(Lane::pictures, until);
  if (skipped == 0) return true;
  avcodec_flush_buffers(&ctx);  // what it holds refers to frames that are gone
  not_decoded_ += skipped + 1;
  return false;
}

// The picture thread.
void VideoDecoder::decode_pictures(AVCodecContext& ctx, const VideoInfo& info, double time_base) {
  std::string error;
  // Each frame is held back until the next one arrives, so its duration is the real gap
  // between the two (variable frame rate), not a nominal one.
  std::optional<Frame> held;
  std::int64_t first_ts = AV_NOPTS_VALUE;
  double last_pts = -1;
  int frames_out = 0;
  // The one place a decoded picture goes to the screen.
  auto hand_over = [&](Frame f) {
    const auto pushed = frames_.push(std::move(f));
    if (pushed == FrameQueue::Pushed::closed) return false;
    ++frames_out;
    if (pushed == FrameQueue::Pushed::first && options_.on_news) options_.on_news();
    return true;
  };
  auto take = [&](FramePtr picture) {
    std::int64_t ts = picture->best_effort_timestamp;
    double pts;
    if (ts == AV_NOPTS_VALUE || time_base <= 0) {
      pts = last_pts < 0 ? 0 : last_pts + info.frame_interval;
    } else {
      if (first_ts == AV_NOPTS_VALUE) first_ts = ts;
      pts = static_cast<double>(ts - first_ts) * time_base;
    }
    if (pts <= last_pts) pts = last_pts + info.frame_interval / 2;  // broken timestamps: keep order
    last_pts = pts;
    bool more = true;
    if (held) {
      held->duration = pts - held->pts;
      more = hand_over(std::move(*held));
    }
    held = Frame{ready_for_screen(std::move(picture), path_, info.still), pts, info.frame_interval};
    return more && !info.still;  // a still needs its first picture only
  };
  // Returns false when no more frames are wanted.
  auto receive = [&] {
    for (;;) {
      FramePtr picture(av_frame_alloc());
      const int got = avcodec_receive_frame(&ctx, picture.get());
      if (got == AVERROR(EAGAIN)) return true;
      if (got < 0) return false;  // AVERROR_EOF after draining, or a decoder that gave up
      if (!take(std::move(picture))) return false;
    }
  };

  bool more = true;
  while (more) {
    auto packet = packets_.pop(Lane::pictures);
    if (!packet) {
      if (packets_.closed()) break;
      avcodec_send_packet(&ctx, nullptr);  // the end of the file: drain the decoder
      receive();
      break;
    }
    if (!catch_up(ctx, **packet, info, time_base, first_ts)) continue;
    // A damaged packet is dropped and decoding goes on: what can be shown, is.
    avcodec_send_packet(&ctx, packet->get());
    more = receive();
  }
  if (info.still) packets_.close();  // nothing more to read
  if (!frames_.closed()) {
    if (held) hand_over(std::move(*held));
    if (frames_out == 0)
      error = refused_size_ ? too_big(refused_size_) : "no picture could be decoded (truncated or corrupt?)";
    frames_.finish(std::move(error));
  }
  if (options_.on_news) options_.on_news();
}

}  // namespace tablo::media
