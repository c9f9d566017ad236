#include "hub/descriptors.hpp"

#include <sys/resource.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

namespace tablo::hub {

std::uint64_t raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("cannot read the limit of open files ({}); taking 1024", std::strerror(errno));
    return 1024;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t was = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
      spdlog::info("open files: limit raised from {} to {} (the hard limit; LimitNOFILE= in the unit sets it)", was,
                   limit.rlim_cur);
    } else {
      spdlog::warn("open files: cannot raise the limit of {} to {}: {}", was, limit.rlim_max, std::strerror(errno));
      limit.rlim_cur = was;
    }
  } else {
    spdlog::info("open files: limit {}", limit.rlim_cur);
  }
  return limit.rlim_cur == RLIM_INFINITY ? 1'000'000 : static_cast<std::uint64_t>(limit.rlim_cur);
}

std::uint64_t descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  return limit.rlim_cur == RLIM_INFINITY ? 1'000'000 : static_cast<std::uint64_t>(limit.rlim_cur);
}

std::uint64_t connection_cap(int configured, std::uint64_t descriptor_limit) {
  if (configured > 0) return static_cast<std::uint64_t>(configured);
  return descriptor_limit > 2 * descriptors_kept ? descriptor_limit - descriptors_kept : descriptor_limit / 2;
}

}  // namespace tablo::hub
