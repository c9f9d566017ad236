#include "media/picture_convert.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <tuple>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "media/image.hpp"

namespace tablo::media {
namespace {

std::atomic<int> still_max_side{3840};

bool is_one_of(int format, std::initializer_list<AVPixelFormat> formats) {
  return std::find(formats.begin(), formats.end(), static_cast<AVPixelFormat>(format)) != formats.end();
}
bool yuv_taken(int format) {
  return is_one_of(format, {AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_NV12, AV_PIX_FMT_NV21,
                            AV_PIX_FMT_YUYV422, AV_PIX_FMT_UYVY422});
}
bool rgb_taken(int format) {
  return is_one_of(format, {AV_PIX_FMT_RGBA, AV_PIX_FMT_BGRA, AV_PIX_FMT_RGB0, AV_PIX_FMT_BGR0, AV_PIX_FMT_RGB24,
                            AV_PIX_FMT_BGR24});
}

// The J formats are their plain twins at full range; swscale wants the twin and the range apart.
AVPixelFormat without_j(int format) {
  switch (format) {
    case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: return AV_PIX_FMT_YUV411P;
    default: return static_cast<AVPixelFormat>(format);
  }
}

bool is_yuv(const AVPixFmtDescriptor& d) {
  return !(d.flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_ALPHA)) && d.nb_components >= 3;
}

bool full_range(const AVFrame& f) {
  if (without_j(f.format) != f.format) return true;
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f.format));
  const bool grey = d && d->nb_components <= 2 && !(d->flags & AV_PIX_FMT_FLAG_PAL);
  if (grey) return f.color_range != AVCOL_RANGE_MPEG;  // a grey PNG's black is 0, unless said otherwise
  return f.color_range == AVCOL_RANGE_JPEG;
}

bool bt601_family(AVColorSpace c) {
  return c == AVCOL_SPC_BT470BG || c == AVCOL_SPC_SMPTE170M || c == AVCOL_SPC_FCC || c == AVCOL_SPC_UNSPECIFIED;
}

// SDL's YUV modes: BT.601 and BT.709 at limited range, BT.601 at full range (JPEG). An
// unspecified matrix is guessed as color_matrix_of does (by size, BT.601 at full range), so
// it always lands on one of them.
bool encoding_taken(const AVFrame& f) {
  if (f.colorspace == AVCOL_SPC_BT709) return !full_range(f);
  return bt601_family(f.colorspace);
}

int sws_matrix_of(AVColorSpace c) {
  switch (c) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return SWS_CS_ITU601;
  }
}

struct Target {
  AVPixelFormat format;
  bool full;
  AVColorSpace colorspace;
  int width, height;
};

// Colours the screen cannot show as meant are said once per file, not at every loop.
void warn_once(const std::filesystem::path& file, const std::string& what) {
  static std::mutex mutex;
  static std::set<std::filesystem::path> warned;
  {
    std::lock_guard lock(mutex);
    if (warned.size() > 10000) warned.clear();
    if (!warned.insert(file).second) return;
  }
  spdlog::warn("{}: {}", file.string(), what);
}

void say_what_is_lost(const AVFrame& f, const std::filesystem::path& file) {
  const bool hdr = f.color_trc == AVCOL_TRC_SMPTE2084 || f.color_trc == AVCOL_TRC_ARIB_STD_B67;
  if (f.colorspace == AVCOL_SPC_BT2020_NCL || f.colorspace == AVCOL_SPC_BT2020_CL) {
    warn_once(file, std::string("BT.2020 colours") + (hdr ? " with HDR brightness" : "") +
                        " are shown on this BT.709 screen without gamut" + (hdr ? " or tone" : "") +
                        " mapping: they look paler than meant; export the file in BT.709 for the hall");
  } else if (f.colorspace != AVCOL_SPC_SMPTE240M && f.colorspace != AVCOL_SPC_RGB) {
    const char* name = av_color_space_name(f.colorspace);
    warn_once(file, std::string("colour matrix ") + (name ? name : "?") +
                        " is not one the screen knows; shown as BT.601, colours may be off");
  }
}

// What a picture becomes: YUV stays YUV 4:2:0 in its own matrix (BT.709 at limited range, since
// SDL has no full-range BT.709); everything else becomes RGBA, so alpha survives.
Target target_of(const AVFrame& f, const std::filesystem::path& file, int width, int height) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f.format));
  if (!d || !is_yuv(*d)) return {AV_PIX_FMT_RGBA, true, AVCOL_SPC_RGB, width, height};
  if (f.colorspace == AVCOL_SPC_BT709) return {AV_PIX_FMT_YUV420P, false, AVCOL_SPC_BT709, width, height};
  if (bt601_family(f.colorspace)) {
    const bool full = full_range(f);
    // An unspecified matrix is named as guessed for the picture as decoded (BT.709 from 720
    // lines up at limited range, as color_matrix_of), so scaling a still down keeps the guess.
    if (f.colorspace == AVCOL_SPC_UNSPECIFIED && !full && f.height >= 720)
      return {AV_PIX_FMT_YUV420P, false, AVCOL_SPC_BT709, width, height};
    const AVColorSpace c = f.colorspace == AVCOL_SPC_UNSPECIFIED ? AVCOL_SPC_SMPTE170M : f.colorspace;
    return {AV_PIX_FMT_YUV420P, full, c, width, height};
  }
  say_what_is_lost(f, file);
  return {AV_PIX_FMT_RGBA, true, AVCOL_SPC_RGB, width, height};
}

