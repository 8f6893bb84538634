#include "store/statement.h"

#include <sqlite3.h>

#include <system_error>

namespace store {

namespace detail {

void StatementRelease::operator()(sqlite3_stmt* stmt) const {
  if (cache_in_use != nullptr) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    *cache_in_use = false;
  } else {
    sqlite3_finalize(stmt);
  }
}

void throw_sqlite(sqlite3* db, int rc, std::string_view sql) {
  std::string what = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  what += " (sqlite ";
  what += std::to_string(rc);
  what += ")";
  if (!sql.empty()) {
    constexpr std::size_t kMaxSql = 300;
    what += " in: ";
    what += sql.substr(0, kMaxSql);
    if (sql.size() > kMaxSql) {
      what += "...";
    }
  }
  throw std::system_error(make_error_code(errc_from_sqlite(rc)), what);
}

}  // namespace detail

namespace {

void check_bind(sqlite3_stmt* stmt, int rc) {
  if (rc != SQLITE_OK) {
    detail::throw_sqlite(sqlite3_db_handle(stmt), rc, sqlite3_sql(stmt));
  }
}

}  // namespace

Statement& Statement::bind(int index, std::string_view value) {
  check_bind(stmt_.get(), sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(),
                                              SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_int64(int index, int64_t value) {
  check_bind(stmt_.get(), sqlite3_bind_int64(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check_bind(stmt_.get(), sqlite3_bind_double(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
  check_bind(stmt_.get(), sqlite3_bind_null(stmt_.get(), index));
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  detail::throw_sqlite(sqlite3_db_handle(stmt_.get()), rc, sql());
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int Statement::column_count() const { return sqlite3_column_count(stmt_.get()); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_.get(), column);
  if (p == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)));
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_.get(), column); }

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

std::optional<int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return int64(column);
}

std::string_view Statement::sql() const {
  const char* s = sqlite3_sql(stmt_.get());
  return s != nullptr ? std::string_view(s) : std::string_view();
}

}  // namespace store
