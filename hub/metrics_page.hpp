#pragma once
// The hub's Prometheus page (docs/OPERATIONS.md, "Metrics"): its counters by kind, its zones,
// journal, memory and age. Pure: the server loop publishes a Status, the endpoint renders it.
#include <cstdint>

#include "metrics/exposition.hpp"
#include "protocol/messages.hpp"

namespace tablo::hub {

struct HubFigures {
  protocol::Status status;          // as `tabloctl status` shows it
  protocol::ScreenList screens;     // as `tabloctl screens` shows them
  std::uint64_t journal_bytes = 0;  // boards.json and changes.jsonl
  std::uint64_t resident_bytes = 0;
};

metrics::Families metrics_page(const HubFigures& figures);

}  // namespace tablo::hub
