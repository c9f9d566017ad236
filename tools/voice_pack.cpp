// tablo-voice-pack: builds a voice pack, from an announcer's recordings or with espeak-ng,
// and checks that a pack holds every fragment a screen's calls can need.
//
//   tablo-voice-pack build --from RECORDINGS --out PACK   an announcer's recordings, made ready
//   tablo-voice-pack build --language ru --out PACK       every fragment, by espeak-ng
//   tablo-voice-pack --language ru --out PACK             the same (what scripts/build runs)
//   tablo-voice-pack check PACK [--config tablo.toml]     what is missing or unusable
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <optional>

extern "C" {
#include <libavutil/log.h>
}

#include "config/load.hpp"
#include "sound/loudness.hpp"
#include "sound/pack_build.hpp"
#include "sound/pack_check.hpp"

using namespace tablo::sound;

namespace {

// What the calls say: a screen's config, with options on top.
struct CallOptions {
  std::string config_file, language, call_template, short_template;
  std::vector<std::string> destinations;

  void add_to(CLI::App* app) {
    app->add_option("--config", config_file, "a screen's tablo.toml: its language, templates and destination words");
    app->add_option("--language", language, "ru or en (default: the pack's, the config's, or ru)")
        ->check(CLI::IsMember({"ru", "en"}));
    app->add_option("--template", call_template, "the call template (default: the config's or the language's own)");
    app->add_option("--short-template", short_template,
                    "the short template (default: the config's or the language's own)");
    app->add_option("--destination", destinations,
                    "destinations besides the config's: a name tablo knows (кабинет, room), or NAME=WORDS for "
                    "another (\"касса=к кассе\")");
  }

  tablo::config::AnnouncementSettings settings() const {
    tablo::config::AnnouncementSettings s = config_file.empty() ? tablo::config::AnnouncementSettings{}
                                                                : tablo::config::load_file(config_file).announcements;
    if (!language.empty()) s.language = language;
    if (!call_template.empty()) s.call_template = call_template;
    if (!short_template.empty()) s.short_template = short_template;
    return s;
  }

