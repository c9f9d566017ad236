#include "sound/time_stretch.hpp"

#include <rubberband/rubberband-c.h>

#include <memory>

namespace tablo::sound {
namespace {

struct StretcherFree {
  void operator()(RubberBandState s) const { rubberband_delete(s); }
};

}  // namespace

Pcm stretched(const Pcm& pcm, double seconds) {
  const std::size_t frames = pcm.frames();
  if (frames == 0 || pcm.seconds() >= seconds) return pcm;
  const auto ch = static_cast<std::size_t>(pcm.format.channels);
  // Offline, with the R3 ("finer") engine: the whole fragment is known in advance, and R3
  // keeps a voice's formants clean where the faster engine smears them.
  std::unique_ptr<RubberBandState_, StretcherFree> stretcher(
      rubberband_new(static_cast<unsigned>(pcm.format.rate), static_cast<unsigned>(ch),
                     RubberBandOptionProcessOffline | RubberBandOptionEngineFiner, seconds / pcm.seconds(), 1.0));
  if (!stretcher) throw SoundError("Rubber Band could not start to slow a fragment down (out of memory?)");

  std::vector<std::vector<float>> in(ch, std::vector<float>(frames));
  for (std::size_t f = 0; f < frames; ++f)
    for (std::size_t c = 0; c < ch; ++c) in[c][f] = pcm.samples[f * ch + c];
  std::vector<const float*> in_ptrs;
  for (const auto& channel : in) in_ptrs.push_back(channel.data());

  const auto n = static_cast<unsigned>(frames);
  rubberband_set_expected_input_duration(stretcher.get(), n);
  rubberband_set_max_process_size(stretcher.get(), n);
  rubberband_study(stretcher.get(), in_ptrs.data(), n, 1);
  rubberband_process(stretcher.get(), in_ptrs.data(), n, 1);

  Pcm out{pcm.format, {}};
  std::vector<std::vector<float>> chunk(ch);
  std::vector<float*> chunk_ptrs(ch);
  for (int available; (available = rubberband_available(stretcher.get())) > 0;) {
    for (std::size_t c = 0; c < ch; ++c) {
      chunk[c].resize(static_cast<std::size_t>(available));
      chunk_ptrs[c] = chunk[c].data();
    }
    const unsigned got = rubberband_retrieve(stretcher.get(), chunk_ptrs.data(), static_cast<unsigned>(available));
    for (unsigned f = 0; f < got; ++f)
      for (std::size_t c = 0; c < ch; ++c) out.samples.push_back(chunk[c][f]);
  }
  return out;
}

}  // namespace tablo::sound
