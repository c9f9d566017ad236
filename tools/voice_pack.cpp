// tablo-voice-pack: builds a voice pack with espeak-ng, one recording per word that calls
// can need, so that a screen never synthesises during a call. A recorded pack from a real
// announcer has the same layout: a folder with manifest.toml and the recordings.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "sound/speech.hpp"
#include "sound/voice_pack.hpp"

using namespace tablo::sound;

namespace {

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tablo-voice-pack: build a voice pack with espeak-ng"};
  std::string language = "ru", out_dir;
  std::string call_template;
  app.add_option("--language", language, "ru or en")->check(CLI::IsMember({"ru", "en"}));
  app.add_option("--out", out_dir, "folder to write the pack into")->required();
  app.add_option("--template", call_template, "the call template whose words to record (default: the language's)");
  CLI11_PARSE(app, argc, argv);

  const Language lang = language == "ru" ? Language::ru : Language::en;
  if (call_template.empty()) {
    call_template = lang == Language::ru ? "{chime} Талон {ticket}, пройдите {destination} номер {window}"
                                         : "{chime} Ticket {ticket}, please go to {destination} {window}";
  }
  try {
    std::filesystem::create_directories(out_dir);
    const PcmFormat format{22050, 1};
    Speech speech;
    std::ostringstream manifest;
    manifest << "# Built by tablo-voice-pack with espeak-ng. Replace any recording with a real voice.\n"
             << "language = \"" << language << "\"\nname = \"espeak-ng " << language << "\"\n"
             << "chime = \"chime.wav\"\n\n[words]\n";
    save_wav(default_chime(format), std::filesystem::path(out_dir) / "chime.wav");
    int n = 0;
    for (const auto& words : vocabulary(lang, call_template)) {
      std::ostringstream file;
      file << "w" << std::setw(3) << std::setfill('0') << ++n << ".wav";
      Pcm pcm = speech.say(words, lang, format);
      pcm.trim_silence();
      save_wav(pcm, std::filesystem::path(out_dir) / file.str());
      manifest << toml_string(words) << " = \"" << file.str() << "\"\n";
    }
    std::ofstream(std::filesystem::path(out_dir) / "manifest.toml") << manifest.str();
    std::cout << "voice pack " << language << ": " << n << " words and a chime in " << out_dir << "\n";
  } catch (const std::exception& e) {
    std::cerr << "tablo-voice-pack: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