  // In the pack's language when it has one: the screen speaks the pack's language.
  CallSpeech calls(std::optional<Language> pack_language) const {
    const auto s = settings();
    const Language lang = pack_language.value_or(s.language == "en" ? Language::en : Language::ru);
    CallSpeech c = call_speech(s, lang);
    for (const auto& d : destinations) {
      const auto equals = d.find('=');
      const std::string name = tablo::sound::lower(d.substr(0, equals));
      if (equals != std::string::npos) c.destination_words[name][lang == Language::ru ? "ru" : "en"] = d.substr(equals + 1);
      c.destinations.push_back(name);
    }
    return c;
  }
};

const char* language_name(Language l) { return l == Language::ru ? "Russian" : "English"; }

void print_problems(const std::string& title, const std::vector<PackProblem>& problems) {
  if (problems.empty()) return;
  std::cout << "\n" << title << ":\n";
  for (const auto& p : problems) {
    std::cout << fmt::format("  {}  \"{}\" = \"{}\"{}{}\n", p.where, p.words, p.file, p.what.empty() ? "" : ": ",
                             p.what);
  }
}

// Prints what `check` found; true when the pack is complete.
bool print_check(const std::filesystem::path& folder, const std::string& name, const CallSpeech& calls,
                 const PackCheck& check, const std::string& how_to_finish) {
  std::cout << fmt::format("voice pack {}: «{}», {}\n", folder.string(), name, language_name(calls.language));
  std::cout << "for the calls";
  for (std::size_t i = 0; i < calls.templates.size(); ++i)
    std::cout << (i ? " and «" : " «") << calls.templates[i] << "»";
  std::cout << "\nwith numbers 0–9999, every letter and the destinations";
  for (std::size_t i = 0; i < calls.destinations.size(); ++i)
    std::cout << (i ? ", «" : " «") << calls.destinations[i] << "»";
  std::cout << "\n";
  std::cout << fmt::format("{} fragments needed: {} recorded, {} missing, {} unusable\n", check.needed.size(),
                           check.usable, check.missing.size(), check.unusable.size());
  if (!check.missing.empty()) {
    std::cout << "\nmissing (espeak-ng says them on the screen, with a warning):\n";
    for (const auto& m : check.missing) std::cout << fmt::format("  {:<20} {}\n", "\"" + m.words + "\"", m.why);
  }
  print_problems("unusable, fix or re-record them (the screen warns and espeak-ng says them)", check.unusable);
  print_problems(
      fmt::format("shorter than a syllable ({:.2f} s), slowed down by build and by the screen (a slower recording "
                  "sounds more natural)",
                  syllable_seconds),
      check.slowed);
  print_problems(fmt::format("cannot reach {} LUFS without peaks over {} dBFS, so they play quieter: cut the click "
                             "or record closer to the microphone",
                             pack_loudness_lufs, peak_ceiling_dbfs),
                 check.peak_limited);
  print_problems("not said by these calls (a typo, or a word of another template?)", check.unneeded);
  if (check.usable > 0) {
    std::cout << fmt::format(
        "\nloudness as recorded: {:.1f} to {:.1f} LUFS; the screen plays every fragment at {} LUFS\n",
        check.quietest_lufs, check.loudest_lufs, pack_loudness_lufs);
  }
  if (check.complete()) {
    std::cout << "\ncomplete: every fragment these calls can need is recorded\n";
    return true;
  }
  std::cout << "\nTo finish the pack, " << how_to_finish
            << "\nHow to record: docs/ANNOUNCEMENTS.md, \"Voice packs\".\n";
  return false;
}

// How to finish a pack whose recordings are in `folder`, then `again` ("check", "build").
std::string advice(const std::filesystem::path& folder, const std::string& again) {
  if (!std::filesystem::exists(folder / "manifest.toml")) {
    return fmt::format("record each missing fragment into {}, named after what it says (к_окну.wav),\nand {} again.",
                       folder.string(), again);
  }
  return fmt::format(
      "record each missing fragment as a file of its own, list it under [words] in\n"
      "{} (\"words\" = \"FILE\"), and {} again.",
      (folder / "manifest.toml").string(), again);
}

// `how_to_finish` empty: the advice for a pack or a folder of recordings, as `folder` is.
int check(const std::filesystem::path& folder, const CallOptions& options, const std::string& how_to_finish = "") {
  if (!std::filesystem::is_directory(folder)) {
    std::cerr << "tablo-voice-pack check: " << folder.string() << ": no such folder\n";
    return 2;
  }
  Manifest manifest;
  const bool listed = std::filesystem::exists(folder / "manifest.toml");
  if (listed) {
    try {
      manifest = read_manifest(folder);
    } catch (const SoundError& e) {
      std::cout << e.what() << "\n";
      return 1;
    }
  } else {
    std::vector<std::string> ignored;
    manifest = recordings_by_file_name(folder, ignored);
    std::cout << folder.string() << " has no manifest.toml, so it is not a pack a screen can use yet: "
              << (manifest.recordings.empty() ? "nothing is recorded" : "its recordings are taken by their file names")
              << ".\nMake a pack of it with: tablo-voice-pack build --from " << folder.string() << " --out PACK\n";
    for (const auto& i : ignored) std::cout << "  ignored: " << i << "\n";
    std::cout << "\n";
  }
  const CallSpeech calls = options.calls(manifest.language);
  if (manifest.language && options.settings().language != (*manifest.language == Language::ru ? "ru" : "en")) {
    std::cout << "note: the pack speaks " << language_name(*manifest.language)
              << ", and so will the screen, whatever its language setting\n\n";
  }
  const PackCheck found = check_pack(folder, manifest, calls);
  const std::string name = manifest.name.empty() ? folder.filename().string() : manifest.name;
  return print_check(folder, name, calls, found, how_to_finish.empty() ? advice(folder, "check") : how_to_finish) ? 0
                                                                                                                  : 1;
}

void print_slowed(const PackBuild& build) {
  std::string slowed;
  for (const auto& b : build.built) {
    if (b.audio.slowed) {
      slowed += fmt::format("{}\"{}\" {:.2f} s → {:.2f} s", slowed.empty() ? "" : ", ", b.words,
                            b.audio.sounded_seconds, b.audio.pcm.sounding_seconds());
    }
  }
  if (!slowed.empty()) std::cout << "  slowed to a syllable: " << slowed << "\n";
}

int build(const std::string& from, const std::string& out, const std::string& name, const CallOptions& options) {
  if (from.empty()) {
    Speech speech;
    const PackBuild built = build_synthesised_pack(options.calls(std::nullopt), speech, out);
    std::cout << fmt::format("voice pack {}: {} words and a chime in {}, at {} LUFS\n",
                             built.language == Language::ru ? "ru" : "en", built.built.size(), out, pack_loudness_lufs);
    print_slowed(built);
    return 0;
  }
  const Language fallback = options.settings().language == "en" ? Language::en : Language::ru;
  const PackBuild built = build_recorded_pack(from, fallback, name, out);
  double quietest = std::numeric_limits<double>::infinity(), loudest = -quietest;
  for (const auto& b : built.built) {
    quietest = std::min(quietest, b.audio.level.before_lufs);
    loudest = std::max(loudest, b.audio.level.before_lufs);
  }
  std::cout << fmt::format("voice pack «{}» ({}): {} recordings from {} in {}\n", built.name,
                           built.language == Language::ru ? "ru" : "en", built.built.size(), from, out);
  if (!built.built.empty()) {
    std::cout << fmt::format("  levelled to {} LUFS (as recorded: {:.1f} to {:.1f} LUFS), silence trimmed\n",
                             pack_loudness_lufs, quietest, loudest);
  }
  print_slowed(built);
  for (const auto& i : built.ignored) std::cout << "  ignored: " << i << "\n";
  print_problems("left out, could not be used (fix the file and build again)", built.unusable);
  std::cout << "\n";
  // What is still missing; the exit code says whether the recordings were usable.
  check(out, options, advice(from, "build"));
  return built.unusable.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  av_log_set_level(AV_LOG_ERROR);  // FFmpeg's notes on timestamps are not for the announcer; our errors name the file
  // Before subcommands, `tablo-voice-pack --language ru --out DIR` built a pack: it still does.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front().rfind("--", 0) == 0 && args.front() != "--help") args.insert(args.begin(), "build");
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first

  CLI::App app{"tablo-voice-pack: build a voice pack from recordings or with espeak-ng, and check one",
               "tablo-voice-pack"};
  app.require_subcommand(1);
  CallOptions options;
  std::string from, out, name, folder;

  auto* build_cmd =
      app.add_subcommand("build", "write a pack: the recordings of --from made ready, or espeak-ng's words");
  build_cmd->add_option("--out", out, "folder to write the pack into")->required();
  build_cmd->add_option("--from", from, "a folder of recordings (named after their words, or with a manifest.toml)");
  build_cmd->add_option("--name", name, "the pack's name, for the log (default: the manifest's or the folder's)");
  options.add_to(build_cmd);

  auto* check_cmd = app.add_subcommand("check", "list what a pack lacks for the calls; exit code 1 when incomplete");
  check_cmd->add_option("pack", folder, "the voice pack folder (default: the config's announcements.voice_pack)");
  options.add_to(check_cmd);

  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*build_cmd) return build(from, out, name, options);
    if (folder.empty() && !options.config_file.empty()) folder = options.settings().voice_pack;
    if (folder.empty()) {
      std::cerr
          << "tablo-voice-pack check: which pack? Give its folder, or --config with announcements.voice_pack set\n";
      return 2;
    }
    return check(folder, options);
  } catch (const std::exception& e) {
    std::cerr << "tablo-voice-pack: " << e.what() << "\n";
    return 2;
  }
}
