#pragma once
// Where a screen's fetcher gets the token its URLs carry (?t=) and the hub's media endpoint:
// the screen asks its hub over its report line (display/hub_tokens.hpp); a test, or a branch
// that serves its files from an open mirror only, gives a fixed one.
#include <cstdint>
#include <optional>
#include <string>

namespace tablo::fetch {

struct MediaToken {
  std::string token;         // empty: the URLs carry none
  std::string hub_base;      // "http://10.0.0.5:8787/media/"; empty: only the mirrors are asked
  std::int64_t expires = 0;  // unix seconds; 0: never
};

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A fresh token, or nullopt with `why` there is none. Called on the fetcher's thread; may block
  // a few seconds.
  virtual std::optional<MediaToken> ask(std::string& why) = 0;
  // The fetcher stops: an ask() under way returns soon, and later ones at once.
  virtual void cancel() {}
};

class FixedToken : public TokenSource {
 public:
  explicit FixedToken(MediaToken token) : token_(std::move(token)) {}
  std::optional<MediaToken> ask(std::string&) override { return token_; }

 private:
  MediaToken token_;
};

}  // namespace tablo::fetch
