#pragma once
// tabloctl media: add (a chunked, resumable upload), list, info, rm.
#include <chrono>
#include <iosfwd>
#include <string>

#include "protocol/command_client.hpp"
#include "protocol/messages.hpp"

namespace tablo::tools {

// Uploads `path` as `name` (its file name when empty): the hub keeps what arrived, so running
// it again after an interruption goes on from there. Exit status as tabloctl's: 0 in the
// library, 1 refused, 2 unreadable file, 3 no hub.
int media_add(protocol::CommandClient& client, const std::string& path, std::string name,
              std::chrono::milliseconds timeout, int retries, std::ostream& out, std::ostream& err);

// The library, one item, or what was removed; with `json` one object a line.
void print_media(std::ostream& out, const protocol::MediaItems& items, bool json);

}  // namespace tablo::tools
