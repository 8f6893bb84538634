#pragma once
// The SQLite database holding all desired and observed state.
//
// One sqlite3 connection, guarded by one mutex. Every access goes through a Transaction, which
// holds that mutex for its lifetime, so callers on different threads simply take turns. Any thread
// may call any method; see transaction.h for the rules on a Transaction itself.
//
// Opening a database applies every pending migration (store/migrations.h), each in its own
// transaction, and records the last one in PRAGMA user_version. A failed migration is fatal: the
// process logs the migration and the SQLite error, then aborts, because serving on a half-migrated
// schema would corrupt state.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/statement.h"
#include "store/transaction.h"

struct sqlite3;

namespace store {

namespace detail {

// The connection behind a Db. Internal to the store: use Db and Transaction.
class Connection {
 public:
  explicit Connection(sqlite3* handle, std::filesystem::path path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Locks the connection for the calling thread; CHECKs that this thread does not hold it already.
  std::unique_lock<std::mutex> acquire();
  // Forgets the owning thread; the caller unlocks next.
  void disown();

  // Prepares one statement, borrowing it from the cache when it is free. Caller holds the lock.
  Statement prepare(std::string_view sql);
  // Runs ';'-separated SQL without parameters. Caller holds the lock.
  void exec(std::string_view sql);

  sqlite3* handle() const { return handle_; }
  const std::filesystem::path& path() const { return path_; }

  // Counters the update hook moves on each row change of their tables. Caller holds the lock.
  std::shared_ptr<const std::atomic<uint64_t>> watch(const std::vector<std::string>& tables);
  // Moves every counter (a wipe's DELETEs bypass the update hook). Caller holds the lock.
  void bump_all();

 private:
  using Counter = std::shared_ptr<std::atomic<uint64_t>>;
  static void on_update(void* self, int op, const char* db, const char* table, int64_t rowid);

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* handle_;
  std::filesystem::path path_;
  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
  std::unordered_map<std::string, CachedStatement> cache_;
  std::map<std::string, std::vector<Counter>, std::less<>> watched_;
};

}  // namespace detail

class Db {
 public:
  // Opens (creating it and its parent directory if needed) a database file and migrates it.
  // Throws std::system_error (store::errc::cant_open, ...) when the file cannot be opened.
  static Db open(const std::filesystem::path& file);
  // A private, empty, migrated database that lives as long as the Db. For tests.
  static Db open_in_memory();

  Db(Db&&) noexcept;
  Db& operator=(Db&&) noexcept;
  ~Db();

  // A write transaction (BEGIN IMMEDIATE).
  Transaction begin();
  // A read transaction (BEGIN DEFERRED). Writing through it works but is bad form; use begin().
  Transaction read();

  // Deletes every row of every user table, in one transaction, keeping the schema and
  // user_version. Used by POST /_gantry/reset.
  void wipe();
  // PRAGMA user_version: the version of the last migration applied.
  int schema_version();
  // A counter that moves whenever a row of one of `tables` (rowid tables: SQLite's update hook
  // does not see WITHOUT ROWID ones) may have changed through this Db: every INSERT, UPDATE and
  // DELETE, committed or rolled back, and every wipe(). Reading it touches no lock, so a cache of
  // rows can check it on each use: an unchanged value means unchanged rows.
  //   auto changes = db.change_counter({"sts_credentials"});
  //   if (changes->load() != seen) reload();
  std::shared_ptr<const std::atomic<uint64_t>> change_counter(
      const std::vector<std::string>& tables);
  // The database file; empty for an in-memory database.
  const std::filesystem::path& path() const;

 private:
  explicit Db(std::unique_ptr<detail::Connection> connection);
  static Db open_path(const std::string& sqlite_path, std::filesystem::path path);

  std::unique_ptr<detail::Connection> connection_;
};

}  // namespace store
