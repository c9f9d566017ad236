#include "media/image.hpp"

#include <cstdio>
#include <fstream>

#include "media/ffmpeg_handles.hpp"

namespace tablo::media {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw MediaError("image " + path.string() + ": " + what);
}

CodecPtr open_decoder(const AVStream& stream, const std::filesystem::path& path) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (!codec) fail(path, "no decoder for its format");
  CodecPtr ctx(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(ctx.get(), stream.codecpar);
  if (int err = avcodec_open2(ctx.get(), codec, nullptr); err < 0) fail(path, av_error_text(err));
  return ctx;
}

FramePtr decode_first_frame(AVFormatContext& format, AVCodecContext& codec, int stream,
                            const std::filesystem::path& path) {
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  while (av_read_frame(&format, packet.get()) >= 0) {
    bool ours = packet->stream_index == stream;
    if (ours) avcodec_send_packet(&codec, packet.get());
    av_packet_unref(packet.get());
    if (ours && avcodec_receive_frame(&codec, frame.get()) == 0) return frame;
  }
  avcodec_send_packet(&codec, nullptr);  // drain decoders that hold the frame back
  if (avcodec_receive_frame(&codec, frame.get()) == 0) return frame;
  fail(path, "no picture could be decoded (truncated or corrupt?)");
}

}  // namespace

Image load_image(const std::filesystem::path& path) {
  AVFormatContext* raw = nullptr;
  if (int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); err < 0) fail(path, av_error_text(err));
  FormatPtr format(raw);
  if (avformat_find_stream_info(format.get(), nullptr) < 0) fail(path, "unreadable stream information");
  int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream < 0) fail(path, "contains no picture");
  CodecPtr codec = open_decoder(*format->streams[stream], path);
  FramePtr frame = decode_first_frame(*format, *codec, stream, path);

  Image image{frame->width, frame->height, {}};
  image.rgba.resize(static_cast<std::size_t>(image.width) * image.height * 4);
  SwsPtr sws(sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), image.width,
                            image.height, AV_PIX_FMT_RGBA, SWS_BILINEAR, nullptr, nullptr, nullptr));
  if (!sws) fail(path, "cannot convert its pixel format");
  uint8_t* dst[4] = {image.rgba.data(), nullptr, nullptr, nullptr};
  int dst_stride[4] = {image.width * 4, 0, 0, 0};
  sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
  return image;
}

std::string encode_png(const Image& image, const std::filesystem::path& path) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (!codec) fail(path, "this FFmpeg has no PNG encoder");
  CodecPtr ctx(avcodec_alloc_context3(codec));
  ctx->width = image.width;
  ctx->height = image.height;
  ctx->pix_fmt = AV_PIX_FMT_RGBA;
  ctx->time_base = AVRational{1, 1};
  // Fast deflate: a screenshot every few seconds must stay cheap.
  ctx->compression_level = 1;
  if (int err = avcodec_open2(ctx.get(), codec, nullptr); err < 0) fail(path, av_error_text(err));

  FramePtr frame(av_frame_alloc());
  frame->width = image.width;
  frame->height = image.height;
  frame->format = AV_PIX_FMT_RGBA;
  frame->data[0] = const_cast<uint8_t*>(image.rgba.data());
  frame->linesize[0] = image.width * 4;

  PacketPtr packet(av_packet_alloc());
  if (avcodec_send_frame(ctx.get(), frame.get()) < 0 || avcodec_receive_packet(ctx.get(), packet.get()) < 0) {
    fail(path, "PNG encoding failed");
  }
  return std::string(reinterpret_cast<const char*>(packet->data), static_cast<std::size_t>(packet->size));
}

void save_png(const Image& image, const std::filesystem::path& path) {
  const std::string png = encode_png(image, path);
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(png.data(), static_cast<std::streamsize>(png.size()));
    if (!out) fail(path, "cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) fail(path, "cannot rename " + tmp.string() + ": " + ec.message());
}

}  // namespace tablo::media
