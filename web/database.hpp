#pragma once
// The console's SQLite file: one connection, statements with bound values, RAII handles.
// WAL mode, so that the audit log's writes never block a reader.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace tablo::web {

// The database could not be opened or a statement failed; the message names the file.
struct DatabaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Value = std::variant<std::nullptr_t, std::int64_t, std::string>;
using Row = std::vector<Value>;

class Database {
 public:
  explicit Database(const std::string& path);  // creates the file and its tables; throws DatabaseError

  // Runs `sql` with `values` bound to its ?s; the rows it gave. Thread-safe.
  std::vector<Row> run(const std::string& sql, const std::vector<Value>& values = {});
  // Runs a statement that changes rows; how many it changed.
  int change(const std::string& sql, const std::vector<Value>& values = {});

  const std::string& path() const { return path_; }

 private:
  std::vector<Row> run_locked(const std::string& sql, const std::vector<Value>& values);

  std::string path_;
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_{nullptr, &sqlite3_close};
  std::mutex mutex_;
};

inline std::string text_of(const Value& v) { return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : ""; }
inline std::int64_t number_of(const Value& v) { return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0; }

}  // namespace tablo::web
