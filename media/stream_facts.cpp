#include "media/stream_facts.hpp"

#include <cmath>
#include <cstdint>
#include <string>

extern "C" {
#include <libavutil/display.h>
}

namespace tablo::media {

bool is_still_format(const AVInputFormat& format) {
  const std::string name = format.name;
  return name == "image2" || (name.size() > 5 && name.ends_with("_pipe"));
}

int rotation_of(const AVStream& stream) {
  const auto* matrix = reinterpret_cast<const int32_t*>(av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
  if (!matrix) return 0;
  // The matrix turns counter-clockwise; the picture is made upright by the opposite turn.
  const double ccw = av_display_rotation_get(matrix);
  if (std::isnan(ccw)) return 0;
  int cw = static_cast<int>(std::lround(-ccw / 90.0)) * 90 % 360;
  return cw < 0 ? cw + 360 : cw;
}

}  // namespace tablo::media
