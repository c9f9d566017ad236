#include "sound/announcer.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tablo::sound {
using config::AnnounceMode;

Announcer::Announcer(config::AnnouncementSettings rules, VoicePack& voice, Mixer& mixer)
    : rules_(std::move(rules)), voice_(voice), mixer_(mixer) {
  const Language lang = voice_.language();
  call_template_ = !rules_.call_template.empty() ? rules_.call_template : default_call_template(lang);
  short_template_ = !rules_.short_template.empty() ? rules_.short_template : default_short_template(lang);
  // A template with a typo, or a destination without words in the voice's language, fails at
  // start, not at the first call. (Settings from a file were checked with their line already.)
  auto check_destination = [&](const std::string& key, const std::string& name) {
    try {
      destination_phrase(name, lang, rules_.destination_words);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(key + ": " + e.what());
    }
  };
  check_destination("announcements.destination", rules_.destination);
  for (const auto& [zone, name] : rules_.zone_destinations) check_destination("announcements.zone_destinations." + zone, name);
  const CallWords sample{"А1", "1", destination_phrase(rules_.destination, lang, rules_.destination_words)};
  build_phrase(call_template_, sample, lang);
  build_phrase(short_template_, sample, lang);
}

bool Announcer::quiet(int minute) const { return rules_.quiet_hours.contains(minute); }

void Announcer::set_volume(int minute) {
  double volume = rules_.volume;
  for (const auto& step : rules_.volume_schedule) {
    if (step.hours.contains(minute)) volume = step.volume;
  }
  mixer_.set_announcement_gain(static_cast<float>(volume));
}

Queued Announcer::call(const std::string& ticket, const std::string& window, const std::string& destination,
                       bool recall, int minute_of_day, const std::string& zone, double waited_seconds) {
  const Language lang = voice_.language();
  const CallWords words{ticket, window,
                        destination_phrase(destination.empty() ? rules_.destination : destination, lang,
                                           rules_.destination_words)};
  const double ahead = waited_seconds + mixer_.seconds_ahead();
  const bool shortened = ahead > rules_.max_wait_seconds;
  if (shortened) spdlog::warn("announcement {} shortened: {:.0f} s of announcements ahead of it", ticket, ahead);
  const auto full = build_phrase(shortened ? short_template_ : call_template_, words, lang);
  std::string text = spoken_text(full);
  if (rules_.mode == AnnounceMode::off || quiet(minute_of_day)) return Queued{0, text, false};

  const bool voice = rules_.mode == AnnounceMode::chime_and_voice ||
                     (rules_.mode == AnnounceMode::chime_then_voice && recall);
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
  return queue(std::move(pcm), Announcing{zone, ticket, window, std::move(text)}, ticket + " → " + window, shortened);
}

namespace {

// Labels are for logs: a long text is cut, on a UTF-8 character boundary.
std::string label_of(const std::string& words) {
  std::size_t cut = std::min<std::size_t>(words.size(), 40);
  while (cut < words.size() && cut > 0 && (static_cast<unsigned char>(words[cut]) & 0xC0) == 0x80) --cut;
  return "«" + words.substr(0, cut) + (cut < words.size() ? "…»" : "»");
}

}  // namespace

Queued Announcer::text(const std::string& words, int minute_of_day, const std::string& zone) {
  if (rules_.mode == AnnounceMode::off || quiet(minute_of_day)) return Queued{0, words, false};
  Pcm pcm = voice_.say({Fragment{Fragment::Kind::chime, ""}});
  pcm.append(voice_.say_text(words));
  set_volume(minute_of_day);
  return queue(std::move(pcm), Announcing{zone, "", "", words}, label_of(words), false);
}

Queued Announcer::recording(const std::filesystem::path& file, const std::string& words, int minute_of_day,
                            const std::string& zone) {
  if (rules_.mode == AnnounceMode::off || quiet(minute_of_day)) return Queued{0, words, false};
  Pcm pcm = voice_.say({Fragment{Fragment::Kind::chime, ""}});
  pcm.append(load_audio(file, mixer_.format()));
  set_volume(minute_of_day);
  return queue(std::move(pcm), Announcing{zone, "", "", words}, file.filename().string() + " " + label_of(words), false);
}

std::optional<std::filesystem::path> find_recording(const std::filesystem::path& folder, const std::string& name) {
  for (const char* extension : {"", ".wav", ".ogg", ".mp3", ".flac", ".opus"}) {
    auto file = folder / (name + extension);
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec)) return file;
  }
  return std::nullopt;
}

Queued Announcer::queue(Pcm pcm, Announcing what, std::string label, bool shortened) {
  const std::uint64_t id = next_id_++;
  Queued queued{id, what.words, shortened};
  mixer_.queue(Clip{id, std::move(label), std::move(pcm), std::move(what)});
  return queued;
}

}  // namespace tablo::sound
