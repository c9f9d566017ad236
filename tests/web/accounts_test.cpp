#include <catch2/catch.hpp>
#include <sodium.h>

#include "tests/support/process.hpp"
#include "web/accounts.hpp"
#include "web/secrets.hpp"

using namespace tablo::web;

TEST_CASE("passwords are argon2id hashes, sessions and tokens are kept as hashes of their secrets") {
  REQUIRE(sodium_init() >= 0);
  tablo::test::TempDir dir;
  Database db(dir.path() + "/web.sqlite");
  CHECK(text_of(db.run("PRAGMA journal_mode")[0][0]) == "wal");
  Accounts accounts(db, std::chrono::hours(1));
  accounts.add({"ivanova", Role::operator_, "3", ""}, "correct horse");
  CHECK(text_of(db.run("SELECT password FROM accounts")[0][0]).starts_with("$argon2id$"));
  CHECK(accounts.check_password("ivanova", "correct horse")->window == "3");
  CHECK_FALSE(accounts.check_password("ivanova", "wrong horse"));
  CHECK_FALSE(accounts.check_password("nobody", "correct horse"));

  const auto session = accounts.open_session("ivanova");
  CHECK(accounts.session(session.cookie)->csrf == session.csrf);
  CHECK(db.run("SELECT 1 FROM sessions WHERE hash = ?", {session.cookie}).empty());  // not the secret itself
  accounts.set_password("ivanova", "battery staple");
  CHECK_FALSE(accounts.session(session.cookie));  // a new password ends every session

  std::int64_t id = 0;
  const auto token = accounts.add_token("queue-system", Role::operator_, "admin", id);
  CHECK(accounts.token(token)->name == "token:queue-system");
  CHECK(accounts.revoke_token(id));
  CHECK_FALSE(accounts.token(token));
}

TEST_CASE("accounts refuse what cannot work, saying why") {
  REQUIRE(sodium_init() >= 0);
  tablo::test::TempDir dir;
  Database db(dir.path() + "/web.sqlite");
  Accounts accounts(db, std::chrono::hours(1));
  CHECK_THROWS_WITH(accounts.add({"a b", Role::admin, "", ""}, "long enough"), Catch::Contains("letters, digits"));
  CHECK_THROWS_WITH(accounts.add({"ok", Role::admin, "", ""}, "short"), Catch::Contains("at least 8"));
  CHECK_THROWS_WITH(accounts.add({"ok", Role::staff, "3", ""}, "long enough"), Catch::Contains("only an operator"));
  accounts.add({"ok", Role::staff, "", ""}, "long enough");
  CHECK_THROWS_WITH(accounts.add({"ok", Role::staff, "", ""}, "long enough"), Catch::Contains("already"));
}
