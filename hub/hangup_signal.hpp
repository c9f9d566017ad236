#pragma once
// SIGHUP as a readable file descriptor (the self-pipe trick, as StopSignal): the socket loop
// wakes at once and reloads the settings on its own thread, where the handler could not.
namespace tablo::hub {

class HangupSignal {
 public:
  // Installs the handler; there can be one HangupSignal at a time.
  HangupSignal();
  ~HangupSignal();
  HangupSignal(const HangupSignal&) = delete;
  HangupSignal& operator=(const HangupSignal&) = delete;

  // Becomes readable when SIGHUP arrived.
  int fd() const;
  // Empties the pipe: several SIGHUPs before the loop looked mean one reload.
  static void drain(int fd);
};

}  // namespace tablo::hub
