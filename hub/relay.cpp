// The hub's side of the screens: their reports, the list a desk asks for, and requests
// relayed to one screen (screenshot, proof of play) with its answer relayed back. The hub
// never waits on a screen: a relayed request is sent without blocking and remembered, and the
// asker gets the screen's answer when it comes, or a refusal once screen_answer_within passed.
#include <spdlog/spdlog.h>

#include "hub/server.hpp"
#include "protocol/codec.hpp"

namespace tablo::hub {
namespace {

using namespace tablo::protocol;

std::string seconds_ago(SteadyClock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

std::string what_was_asked(const Command& command) {
  const auto& action = std::get<ScreenAction>(command.action);
  return std::holds_alternative<ScreenshotRequest>(action) ? "a screenshot" : "proof of play";
}

}  // namespace

void Server::serve_screen(std::vector<zmq::message_t>& frames, const Command& command, const ScreenAction& action,
                          const Guard::Caller& caller) {
  const std::string connection(frames.front().to_string_view());
  const auto now = SteadyClock::now();
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, Report>) {
          // A screen's key names the screens it may be: another key cannot take its name, nor
          // the screenshots asked of it.
          if (auto refusal = guard_.may_report_as(caller, a.screen.name)) {
            hub_.count_rejected(refusal->kind);
            const std::string kind = "reports under a screen name their key does not name (" + caller.name + ")";
            if (screen_refusals_.refused(kind, "", now)) spdlog::warn("refused a report: {}", refusal->reason);
            reply(frames, Reply{command.id, Refused{refusal->reason}});
            return;
          }
          if (screens_.heard(a.screen, connection, caller.bucket, now)) {
            spdlog::info("screen '{}' reported: zones {}, version {}", a.screen.name, fmt::join(a.screen.zones, ","),
                         a.screen.version);
          }
          reply(frames, Reply{command.id, Accepted{hub_.epoch(), 0}});
        } else if constexpr (std::is_same_v<A, ScreensRequest>) {
          reply(frames, Reply{command.id, screens_.list(now)});
        } else if constexpr (std::is_same_v<A, ScreenshotRequest> || std::is_same_v<A, ProofOfPlayRequest>) {
          relay(frames, command, a.screen, ScreenAction{a});
        } else {
          auto waiting = screens_.answered(command.id, connection);
          if (!waiting) {
            reply(frames, Reply{command.id, Refused{"no request waits for answer '" + command.id +
                                                   "' from this connection (it came too late, or was never asked)"}});
            return;
          }
          Answer answer = a.file ? Answer{*a.file} : Answer{Refused{"screen '" + waiting->screen + "': " + a.error}};
          reply(waiting->asker_envelope, Reply{waiting->asker_id, std::move(answer)});
          reply(frames, Reply{command.id, Accepted{hub_.epoch(), 0}});
        }
      },
      action);
}

void Server::relay(std::vector<zmq::message_t>& frames, const Command& command, const std::string& screen,
                   ScreenAction request) {
  const auto now = SteadyClock::now();
  auto refuse = [&](std::string why) {
    spdlog::warn("cannot relay {} to screen '{}': {}", what_was_asked(command), screen, why);
    reply(frames, Reply{command.id, Refused{std::move(why)}});
  };
  const auto* seen = screens_.find(screen);
  if (!seen) {
    return refuse("no screen named '" + screen + "' has reported to this hub since it started (see tabloctl screens)");
  }
  if (!guard_.owns_screen(seen->key, screen)) {
    return refuse("the key screen '" + screen + "' reported with no longer names it (its key file was changed or "
                  "removed); it must report again with its own key");
  }
  if (now - seen->heard > screen_silent_after) {
    return refuse("screen '" + screen + "' has not reported for " + seconds_ago(now - seen->heard) +
                  "; is it running and connected to this hub?");
  }
  Screens::Waiting waiting{{}, command.id, screen, seen->connection, now + screen_answer_within};
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) waiting.asker_envelope.emplace_back(frames[i].to_string_view());
  const auto relay_id = screens_.wait_for(std::move(waiting));
  if (!relay_id) {
    return refuse("the hub already waits for " + std::to_string(max_waiting) + " screens' answers; try again shortly");
  }
  const std::string body = encode(Command{*relay_id, command.zone, std::move(request)});
  const std::string& to = screens_.find(screen)->connection;
  // A screen whose queue is full is as good as silent: the request times out like one.
  if (commands_.send(zmq::buffer(to), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
    (void)commands_.send(zmq::buffer(body), zmq::send_flags::dontwait);
  }
  spdlog::info("asked screen '{}' for {} ({})", screen, what_was_asked(command), *relay_id);
}

void Server::give_up_on_silent_screens() {
  for (auto& w : screens_.overdue(SteadyClock::now())) {
    const std::string why = "screen '" + w.screen + "' did not answer in " +
                            seconds_ago(screen_answer_within) + "; it may be busy or its connection lost";
    spdlog::warn("{}", why);
    reply(w.asker_envelope, Reply{w.asker_id, Refused{why}});
  }
}

}  // namespace tablo::hub
