#include <catch2/catch.hpp>

#include "web/login_throttle.hpp"

using tablo::web::LoginThrottle;
using namespace std::chrono_literals;

TEST_CASE("an account takes no password after five failures until the oldest ages out") {
  LoginThrottle throttle(5, 20, 900s);
  const auto t0 = LoginThrottle::Clock::now();
  for (int i = 0; i < 5; ++i) {
    CHECK(throttle.wait("op3", "10.0.0.1", t0 + i * 1s).count() == 0);
    throttle.failed("op3", "10.0.0.1", t0 + i * 1s);
  }
  CHECK(throttle.wait("op3", "10.0.0.9", t0 + 10s).count() == 890);  // from any address
  CHECK(throttle.wait("op4", "10.0.0.1", t0 + 10s).count() == 0);    // another account is not held up
  CHECK(throttle.wait("op3", "10.0.0.9", t0 + 900s).count() == 0);   // the first failure aged out
}

TEST_CASE("an address that guesses many accounts is held up whatever name it tries") {
  LoginThrottle throttle(5, 20, 900s);
  const auto t0 = LoginThrottle::Clock::now();
  for (int i = 0; i < 20; ++i) throttle.failed("name" + std::to_string(i), "10.0.0.66", t0);
  CHECK(throttle.wait("someone-new", "10.0.0.66", t0 + 1s).count() > 0);
  CHECK(throttle.wait("someone-new", "10.0.0.67", t0 + 1s).count() == 0);
}

TEST_CASE("a right password clears the account's failures") {
  LoginThrottle throttle(5, 20, 900s);
  const auto t0 = LoginThrottle::Clock::now();
  for (int i = 0; i < 4; ++i) throttle.failed("op3", "10.0.0.1", t0);
  throttle.succeeded("op3");
  throttle.failed("op3", "10.0.0.1", t0);
  CHECK(throttle.wait("op3", "10.0.0.1", t0).count() == 0);
}
