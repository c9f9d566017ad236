#include "protocol/describe.hpp"

namespace tablo::protocol {
namespace {


// Texts come from clients: one line each in the log (a newline could fake a log line),
// long ones shortened on a UTF-8 character boundary.
std::string quoted(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  constexpr std::size_t max = 60;
  if (text.size() <= max) return "«" + text + "»";
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "«" + text.substr(0, cut) + "…»";
}

struct Phrase {
  std::string operator()(const Called& c) const {
    std::string s = "call " + c.ticket + " → window " + c.window;
    if (!c.service.empty()) s += ", service " + c.service;
    return s;
  }
  std::string operator()(const Recalled& r) const { return "recall of " + r.ticket; }
  std::string operator()(const Finished& f) const { return "finish of " + f.ticket; }
  std::string operator()(const Cancelled& c) const { return "cancel of " + c.ticket; }
  std::string operator()(const Cleared&) const { return "clear of the board"; }
  std::string operator()(const Announced& a) const {
    if (a.text.empty()) return "end of the announcement";
    return "announcement " + quoted(a.text) + (a.recording.empty() ? "" : " (recording " + a.recording + ")") +
           " for " + std::to_string(a.seconds) + " s";
  }
  std::string operator()(const TickerSet& t) const {
    return t.text.empty() ? std::string("ticker cleared") : "ticker " + quoted(t.text);
  }
  std::string operator()(const PlaylistSet& p) const {
    return p.text.empty() ? std::string("playlist of the screens' own files")
                          : "pushed playlist of " + std::to_string(p.text.size()) + " bytes";
  }
};

}  // namespace

std::string describe(const Change& change) { return std::visit(Phrase{}, change); }

}  // namespace tablo::protocol
