#pragma once
// Errors from the store as std::error_code values in the "gantry.store" category.
//
// SQLite's (extended) result codes are folded into store::errc so that callers branch on meaning,
// never on message text:
//
//   try {
//     tx.execute("INSERT INTO clusters (arn, name) VALUES (?, ?)", arn, name);
//   } catch (const std::system_error& e) {
//     if (e.code() == store::errc::unique_constraint) return errors::already_exists();
//     throw;
//   }
//
// The raw SQLite code and message stay in what() for the log.

#include <sqlite3.h>

#include <string>
#include <system_error>

namespace store {

enum class errc {
  ok = 0,
  unique_constraint,       // UNIQUE or PRIMARY KEY violated: the row already exists
  foreign_key_constraint,  // FOREIGN KEY violated
  not_null_constraint,     // NOT NULL violated
  constraint,              // any other constraint (CHECK, trigger RAISE)
  busy,                    // SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock
  not_found,               // a row the caller required is missing (raised by callers, not SQLite)
  sql_error,               // SQLITE_ERROR: bad SQL, unknown table or column
  misuse,                  // API misuse: bad bind index, several statements passed to prepare()
  readonly,                // the database file is read-only
  io_error,                // disk I/O error
  corrupt,                 // the file is not a database or is damaged
  full,                    // disk full
  cant_open,               // the file cannot be opened
  internal,                // any other SQLite result
};

}  // namespace store

template <>
struct std::is_error_code_enum<store::errc> : std::true_type {};

namespace store {

namespace detail {

class StoreCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "gantry.store"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::ok:
        return "ok";
      case errc::unique_constraint:
        return "unique constraint violated";
      case errc::foreign_key_constraint:
        return "foreign key constraint violated";
      case errc::not_null_constraint:
        return "not null constraint violated";
      case errc::constraint:
        return "constraint violated";
      case errc::busy:
        return "database busy";
      case errc::not_found:
        return "not found";
      case errc::sql_error:
        return "SQL error";
      case errc::misuse:
        return "store API misuse";
      case errc::readonly:
        return "database is read-only";
      case errc::io_error:
        return "disk I/O error";
      case errc::corrupt:
        return "database is corrupt";
      case errc::full:
        return "disk full";
      case errc::cant_open:
        return "cannot open database";
      case errc::internal:
        return "internal SQLite error";
    }
    return "unknown store error";
  }
};

}  // namespace detail

inline const std::error_category& category() {
  static const detail::StoreCategory instance;
  return instance;
}

inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), category()}; }

// Folds a SQLite result code (primary or extended) into errc.
inline errc errc_from_sqlite(int code) {
  switch (code) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return errc::ok;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
      return errc::unique_constraint;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return errc::foreign_key_constraint;
    case SQLITE_CONSTRAINT_NOTNULL:
      return errc::not_null_constraint;
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return errc::constraint;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return errc::busy;
    case SQLITE_ERROR:
      return errc::sql_error;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return errc::misuse;
    case SQLITE_READONLY:
      return errc::readonly;
    case SQLITE_IOERR:
      return errc::io_error;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return errc::corrupt;
    case SQLITE_FULL:
      return errc::full;
    case SQLITE_CANTOPEN:
      return errc::cant_open;
    default:
      return errc::internal;
  }
}

// True for every kind of constraint violation, unique or not.
inline bool is_constraint(std::error_code ec) {
  return ec == errc::unique_constraint || ec == errc::foreign_key_constraint ||
         ec == errc::not_null_constraint || ec == errc::constraint;
}

}  // namespace store
