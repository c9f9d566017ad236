#pragma once
// The screens the hub has heard from, and the requests it relayed to one of them that wait
// for the screen's answer. Screens report every few seconds (protocol::Report), so the table
// is not journaled: after a restart it fills again within one report interval.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"

namespace tablo::hub {

using SteadyClock = std::chrono::steady_clock;

// A screen that has not reported for this long is taken for gone: nothing is relayed to it.
inline constexpr auto screen_silent_after = std::chrono::seconds(15);
// How long a relayed request waits for the screen's answer.
inline constexpr auto screen_answer_within = std::chrono::seconds(5);
// Far more than a branch has; past it the screen heard from longest ago is forgotten.
inline constexpr std::size_t max_screens = 1000;
// Relayed requests waiting at once; more are refused, so a script in a loop cannot pile them up.
inline constexpr std::size_t max_waiting = 32;

class Screens {
 public:
  struct Seen {
    protocol::ScreenReport report;
    std::string connection;  // the ROUTER routing id its reports come from
    std::string key;         // the key they come with (Guard::Caller::bucket)
    SteadyClock::time_point heard;
  };
  // A request relayed to a screen: who asked (the envelope to answer in, the id they used).
  struct Waiting {
    std::vector<std::string> asker_envelope;
    std::string asker_id;
    std::string screen;
    std::string connection;
    SteadyClock::time_point deadline;
  };

  // True when this screen is new to the hub (for the log).
  bool heard(const protocol::ScreenReport& report, const std::string& connection, const std::string& key,
             SteadyClock::time_point now);
  const Seen* find(const std::string& name) const;
  protocol::ScreenList list(SteadyClock::time_point now) const;

  // The relay id under which the request goes to the screen; nullopt when too many wait.
  std::optional<std::string> wait_for(Waiting waiting);
  // The request `relay_id` answered from `connection`; nullopt when none such waits.
  std::optional<Waiting> answered(const std::string& relay_id, const std::string& connection);
  // Requests whose screen did not answer in time, taken out.
  std::vector<Waiting> overdue(SteadyClock::time_point now);
  std::optional<SteadyClock::time_point> next_deadline() const;
  // Whether a screen's (large) answer may come from this connection.
  bool expects_answer_from(const std::string& connection) const;

 private:
  std::map<std::string, Seen> seen_;
  std::map<std::string, Waiting> waiting_;
  std::uint64_t next_relay_ = 1;
};

}  // namespace tablo::hub
