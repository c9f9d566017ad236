#pragma once
// Turns calls and operators' texts into announcements in the mixer's queue, by the rules
// of the branch: the mode, repeats, quiet hours, the volume by time of day, and shortening
// a call that would wait too long behind others (shortened, never dropped).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "sound/mixer.hpp"
#include "sound/voice_pack.hpp"

namespace tablo::sound {

// What was queued: the words for the screen, and the clip's id in the mixer (0: nothing
// is played, e.g. mode off or quiet hours; the call is still shown).
struct Queued {
  std::uint64_t id = 0;
  std::string words;
  bool shortened = false;
};

class Announcer {
 public:
  Announcer(config::AnnouncementSettings rules, VoicePack& voice, Mixer& mixer);

  // `destination` empty: the configured one. `zone` is what the queued clip says it is of.
  // `waited_seconds`: how long the call waited before it was put into words; with what the
  // mixer has ahead of it, past `max_wait_seconds` it is said in the short form.
  Queued call(const std::string& ticket, const std::string& window, const std::string& destination, bool recall,
              int minute_of_day, const std::string& zone = "", double waited_seconds = 0);
  Queued text(const std::string& text, int minute_of_day, const std::string& zone = "");
  // A prerecorded message (after the chime) instead of speaking `words`, which are shown.
  // Throws SoundError naming the file when it cannot be decoded.
  Queued recording(const std::filesystem::path& file, const std::string& words, int minute_of_day,
                   const std::string& zone = "");

 private:
  bool quiet(int minute) const;
  void set_volume(int minute);
  Queued queue(Pcm pcm, Announcing what, std::string label, bool shortened);

  config::AnnouncementSettings rules_;
  std::string call_template_, short_template_;
  VoicePack& voice_;
  Mixer& mixer_;
  std::uint64_t next_id_ = 1;
};

// The file of the prerecorded message `name` in `folder`: the name as given, or with one of
// the extensions staff are likely to bring (.wav .ogg .mp3 .flac .opus).
std::optional<std::filesystem::path> find_recording(const std::filesystem::path& folder, const std::string& name);

}  // namespace tablo::sound
