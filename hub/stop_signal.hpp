#pragma once
// SIGINT and SIGTERM as a readable file descriptor (the self-pipe trick), so the socket
// loop wakes at once from zmq::poll instead of finding out on its next timeout.
namespace tablo::hub {

class StopSignal {
 public:
  // Installs the handlers; there can be one StopSignal at a time.
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // Becomes readable when a stop was asked for.
  int fd() const;
  bool requested() const;
};

}  // namespace tablo::hub
