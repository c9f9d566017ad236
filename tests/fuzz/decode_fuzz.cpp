// libFuzzer target: every input goes to each decoder. Decoding must never crash or throw,
// and whatever a decoder accepts must survive encode → decode unchanged.
// Build: cmake -DTABLO_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 …; run: decode_fuzz tests/fuzz/corpus
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/codec.hpp"

using namespace tablo::protocol;

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

template <class T, class Decode>
void check_round_trip(const Decoded<T>& decoded, Decode decode) {
  if (!decoded) {
    require(!decoded.rejection().kind.empty() && !decoded.rejection().reason.empty());
    return;
  }
  const std::string again = encode(*decoded);
  require(again.size() <= limits::message);
  auto twice = decode(again);
  require(static_cast<bool>(twice) && *twice == *decoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  check_round_trip(decode_command(body), [](std::string_view b) { return decode_command(b); });
  check_round_trip(decode_reply(body), [](std::string_view b) { return decode_reply(b); });

  for (std::string_view topic : {std::string_view("z/main/"), heartbeat_topic}) {
    auto published = decode_published(topic, body);
    if (!published) {
      require(!published.rejection().reason.empty());
      continue;
    }
    const std::string again = std::visit([](const auto& p) { return encode(p); }, *published);
    auto twice = decode_published(topic, again);
    require(static_cast<bool>(twice) && *twice == *published);
  }
  return 0;
}
