#pragma once
// Media sources for the fetcher's tests, real servers on loopback: nginx (a well-behaved
// mirror or cache, as a branch would run one) and tests/fetch/media_server.py (one that
// corrupts, drops, is busy, refuses tokens or is slow on purpose). Both log each request.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fetch/digest.hpp"
#include "tests/support/process.hpp"

namespace tablo::test {

inline int free_port() { return std::stoi(free_endpoint().substr(std::string("tcp://127.0.0.1:").size())); }

inline bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A file of `size` random bytes in `folder`, named by its sha256; returns the sha256.
inline std::string library_file(const std::filesystem::path& folder, std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (auto& b : bytes) b = static_cast<char>(random());
  fetch::Sha256 hash;
  hash.add(bytes.data(), bytes.size());
  const std::string sha = hash.hex();
  std::filesystem::create_directories(folder);
  std::ofstream(folder / sha, std::ios::binary) << bytes;
  return sha;
}

// Serves `folder` at http://127.0.0.1:PORT/media/ with Range, as any nginx does; its access
// log has "uri status range bytes_sent" a line.
struct Nginx {
  std::filesystem::path dir;
  int port = free_port();
  std::unique_ptr<Process> process;

  Nginx(const std::filesystem::path& scratch, const std::filesystem::path& folder) : dir(scratch / "nginx") {
    std::filesystem::create_directories(dir / "temp");
    std::ofstream(dir / "nginx.conf")
        << "error_log " << (dir / "error.log").string() << ";\npid " << (dir / "nginx.pid").string() << ";\n"
        << "events { worker_connections 64; }\nhttp {\n"
        << "  client_body_temp_path " << (dir / "temp").string() << ";\n  proxy_temp_path " << (dir / "temp").string()
        << ";\n  fastcgi_temp_path " << (dir / "temp").string() << ";\n  uwsgi_temp_path " << (dir / "temp").string()
        << ";\n  scgi_temp_path " << (dir / "temp").string() << ";\n"
        << "  log_format fetch '$uri $status \"$http_range\" $body_bytes_sent';\n"
        << "  access_log " << (dir / "access.log").string() << " fetch;\n"
        << "  server {\n    listen 127.0.0.1:" << port << ";\n"
        << "    location /media/ { alias " << folder.string() << "/; default_type application/octet-stream; }\n  }\n}\n";
    process = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/nginx", "-c", (dir / "nginx.conf").string(),
                                                                 "-p", dir.string(), "-g", "daemon off; master_process off;"});
    for (int i = 0; i < 200 && !accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    INFO(read_text(dir / "error.log"));
    REQUIRE(accepts(port));
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port) + "/media/"; }
  std::string log() const { return read_text(dir / "access.log"); }
};

// tests/fetch/media_server.py with `options` ("--corrupt", "--drop-after 100000", …).
struct MediaServer {
  std::filesystem::path log_path;
  int port = free_port();
  std::unique_ptr<Process> process;

  MediaServer(const std::filesystem::path& scratch, const std::filesystem::path& folder, const std::string& name,
              const std::string& options = "")
      : log_path(scratch / (name + ".log")) {
    std::vector<std::string> argv{"/usr/bin/python3", std::string(TABLO_SOURCE_DIR) + "/tests/fetch/media_server.py",
                                  "--port", std::to_string(port), "--folder", folder.string(), "--log", log_path.string()};
    std::istringstream words(options);
    for (std::string w; words >> w;) argv.push_back(w);
    process = std::make_unique<Process>(argv);
    for (int i = 0; i < 200 && !accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(accepts(port));
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port) + "/media/"; }
  std::string log() const { return read_text(log_path); }

  struct Request {
    std::uint64_t start = 0, sent = 0;
    int status = 0;
  };
  std::vector<Request> requests() const {
    std::vector<Request> out;
    std::istringstream lines(log());
    for (std::string line; std::getline(lines, line);) {
      Request r;
      unsigned long long start = 0, sent = 0;
      if (std::sscanf(line.c_str(), "%*s start=%llu status=%d sent=%llu", &start, &r.status, &sent) == 3) {
        r.start = start;
        r.sent = sent;
        out.push_back(r);
      }
    }
    return out;
  }
};

}  // namespace tablo::test
