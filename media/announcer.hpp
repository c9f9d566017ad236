#pragma once
// Turns calls and operators' texts into announcements in the mixer's queue, by the rules
// of the branch: the mode, repeats, quiet hours, the volume by time of day, and shortening
// a call that would wait too long behind others (shortened, never dropped).
#include <cstdint>
#include <string>
#include <vector>

#include "media/mixer.hpp"
#include "media/voice_pack.hpp"

namespace tablo::media {

enum class AnnounceMode { off, chime, chime_then_voice_on_recall, chime_and_voice };

struct VolumeStep {
  int from_minute = 0;  // minutes after midnight, the step applies in [from, to)
  int to_minute = 0;
  double volume = 1.0;
};

struct AnnouncementRules {
  AnnounceMode mode = AnnounceMode::chime_and_voice;
  int repeat = 1;  // how many times the words are said
  std::string call_template = "{chime} Талон {ticket}, пройдите {destination} номер {window}";
  std::string short_template = "Талон {ticket}, {destination} {window}";
  std::string destination = "окно";
  double max_wait_seconds = 20;  // a call that would wait longer is said short
  int quiet_from_minute = 0;     // no sound in [from, to); equal: no quiet hours
  int quiet_to_minute = 0;
  double volume = 1.0;
  std::vector<VolumeStep> volume_steps;
};

// What was queued: the words for the screen, and the clip's id in the mixer (0: nothing
// is played, e.g. mode off or quiet hours; the call is still shown).
struct Queued {
  std::uint64_t id = 0;
  std::string words;
  bool shortened = false;
};

class Announcer {
 public:
  Announcer(AnnouncementRules rules, VoicePack& voice, Mixer& mixer);

  Queued call(const std::string& ticket, const std::string& window, bool recall, int minute_of_day);
  Queued text(const std::string& text, int minute_of_day);

 private:
  bool quiet(int minute) const;
  void set_volume(int minute);
  Queued queue(Pcm pcm, std::string words, std::string label, bool shortened);

  AnnouncementRules rules_;
  VoicePack& voice_;
  Mixer& mixer_;
  std::uint64_t next_id_ = 1;
};

}  // namespace tablo::media
