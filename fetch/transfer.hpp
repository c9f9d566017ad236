#pragma once
// One HTTP GET of a media file into its part file, through libcurl: from the byte the part
// ends at (Range), hashing what it writes. Retries, sources and tokens are the fetcher's.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "fetch/digest.hpp"

namespace tablo::fetch {

struct TransferOptions {
  std::uint64_t max_bytes_per_second = 0;  // 0: no limit
  std::chrono::seconds stalled_after{30};  // less than 1 kB/s for this long drops the transfer
  std::chrono::seconds connect_within{10};
};

struct Transferred {
  enum class Outcome {
    complete,   // the part holds all `size` bytes (not yet verified)
    stopped,    // keep_going() said no
    failed,     // the source could not give it: see http_status and error
    disk_full,  // the part could not be written: no space
  };
  Outcome outcome = Outcome::failed;
  long http_status = 0;                     // 0: no HTTP answer (refused, dropped, timed out)
  std::chrono::seconds retry_after{0};      // a 503's Retry-After
  std::string error;                        // what went wrong, in words, with the URL
  std::uint64_t received = 0;               // bytes written to the part this time
};

// GETs `url` into the part file `part_fd`, which holds `*have` bytes already fed into `hash`,
// asking for the rest (Range: bytes=*have-). A server that answers 200 to a range gives the
// whole file: the part and the hash start over. `*have` follows what is in the part. Never
// writes past `size`.
Transferred transfer(const std::string& url, int part_fd, std::uint64_t* have, std::uint64_t size, Sha256& hash,
                     const TransferOptions& options, const std::function<bool(std::uint64_t received)>& keep_going);

}  // namespace tablo::fetch
