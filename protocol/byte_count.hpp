#pragma once
// Sizes in the words every program of tablo uses for them: "950 B", "17 kB", "120 MB",
// "2.1 GB" — decimal units, as disks are sold.
#include <cstdint>
#include <string>

namespace tablo::protocol {

std::string bytes_text(std::uint64_t bytes);

}  // namespace tablo::protocol
