#pragma once
// Sound as the mixer takes it: interleaved float samples at one rate and channel count.
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace tablo::sound {

// A recording, a voice pack or speech that cannot be used; the message names the file.
struct SoundError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PcmFormat {
  int rate = 48000;
  int channels = 2;
  bool operator==(const PcmFormat&) const = default;
};

struct Pcm {
  PcmFormat format;
  std::vector<float> samples;  // frames × channels, interleaved

  std::size_t frames() const { return samples.size() / static_cast<std::size_t>(format.channels); }
  double seconds() const { return static_cast<double>(frames()) / format.rate; }
  void append(const Pcm& other) { samples.insert(samples.end(), other.samples.begin(), other.samples.end()); }
  void append_silence(double seconds);
  // Cuts leading and trailing near-silence, keeping `margin` seconds, so that words
  // recorded or synthesised one by one join without long holes.
  void trim_silence(double margin = 0.02);
};

// Any audio file FFmpeg reads, converted to `format`. Throws SoundError naming the file.
Pcm load_audio(const std::filesystem::path& path, PcmFormat format);

// Mono 16-bit samples at `rate` (what espeak-ng makes) converted to `format`.
Pcm convert_s16_mono(const short* samples, std::size_t count, int rate, PcmFormat format);

// A 16-bit PCM WAV file of `pcm`, for --audio-out and for people to listen to.
void save_wav(const Pcm& pcm, const std::filesystem::path& path);

}  // namespace tablo::sound
