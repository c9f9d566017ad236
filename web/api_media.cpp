// The media library for staff: the files (what each is, which zones' playlists use it), uploads
// relayed chunk by chunk to the hub's media_add/media_chunk, and removal. tablo-web holds at
// most a few chunks (1 MiB each) at a time, never a whole file; the hub keeps what arrived, so an
// upload cut off goes on from there (docs/HTTP-API.md, "Uploading a file").
#include <atomic>
#include <charconv>
#include <map>
#include <vector>

#include "protocol/media_codec.hpp"
#include "web/console.hpp"

namespace tablo::web {
namespace {

using namespace std::chrono_literals;
using namespace tablo::protocol;

const std::string uploads = "/api/media/uploads/";

// Chunks read into memory at once, across all uploads; past it a chunk is asked to come again.
constexpr int most_chunks_at_once = 4;
std::atomic<int> chunks_in_memory{0};

struct Counted {
  Counted() { ++chunks_in_memory; }
  ~Counted() { --chunks_in_memory; }
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
};

std::string text(const json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string kind_of(const json& item) {
  if (item.value("video", "").empty()) return "sound";
  return item.value("duration", 0.0) > 0 ? "video" : "picture";
}

// The library as the hub has it, each file with its kind and the console's zones whose pushed
// playlist names it.
Answer library(Exchange& e) {
  const auto reply = e.console.hub.ask_media(MediaListRequest{}, 5s);
  const auto* items = reply ? std::get_if<MediaItems>(&reply->answer) : nullptr;
  if (!items) return hub_answer(reply, e.console.hub.endpoint());
  json list;
  wire::write_media_answer(list, *items);
  std::map<std::string, std::vector<std::string>> used;
  for (const auto& zone : e.console.settings.web.zones) {
    const auto board = e.console.boards.board(zone);
    if (!board) continue;
    for (const auto& [name, file] : board->snapshot.board.playlist_media) used[name].push_back(zone);
  }
  for (auto& item : list["media"]) {
    item["kind"] = kind_of(item);
    item["used_by"] = used[item.value("name", "")];
  }
  return Answer::of(json{{"media", list["media"]}});
}

// The hub's answer to media_add or media_chunk; refusals and finished files go to the audit log.
Answer upload_answer(Exchange& e, const std::optional<Reply>& reply, const std::string& what) {
  auto a = hub_answer(reply, e.console.hub.endpoint());
  const auto* progress = reply ? std::get_if<MediaProgress>(&reply->answer) : nullptr;
  if (a.status != 200) e.console.audit(e, what, json::parse(a.body).value("error", "refused"));
  else if (progress && progress->item) e.console.audit(e, "media add " + progress->item->name, "ok");
  return a;
}

// {name, sha256, size}: start an upload, or learn how much of it the hub has.
Answer start_upload(Exchange& e) {
  const auto body = e.request.json_body();
  if (!body) return Answer::error(400, "send {\"name\": \"welcome.mp4\", \"sha256\": \"<64 hex digits>\", \"size\": 51318}");
  const std::string name = text(*body, "name"), sha = text(*body, "sha256");
  const auto size = body->find("size");
  if (!valid_media_name(name))
    return Answer::error(400, "cannot name a library file '" + name.substr(0, 200) + "': 1–128 bytes, no '/', not starting with '.'");
  if (!valid_sha256(sha)) return Answer::error(400, "sha256 must be the file's SHA-256 in 64 lowercase hex digits");
  if (size == body->end() || !size->is_number_unsigned() || size->get<std::uint64_t>() == 0)
    return Answer::error(400, "size must be the file's length in bytes, more than 0");
  const MediaAdd add{name, MediaFile{sha, size->get<std::uint64_t>()}};
  return upload_answer(e, e.console.hub.ask_media(add, 10s), "media upload " + name);
}

// "bytes FIRST-LAST/TOTAL" (RFC 9110), LAST inclusive.
bool read_range(const std::string& header, std::uint64_t& first, std::uint64_t& last, std::uint64_t& total) {
  if (!header.starts_with("bytes ")) return false;
  const char* p = header.data() + 6;
  const char* end = header.data() + header.size();
  auto number = [&](std::uint64_t& n, char after) {
    const auto [q, error] = std::from_chars(p, end, n);
    if (error != std::errc() || (after && (q == end || *q != after))) return false;
    p = after ? q + 1 : q;
    return true;
  };
  return number(first, '-') && number(last, '/') && number(total, 0) && p == end && first <= last && last < total;
}

// The bytes FIRST–LAST of the upload /api/media/uploads/SHA256, as application/octet-stream.
Answer chunk(Exchange& e) {
  const std::string sha = e.request.path.substr(uploads.size());
  if (!valid_sha256(sha)) return Answer::error(404, "no upload " + sha.substr(0, 80) + ": the path ends in the file's SHA-256");
  std::uint64_t first = 0, last = 0, total = 0;
  if (!e.request.binary || !read_range(e.request.header("Content-Range"), first, last, total))
    return Answer::error(400, "send the bytes as Content-Type: application/octet-stream with Content-Range: bytes FIRST-LAST/SIZE");
  if (last - first + 1 > limits::media_chunk)
    return Answer::error(413, "a chunk is at most " + std::to_string(limits::media_chunk) + " bytes; this one is " + std::to_string(last - first + 1));
  const Counted counted;
  if (chunks_in_memory > most_chunks_at_once) {
    auto busy = Answer::error(503, "tablo-web is taking " + std::to_string(most_chunks_at_once) + " chunks already; send it again in a second");
    busy.headers.emplace_back("Retry-After", "1");
    return busy;
  }
  auto data = e.request.bytes(limits::media_chunk);
  if (!data || data->size() != last - first + 1)
    return Answer::error(400, "the body is not the " + std::to_string(last - first + 1) + " bytes Content-Range names (cut off?)");
  // The hub checks and probes the file before it answers the last chunk.
  const auto wait = last + 1 == total ? 120s : 10s;
  return upload_answer(e, e.console.hub.ask_media(MediaChunk{sha, first, std::move(*data)}, wait), "media upload " + sha);
}

Answer remove(Exchange& e) {
  const std::string name = e.request.path.substr(std::string("/api/media/").size());
  if (!valid_media_name(name)) return Answer::error(404, "no library file named '" + name.substr(0, 200) + "'");
  auto a = hub_answer(e.console.hub.ask_media(MediaRemove{name}, 10s), e.console.hub.endpoint());
  e.console.audit(e, "media remove " + name, a.status == 200 ? "ok" : json::parse(a.body).value("error", "refused"));
  return a;
}

}  // namespace

void add_media_routes(Console& c) {
  c.routes.push_back({"GET", "/api/media", false, Permission::media, library,
                      "the media library: each file's name, kind, size, duration, picture, and the zones whose playlist uses it"});
  c.routes.push_back({"POST", "/api/media/uploads", false, Permission::media, start_upload,
                      "start or go on with an upload {name, sha256, size} → {have, size, item?}"});
  c.routes.push_back({"POST", uploads, true, Permission::media, chunk,
                      "/api/media/uploads/SHA256: up to 1 MiB of the file (application/octet-stream, Content-Range) → {have, size, item?}"});
  c.routes.push_back({"DELETE", "/api/media/", true, Permission::media, remove,
                      "/api/media/NAME: take the file off the library (refused while a playlist in force uses it)"});
}

}  // namespace tablo::web
