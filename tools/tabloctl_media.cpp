#include "tools/tabloctl_media.hpp"

#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <vector>

#include "protocol/byte_count.hpp"
#include "protocol/codec.hpp"

namespace tablo::tools {
namespace {

using namespace tablo::protocol;

// The file's SHA-256 in hex, read once; nullopt when it cannot be read.
std::optional<std::string> sha256_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  if (in.bad()) return std::nullopt;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) hex += {digits[b >> 4], digits[b & 15]};
  return hex;
}

}  // namespace

void print_media(std::ostream& out, const MediaItems& items, bool json) {
  if (json) {
    for (const auto& item : items.items) {
      // One item's JSON as the hub sends it: the reply of a single item, without the envelope.
      const std::string one = encode(Reply{"", MediaItems{{item}}});
      const auto from = one.find("[{"), to = one.rfind("}]");
      out << one.substr(from + 1, to - from) << "\n";
    }
    return;
  }
  if (items.items.empty()) out << "the library is empty (add files with: tabloctl media add FILE)\n";
  for (const auto& i : items.items) {
    out << i.name << "  " << bytes_text(i.file.size) << "  " << i.container;
    if (!i.video.empty()) out << "  " << i.video << " " << i.width << "x" << i.height;
    if (!i.audio.empty()) out << "  sound " << i.audio;
    if (i.duration_s > 0) {
      char d[32];
      std::snprintf(d, sizeof d, "%.1f s", i.duration_s);
      out << "  " << d;
    }
    if (i.rotation != 0) out << "  turned " << i.rotation << "°";
    out << "  sha256 " << i.file.sha256.substr(0, 12) << "…\n";
  }
}

int media_add(CommandClient& client, const std::string& path, std::string name, std::chrono::milliseconds timeout,
              int retries, std::ostream& out, std::ostream& err) {
  if (sodium_init() < 0) {
    err << "tabloctl: libsodium would not start\n";
    return 2;
  }
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  const auto sha = error ? std::nullopt : sha256_of(path);
  if (!sha) {
    err << "tabloctl: cannot read " << path << (error ? ": " + error.message() : std::string()) << "\n";
    return 2;
  }
  if (name.empty()) name = std::filesystem::path(path).filename().string();
  if (!valid_media_name(name)) {
    err << "tabloctl: '" << name << "' cannot name a library file: 1–128 bytes, no '/', not starting with '.' (use --name)\n";
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  // One request, tried again while no reply comes (a chunk sent twice is refused, not stored twice).
  auto ask = [&](const MediaAction& action, std::chrono::milliseconds wait) -> std::optional<Reply> {
    for (int attempt = 0; attempt <= retries; ++attempt) {
      if (auto reply = client.request(Command{client.next_id(), std::string(default_zone), action}, wait)) return reply;
    }
    return std::nullopt;
  };
  const MediaAdd add{name, MediaFile{*sha, size}};
  std::uint64_t have = 0;
  int resyncs = 0;
  bool need_add = true;
  std::uint64_t shown = 0;
  std::vector<char> chunk(limits::media_chunk);
  for (;;) {
    std::optional<Reply> reply;
    bool last = false;
    if (need_add) {
      reply = ask(add, timeout);
    } else {
      in.seekg(static_cast<std::streamoff>(have));
      in.read(chunk.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(chunk.size(), size - have)));
      last = have + static_cast<std::uint64_t>(in.gcount()) == size;
      // The last chunk is checked and probed by the hub before it answers.
      reply = ask(MediaChunk{*sha, have, std::string(chunk.data(), static_cast<std::size_t>(in.gcount()))},
                  last ? timeout + std::chrono::seconds(60) : timeout);
    }
    if (!reply) {
      err << "tabloctl: no reply from the hub at " << client.endpoint() << " after " << have << " of " << size
          << " bytes; run the same command again to go on from there\n";
      return 3;
    }
    if (const auto* refused = std::get_if<Refused>(&reply->answer)) {
      // The last chunk refused is the hub's verdict on the whole file (cannot play, wrong
      // SHA-256): sending it all again would not change it. Unless the file is in after all
      // (the reply to an earlier try was lost).
      if (!need_add && last) {
        const auto info = ask(MediaInfoRequest{name}, timeout);
        const auto* items = info ? std::get_if<MediaItems>(&info->answer) : nullptr;
        if (items && items->items.size() == 1 && items->items[0].file.sha256 == *sha) {
          out << "added: ";
          print_media(out, *items, false);
          return 0;
        }
      } else if (!need_add && ++resyncs <= 5) {
        // A chunk the hub did not expect (a lost reply, a restarted hub): ask where to go on.
        need_add = true;
        continue;
      }
      err << "tabloctl: the hub refused " << path << ": " << refused->error << "\n";
      return 1;
    }
    const auto* progress = std::get_if<MediaProgress>(&reply->answer);
    if (!progress) {
      err << "tabloctl: the hub answered the upload with a reply of the wrong kind\n";
      return 1;
    }
    if (need_add && progress->have > 0 && !progress->item) err << "tabloctl: the hub has " << bytes_text(progress->have) << " of it already; going on\n";
    need_add = false;
    have = progress->have;
    if (progress->item) {
      out << "added: ";
      print_media(out, MediaItems{{*progress->item}}, false);
      return 0;
    }
    if (have >= shown + size / 10 && size > 20 * limits::media_chunk) {
      shown = have;
      err << "tabloctl: " << bytes_text(have) << " of " << bytes_text(size) << " sent\n";
    }
  }
}

}  // namespace tablo::tools
