#pragma once
// The hub's open-file limit. Every connection is a descriptor: a hub under systemd's default
// soft limit of 1024 runs out with a few hundred screens (three connections each), and libzmq
// then retries accept() without end (100 % of a core) while no operator gets in. So the soft
// limit is raised to the hard one at start, and the hub caps its connections below it
// (hub/connections.hpp).
#include <cstdint>

namespace tablo::hub {

// Descriptors the hub keeps for itself past the connection cap: the journal, the metrics page
// and its clients, the key folder's watch, libzmq's own (about 64), and command connections
// that come once subscribers are refused (the other 64).
inline constexpr std::uint64_t descriptors_kept = 128;
inline constexpr std::uint64_t command_room = 64;

// Raises the soft limit of open files to the hard one (logged); returns the limit in force.
std::uint64_t raise_descriptor_limit();

// The soft limit of open files as it is now.
std::uint64_t descriptor_limit();

// hub.max_connections, or (0) the limit less descriptors_kept.
std::uint64_t connection_cap(int configured, std::uint64_t descriptor_limit);

}  // namespace tablo::hub
