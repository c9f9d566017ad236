#pragma once
#include <cstdint>

namespace tablo::metrics {

// This process's resident memory in bytes (/proc/self/statm); 0 when it cannot be read.
std::uint64_t resident_memory_bytes();

}  // namespace tablo::metrics
