#include <catch2/catch.hpp>

#include "config/load.hpp"

using tablo::config::ConfigError;
using tablo::config::load_string;

TEST_CASE("[web] is read with the rest of tablo.toml, and its mistakes are named by line and column") {
  const auto s = load_string("[web]\nlisten = \"0.0.0.0:443\"\ncertificate = \"c.pem\"\nprivate_key = \"k.pem\"\nzones = [\"main\", \"up\"]\n", "t.toml");
  CHECK(s.web.listen == "0.0.0.0:443");
  CHECK(s.web.zones == std::vector<std::string>{"main", "up"});
  CHECK_THROWS_WITH(load_string("[web]\nlisten = \"[::1]:8080\"\n", "t.toml"), Catch::StartsWith("t.toml:2:10: web.listen: expected \"HOST:PORT\" with an IPv4"));
  CHECK_THROWS_WITH(load_string("[web]\ncertificate = \"c.pem\"\n", "t.toml"), Catch::Contains("web.certificate: needs web.private_key too"));
  CHECK_THROWS_WITH(load_string("[web]\nsession_hours = 0\n", "t.toml"), Catch::StartsWith("t.toml:2:17: web.session_hours: expected a number from 0.1 to 168"));
  CHECK_THROWS_WITH(load_string("[web]\nlistne = \"x\"\n", "t.toml"), Catch::Contains("unknown key 'web.listne'"));
  CHECK_THROWS_WITH(load_string("[web]\nzones = [\"Main\"]\n", "t.toml"), Catch::Contains("web.zones: expected zone names"));
}
