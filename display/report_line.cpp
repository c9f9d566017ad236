#include "display/report_line.hpp"

#include <spdlog/spdlog.h>

#include "protocol/codec.hpp"
#include "protocol/tcp_keepalive.hpp"

namespace tablo::display {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// While the screen's thread works on an answer, the line looks for it this often.
constexpr auto answer_poll = 20ms;

}  // namespace

ReportLine::ReportLine(LineOptions options, std::function<void()> wake)
    : options_(std::move(options)), wake_(std::move(wake)), context_(1) {
  thread_ = std::thread([this] {
    try {
      run();
    } catch (const zmq::error_t& e) {
      if (e.num() != ETERM) spdlog::error("the screen's reports to the hub stopped: {}", e.what());
    }
  });
}

ReportLine::~ReportLine() {
  {
    std::lock_guard lock(token_mutex_);
    stopping_ = true;
  }
  token_came_.notify_all();
  context_.shutdown();  // wakes the thread out of its poll
  thread_.join();
}

void ReportLine::update(protocol::ScreenReport report) {
  std::lock_guard lock(mutex_);
  report_ = std::move(report);
}

std::vector<Question> ReportLine::take_questions() {
  std::lock_guard lock(mutex_);
  std::vector<Question> out(std::make_move_iterator(questions_.begin()), std::make_move_iterator(questions_.end()));
  questions_.clear();
  return out;
}

void ReportLine::answer(std::string relay_id, protocol::ScreenAnswer answer) {
  std::lock_guard lock(mutex_);
  answers_.emplace_back(std::move(relay_id), std::move(answer));
}

protocol::MediaTokenReply ReportLine::ask_media_token(std::chrono::milliseconds within) {
  std::unique_lock lock(token_mutex_);
  if (token_cancelled_) return {std::nullopt, "the screen is stopping"};
  token_id_ = "media-token-" + std::to_string(++tokens_asked_);
  token_sent_ = false;
  token_reply_.reset();
  poke_.notify();
  const bool came =
      token_came_.wait_for(lock, within, [&] { return token_reply_.has_value() || stopping_ || token_cancelled_; });
  token_id_.clear();
  if (!came || !token_reply_) return {std::nullopt, "no reply from the hub within " + std::to_string(within.count() / 1000) + " s"};
  return *token_reply_;
}

void ReportLine::cancel_media_token() {
  {
    std::lock_guard lock(token_mutex_);
    token_cancelled_ = true;
  }
  token_came_.notify_all();
}

void ReportLine::run() {
  zmq::socket_t hub(context_, zmq::socket_type::dealer);
  hub.set(zmq::sockopt::linger, 0);
  hub.set(zmq::sockopt::immediate, 1);  // no connection: a report is dropped, not queued up
  hub.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(protocol::limits::message) * 2);
  hub.set(zmq::sockopt::reconnect_ivl, 250);
  hub.set(zmq::sockopt::reconnect_ivl_max, 5000);
  protocol::keep_alive(hub);
  if (options_.keys) protocol::use_curve(hub, *options_.keys);
  hub.connect(options_.commands);

  const auto started = Clock::now();
  auto next_report = started + 500ms;  // soon after start, once the connection is made
  std::uint64_t sent = 0;
  std::string last_refusal;
  auto send = [&](const protocol::Command& command) {
    const std::string body = protocol::encode(command);
    return hub.send(zmq::buffer(body), zmq::send_flags::dontwait).has_value();
  };

  while (!stopping_) {
    auto now = Clock::now();
    if (now >= next_report) {
      protocol::ScreenReport report;
      {
        std::lock_guard lock(mutex_);
        report = report_;
      }
      report.uptime_s = std::chrono::duration_cast<std::chrono::seconds>(now - started).count();
      (void)send(protocol::Command{"report-" + std::to_string(++sent), report.zones.empty() ? "main" : report.zones[0],
                                   protocol::Report{std::move(report)}});
      next_report = now + options_.every;
    }
    std::deque<std::pair<std::string, protocol::ScreenAnswer>> answers;
    {
      std::lock_guard lock(mutex_);
      answers.swap(answers_);
    }
    for (auto& [id, answer] : answers) {
      --unanswered_;
      if (!send(protocol::Command{id, "main", std::move(answer)})) {
        spdlog::warn("could not send the answer to {} to the hub: no connection", id);
      }
    }

    std::string token_id;
    {
      std::lock_guard lock(token_mutex_);
      if (!token_id_.empty() && !token_sent_) token_id = token_id_, token_sent_ = true;
    }
    std::string zone = "main";
    if (!token_id.empty()) {
      std::lock_guard lock(mutex_);
      if (!report_.zones.empty()) zone = report_.zones[0];
    }
    if (!token_id.empty() &&
        !hub.send(zmq::buffer(protocol::encode_media_token_request(token_id, zone)), zmq::send_flags::dontwait)) {
      std::lock_guard lock(token_mutex_);
      token_reply_ = protocol::MediaTokenReply{std::nullopt, "no connection to the hub"};
      token_came_.notify_all();
    }

    auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_report - Clock::now());
    if (unanswered_ > 0) wait = std::min<std::chrono::milliseconds>(wait, answer_poll);
    zmq::pollitem_t items[] = {{hub.handle(), 0, ZMQ_POLLIN, 0}, {nullptr, poke_.fd(), ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 2, std::max(wait, 0ms));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      throw;
    }
    if (items[1].revents & ZMQ_POLLIN) poke_.wait(0ms);
    for (zmq::message_t msg; hub.recv(msg, zmq::recv_flags::dontwait);) {
      if (auto id = protocol::reply_id(msg.to_string_view()); id && id->starts_with("media-token-")) {
        std::lock_guard lock(token_mutex_);
        if (*id == token_id_) {
          token_reply_ = protocol::decode_media_token_reply(msg.to_string_view());
          token_came_.notify_all();
        }
        continue;
      }
      // From the hub come replies to reports and answers, and relayed questions.
      if (auto question = protocol::decode_command(msg.to_string_view())) {
        if (const auto* action = std::get_if<protocol::ScreenAction>(&question->action);
            action && (std::holds_alternative<protocol::ScreenshotRequest>(*action) ||
                       std::holds_alternative<protocol::ProofOfPlayRequest>(*action))) {
          ++unanswered_;
          {
            std::lock_guard lock(mutex_);
            questions_.push_back(Question{question->id, *action});
          }
          wake_();
        }
        continue;
      }
      auto reply = protocol::decode_reply(msg.to_string_view());
      const auto* refused = reply ? std::get_if<protocol::Refused>(&reply->answer) : nullptr;
      if (refused && refused->error != last_refusal) {
        last_refusal = refused->error;  // said once: a refused report is refused every few seconds
        spdlog::warn("the hub refused this screen's report or answer: {}", refused->error);
      }
    }
  }
}

}  // namespace tablo::display
