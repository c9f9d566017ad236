#include "web/database.hpp"

#include <sys/stat.h>

#include <filesystem>

namespace tablo::web {
namespace {

// Accounts, sessions (by the hash of their cookie), integrations' API tokens (by hash) and the
// audit log: who did what, when, from where.
constexpr const char* schema = R"(
CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, window TEXT NOT NULL DEFAULT '',
  zone TEXT NOT NULL DEFAULT '', password TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (hash TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
  csrf TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (id INTEGER PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
  created INTEGER NOT NULL, created_by TEXT NOT NULL, revoked INTEGER);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL, address TEXT NOT NULL,
  what TEXT NOT NULL, result TEXT NOT NULL);
)";

}  // namespace

Database::Database(const std::string& path) : path_(path) {
  const auto folder = std::filesystem::path(path).parent_path();
  std::error_code ignored;
  if (!folder.empty()) std::filesystem::create_directories(folder, ignored);
  sqlite3* raw = nullptr;
  const mode_t old_mask = ::umask(077);  // password hashes and sessions: for tablo-web alone
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  ::umask(old_mask);
  db_.reset(raw);
  if (rc != SQLITE_OK)
    throw DatabaseError("cannot open the console's database " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory") +
                        " (set web.database to a writable file)");
  sqlite3_busy_timeout(raw, 5000);
  run("PRAGMA journal_mode=WAL");
  run("PRAGMA foreign_keys=ON");
  char* error = nullptr;
  if (sqlite3_exec(raw, schema, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string text = error ? error : "unknown error";
    sqlite3_free(error);
    throw DatabaseError("cannot set up the console's database " + path + ": " + text);
  }
}

std::vector<Row> Database::run(const std::string& sql, const std::vector<Value>& values) {
  std::lock_guard lock(mutex_);
  return run_locked(sql, values);
}

int Database::change(const std::string& sql, const std::vector<Value>& values) {
  std::lock_guard lock(mutex_);
  run_locked(sql, values);
  return sqlite3_changes(db_.get());
}

std::vector<Row> Database::run_locked(const std::string& sql, const std::vector<Value>& values) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw DatabaseError(path_ + ": " + sqlite3_errmsg(db_.get()));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, &sqlite3_finalize);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int at = static_cast<int>(i) + 1;
    if (const auto* n = std::get_if<std::int64_t>(&values[i])) {
      sqlite3_bind_int64(raw, at, *n);
    } else if (const auto* t = std::get_if<std::string>(&values[i])) {
      sqlite3_bind_text(raw, at, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(raw, at);
    }
  }
  std::vector<Row> rows;
  for (;;) {
    const int rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) throw DatabaseError(path_ + ": " + sqlite3_errmsg(db_.get()));
    Row row;
    for (int c = 0; c < sqlite3_column_count(raw); ++c) {
      switch (sqlite3_column_type(raw, c)) {
        case SQLITE_INTEGER: row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(raw, c))); break;
        case SQLITE_NULL: row.emplace_back(nullptr); break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, c));
          row.emplace_back(std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(raw, c))));
        }
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tablo::web
