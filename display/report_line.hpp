#pragma once
// The screen's own line to the hub, beside the hub link: a DEALER that reports who the screen
// is and what it plays every few seconds (the hub lists it in `tabloctl screens`), and that
// the hub uses to ask this screen things on a desk's behalf (a screenshot, a day of proof of
// play). Its thread never touches SDL: questions go to the screen's thread, which answers.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "protocol/curve_keys.hpp"
#include "protocol/messages.hpp"

namespace tablo::display {

struct LineOptions {
  std::string commands;  // the hub's command endpoint
  std::chrono::milliseconds every{5000};
  std::optional<protocol::ClientKeys> keys{};
};

// A request relayed by the hub; answer it with its relay id.
struct Question {
  std::string relay_id;
  protocol::ScreenAction action;
};

class ReportLine {
 public:
  // `wake` is called from the line's thread when a question is waiting.
  ReportLine(LineOptions options, std::function<void()> wake);
  ~ReportLine();
  ReportLine(const ReportLine&) = delete;
  ReportLine& operator=(const ReportLine&) = delete;

  // What the next reports say (uptime is filled in by the line).
  void update(protocol::ScreenReport report);
  std::vector<Question> take_questions();
  void answer(std::string relay_id, protocol::ScreenAnswer answer);

 private:
  void run();

  LineOptions options_;
  std::function<void()> wake_;
  zmq::context_t context_;
  std::mutex mutex_;
  protocol::ScreenReport report_;
  std::deque<Question> questions_;
  std::deque<std::pair<std::string, protocol::ScreenAnswer>> answers_;
  std::atomic<int> unanswered_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tablo::display