struct PoolFree {
  void operator()(AVBufferPool* p) const { av_buffer_pool_uninit(&p); }
};

// One decoder thread's swscale context and output buffers, made again when what is converted
// changes. Buffers go back to the pool when the screen drops the picture, from any thread.
struct Converter {
  using Key = std::tuple<int, int, int, bool, int, int, int, int, bool, int>;
  Key key{};
  SwsPtr sws;
  std::unique_ptr<AVBufferPool, PoolFree> pool;
  int buffer_size = 0;

  void prepare(const AVFrame& f, const Target& t) {
    const bool src_full = full_range(f);
    const Key wanted{f.width, f.height, f.format, src_full, f.colorspace, t.width, t.height, t.format, t.full, t.colorspace};
    if (sws && wanted == key) return;
    sws.reset(sws_alloc_context());
    const AVPixelFormat src_format = without_j(f.format);
    // Scaling a huge still down: area averaging, as good as bicubic there and quicker (8.4 s
    // against 9.1 s for 12000² → 3840², most of it PNG decoding); at the same size only chroma
    // is resampled.
    const int flags = (t.width == f.width && t.height == f.height ? SWS_BILINEAR : SWS_AREA) | SWS_ACCURATE_RND |
                      SWS_FULL_CHR_H_INT;
    SwsContext* s = sws.get();
    const bool set = s && av_opt_set_int(s, "srcw", f.width, 0) >= 0 && av_opt_set_int(s, "srch", f.height, 0) >= 0 &&
                     av_opt_set_int(s, "src_format", src_format, 0) >= 0 &&
                     av_opt_set_int(s, "dstw", t.width, 0) >= 0 && av_opt_set_int(s, "dsth", t.height, 0) >= 0 &&
                     av_opt_set_int(s, "dst_format", t.format, 0) >= 0 &&
                     av_opt_set_int(s, "src_range", src_full, 0) >= 0 && av_opt_set_int(s, "dst_range", t.full, 0) >= 0 &&
                     av_opt_set_int(s, "sws_flags", flags, 0) >= 0 && sws_init_context(s, nullptr, nullptr) >= 0;
    if (!set) {
      sws.reset();
      const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(f.format));
      throw MediaError(std::string("cannot convert pictures of pixel format ") + (name ? name : "?") + " for the screen");
    }
    // The matrix, for YUV to RGB; a YUV picture keeps its own, so both sides get the same.
    const int* matrix = sws_getCoefficients(sws_matrix_of(f.colorspace));
    sws_setColorspaceDetails(s, matrix, src_full, matrix, t.full, 0, 1 << 16, 1 << 16);
    buffer_size = av_image_get_buffer_size(t.format, t.width, t.height, 64);
    pool.reset(av_buffer_pool_init(static_cast<std::size_t>(buffer_size), nullptr));
    if (buffer_size <= 0 || !pool) throw MediaError("out of memory converting a picture for the screen");
    key = wanted;
  }

  FramePtr convert(const AVFrame& f, const Target& t) {
    prepare(f, t);
    FramePtr out(av_frame_alloc());
    if (!out || av_frame_copy_props(out.get(), &f) < 0) throw MediaError("out of memory converting a picture");
    out->format = t.format;
    out->width = t.width;
    out->height = t.height;
    out->color_range = t.full ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    out->colorspace = t.colorspace;
    out->buf[0] = av_buffer_pool_get(pool.get());
    if (!out->buf[0]) throw MediaError("out of memory converting a picture for the screen");
    av_image_fill_arrays(out->data, out->linesize, out->buf[0]->data, t.format, t.width, t.height, 64);
    sws_scale(sws.get(), f.data, f.linesize, 0, f.height, out->data, out->linesize);
    return out;
  }
};

thread_local Converter converter;

}  // namespace

void set_still_max_side(int pixels) { still_max_side = std::max(16, pixels); }

std::int64_t still_most_pixels() {
  const std::int64_t side = still_max_side;
  return 9 * side * side;
}

bool screen_takes(const AVFrame& f) {
  if (rgb_taken(f.format)) return true;
  return yuv_taken(f.format) && encoding_taken(f);
}

FramePtr ready_for_screen(FramePtr picture, const std::filesystem::path& file, bool still) {
  const AVFrame& f = *picture;
  int width = f.width, height = f.height;
  const int longest = std::max(width, height);
  if (still && longest > still_max_side) {
    const double scale = static_cast<double>(still_max_side) / longest;
    width = std::max(2, static_cast<int>(std::lround(width * scale / 2)) * 2);
    height = std::max(2, static_cast<int>(std::lround(height * scale / 2)) * 2);
  }
  const bool resized = width != f.width || height != f.height;
  if (screen_takes(f) && !resized) return picture;
  Target t = target_of(f, file, width, height);
  if (screen_takes(f) && rgb_taken(f.format)) t.format = static_cast<AVPixelFormat>(f.format);  // only resized
  return converter.convert(f, t);
}

}  // namespace tablo::media
