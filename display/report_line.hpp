#pragma once
// The screen's own line to the hub, beside the hub link: a DEALER that reports who the screen
// is and what it plays every few seconds (the hub lists it in `tabloctl screens`), and that
// the hub uses to ask this screen things on a desk's behalf (a screenshot, a day of proof of
// play). Its thread never touches SDL: questions go to the screen's thread, which answers.
// The media fetcher asks the hub for its tokens on this line too.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "display/wakeup.hpp"
#include "protocol/curve_keys.hpp"
#include "protocol/media_token.hpp"
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
  // Asks the hub for a media token (docs/PROTOCOL.md, "media_token") and waits up to `within`
  // for the reply. From any thread but the line's; one at a time.
  protocol::MediaTokenReply ask_media_token(std::chrono::milliseconds within);
  // The asker stops: an ask under way returns now, later ones at once.
  void cancel_media_token();

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
  Wakeup poke_;  // a token is wanted: the line's poll wakes at once
  std::mutex token_mutex_;
  std::condition_variable token_came_;
  std::string token_id_;    // the request waiting for its reply; empty: none
  bool token_sent_ = false;
  bool token_cancelled_ = false;
  std::optional<protocol::MediaTokenReply> token_reply_;
  std::uint64_t tokens_asked_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tablo::display
