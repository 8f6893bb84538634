#pragma once
// One SQLite transaction, holding the Db's lock for its lifetime: concurrent callers on other
// threads wait in Db::begin()/Db::read() until it ends. Obtain one from Db::begin() (BEGIN
// IMMEDIATE, for writes) or Db::read() (BEGIN DEFERRED, for reads).
//
// Contract:
//  - It is used by the thread that began it, and one thread holds at most one Transaction of a Db
//  at
//    a time (nesting would deadlock; it is CHECKed instead).
//  - commit() ends it and releases the lock; a Transaction destroyed without commit() rolls back.
//  - Statements it prepares must be destroyed before it commits or is destroyed.
//  - Errors throw std::system_error with a store::errc code (see store_errors.h). A failed
//  statement
//    undoes only itself; the transaction stays usable, so a caller may catch
//    errc::unique_constraint and carry on. try_execute() returns that code instead of throwing.

#include <boost/system/result.hpp>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <system_error>
#include <utility>

#include "store/statement.h"

namespace store {

namespace detail {
class Connection;
}

class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  void commit();
  // Discards every write now and releases the lock. The destructor does this if commit() never ran.
  void rollback();

  // Prepares one SQL statement. Statements are cached per SQL text inside the Db, so pass constant
  // SQL and bind values; never splice values into the text.
  Statement prepare(std::string_view sql);
  // Runs one or more ';'-separated statements without parameters (DDL, PRAGMA).
  void exec(std::string_view sql);

  // Runs one statement with args bound to ?1..?N, discarding rows; returns the rows it changed.
  template <class... Args>
  int64_t execute(std::string_view sql, const Args&... args) {
    Statement statement = prepare(sql);
    statement.bind_all(args...);
    while (statement.step()) {
    }
    return changes();
  }

  // execute(), with a failure returned as a store::errc code instead of thrown.
  template <class... Args>
  boost::system::result<int64_t, std::error_code> try_execute(std::string_view sql,
                                                              const Args&... args) {
    try {
      return execute(sql, args...);
    } catch (const std::system_error& e) {
      return e.code();
    }
  }

  // Runs a query with args bound to ?1..?N and calls per_row(const Statement&) for each row.
  template <class F, class... Args>
  void query(std::string_view sql, F&& per_row, const Args&... args) {
    Statement statement = prepare(sql);
    statement.bind_all(args...);
    while (statement.step()) {
      per_row(static_cast<const Statement&>(statement));
    }
  }

  int64_t last_insert_rowid() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t changes() const;

 private:
  friend class Db;
  enum class Mode { Write, Read };
  Transaction(detail::Connection& connection, std::unique_lock<std::mutex> lock, Mode mode);

  void release();

  detail::Connection* connection_;
  std::unique_lock<std::mutex> lock_;
  bool active_ = false;
};

}  // namespace store
