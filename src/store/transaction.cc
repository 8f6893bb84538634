#include "store/transaction.h"

#include <sqlite3.h>

#include "core/check.h"
#include "core/log.h"
#include "store/db.h"

namespace store {

Transaction::Transaction(detail::Connection& connection, std::unique_lock<std::mutex> lock,
                         Mode mode)
    : connection_(&connection), lock_(std::move(lock)) {
  try {
    connection_->exec(mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  } catch (...) {
    release();
    throw;
  }
  active_ = true;
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      lock_(std::move(other.lock_)),
      active_(std::exchange(other.active_, false)) {}

Transaction::~Transaction() {
  if (active_) {
    rollback();
  }
}

void Transaction::commit() {
  CHECK(active_) << "commit() on a transaction that already ended";
  // On failure (a deferred foreign key, say) the transaction stays open; the destructor rolls back.
  connection_->exec("COMMIT");
  active_ = false;
  release();
}

void Transaction::rollback() {
  CHECK(active_) << "rollback() on a transaction that already ended";
  active_ = false;
  // Some errors (SQLITE_FULL, SQLITE_IOERR) roll back by themselves; autocommit tells us so.
  if (sqlite3_get_autocommit(connection_->handle()) == 0) {
    try {
      connection_->exec("ROLLBACK");
    } catch (const std::system_error& e) {
      core::log::error("store: rollback failed", {{"error", e.what()}});
    }
  }
  release();
}

Statement Transaction::prepare(std::string_view sql) {
  CHECK(active_) << "prepare() on a transaction that already ended";
  return connection_->prepare(sql);
}

void Transaction::exec(std::string_view sql) {
  CHECK(active_) << "exec() on a transaction that already ended";
  connection_->exec(sql);
}

int64_t Transaction::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(connection_->handle());
}

int64_t Transaction::changes() const { return sqlite3_changes64(connection_->handle()); }

void Transaction::release() {
  if (lock_.owns_lock()) {
    connection_->disown();
    lock_.unlock();
  }
}

}  // namespace store
