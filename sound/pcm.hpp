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
  // Cuts leading and trailing near-silence (40 dB under the fragment's peak, so a quiet
  // recording keeps its quiet sounds), keeping `margin` seconds, then fades the ends in and
  // out over `fade` seconds: words recorded or synthesised one by one join without long
  // holes and without a click where a file was cut in the middle of a sound.
  void trim_silence(double margin = 0.02, double fade = 0.005);
  // Raised-cosine fades over the first and last `seconds`: both ends at zero, no click.
  void fade_ends(double seconds = 0.005);
  // What sounds: from its first to its last sample above near-silence (as trimmed), and how long.
  Pcm sounding() const;
  double sounding_seconds() const;
};

// Any audio file FFmpeg reads, converted to `format`. Throws SoundError naming the file.
Pcm load_audio(const std::filesystem::path& path, PcmFormat format);

// Mono 16-bit samples at `rate` (what espeak-ng makes) converted to `format`.
Pcm convert_s16_mono(const short* samples, std::size_t count, int rate, PcmFormat format);

// A 16-bit PCM WAV file of `pcm`, for --audio-out and for people to listen to.
void save_wav(const Pcm& pcm, const std::filesystem::path& path);

}  // namespace tablo::sound
