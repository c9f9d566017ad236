#include "media/announcer.hpp"

#include <spdlog/spdlog.h>

namespace tablo::media {
namespace {

bool within(int minute, int from, int to) {
  return from <= to ? (minute >= from && minute < to) : (minute >= from || minute < to);  // may span midnight
}

}  // namespace

Announcer::Announcer(AnnouncementRules rules, VoicePack& voice, Mixer& mixer)
    : rules_(std::move(rules)), voice_(voice), mixer_(mixer) {}

bool Announcer::quiet(int minute) const {
  return rules_.quiet_from_minute != rules_.quiet_to_minute &&
         within(minute, rules_.quiet_from_minute, rules_.quiet_to_minute);
}

void Announcer::set_volume(int minute) {
  double volume = rules_.volume;
  for (const auto& step : rules_.volume_steps) {
    if (within(minute, step.from_minute, step.to_minute)) volume = step.volume;
  }
  mixer_.set_announcement_gain(static_cast<float>(volume));
}

Queued Announcer::call(const std::string& ticket, const std::string& window, bool recall, int minute_of_day) {
  const CallWords words{ticket, window, rules_.destination};
  const Language lang = voice_.language();
  const bool shortened = mixer_.seconds_ahead() > rules_.max_wait_seconds;
  const auto full = build_phrase(shortened ? rules_.short_template : rules_.call_template, words, lang);
  std::string text = spoken_text(full);
  if (rules_.mode == AnnounceMode::off || quiet(minute_of_day)) return Queued{0, text, false};

  const bool voice = rules_.mode == AnnounceMode::chime_and_voice ||
                     (rules_.mode == AnnounceMode::chime_then_voice_on_recall && recall);
  Pcm pcm{mixer_.format(), {}};
  if (!voice) {
    pcm = voice_.say({Fragment{Fragment::Kind::chime, ""}});
  } else {
    pcm = voice_.say(full);
    if (!shortened) {
      std::vector<Fragment> again;  // the repeats say the words without the chime
      for (const auto& f : full)
        if (f.kind != Fragment::Kind::chime) again.push_back(f);
      for (int i = 1; i < rules_.repeat; ++i) {
        pcm.append_silence(0.6);
        pcm.append(voice_.say(again));
      }
    }
  }
  set_volume(minute_of_day);
  return queue(std::move(pcm), std::move(text), ticket + " → " + window, shortened);
}

Queued Announcer::text(const std::string& words, int minute_of_day) {
  if (rules_.mode == AnnounceMode::off || quiet(minute_of_day)) return Queued{0, words, false};
  Pcm pcm = voice_.say({Fragment{Fragment::Kind::chime, ""}});
  pcm.append(voice_.say_text(words));
  set_volume(minute_of_day);
  return queue(std::move(pcm), words, "announcement", false);
}

Queued Announcer::queue(Pcm pcm, std::string words, std::string label, bool shortened) {
  const std::uint64_t id = next_id_++;
  if (shortened) spdlog::warn("announcement {} shortened: {:.0f} s of announcements ahead of it", label, mixer_.seconds_ahead());
  mixer_.queue(Clip{id, std::move(label), std::move(pcm)});
  return Queued{id, std::move(words), shortened};
}

}  // namespace tablo::media
