#pragma once
// A prepared SQLite statement. Obtain one from Transaction::prepare(); it must not outlive the
// Transaction (nor be used after commit), and is used only by the thread that owns that
// Transaction.
//
// Errors: every failing call throws std::system_error whose code() is in store::category()
// (see store_errors.h), e.g. `e.code() == store::errc::unique_constraint`. what() carries the
// SQLite message and the SQL text.
//
// Bind indices are 1-based (as in SQL `?1`); column indices are 0-based (as in SQLite).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "store/store_errors.h"

struct sqlite3;
struct sqlite3_stmt;

namespace store {

namespace detail {

class Connection;

// Releases a statement: a statement borrowed from the Db's cache is reset and handed back; any
// other is finalized.
struct StatementRelease {
  bool* cache_in_use = nullptr;
  void operator()(sqlite3_stmt* stmt) const;
};

// Throws std::system_error for the SQLite result `rc` on `db`, naming `sql`.
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view sql);

}  // namespace detail

class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  template <class T>
  requires std::is_integral_v<T> Statement& bind(int index, T value) {
    return bind_int64(index, static_cast<int64_t>(value));
  }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::nullptr_t);
  Statement& bind(int index, std::nullopt_t) { return bind(index, nullptr); }
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, nullptr);
  }

  // Binds args to parameters 1..N in order.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Runs the statement to its next row: true while a row is available, false when done.
  bool step();
  // Rewinds the statement and clears its bindings so it can run again.
  void reset();

  int column_count() const;
  bool is_null(int column) const;
  std::string text(int column) const;  // NULL reads as ""
  int64_t int64(int column) const;     // NULL reads as 0
  double real(int column) const;       // NULL reads as 0.0
  std::optional<std::string> optional_text(int column) const;
  std::optional<int64_t> optional_int64(int column) const;

  std::string_view sql() const;

 private:
  friend class detail::Connection;
  Statement(sqlite3_stmt* stmt, bool* cache_in_use) : stmt_(stmt, {cache_in_use}) {}

  Statement& bind_int64(int index, int64_t value);

  std::unique_ptr<sqlite3_stmt, detail::StatementRelease> stmt_;
};

}  // namespace store
