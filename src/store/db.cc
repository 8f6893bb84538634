#include "store/db.h"

#include <sqlite3.h>

#include <string>
#include <system_error>
#include <vector>

#include "core/check.h"
#include "core/log.h"
#include "store/migrations.h"

namespace store {

namespace detail {

Connection::Connection(sqlite3* handle, std::filesystem::path path)
    : handle_(handle), path_(std::move(path)) {
  sqlite3_update_hook(
      handle_,
      [](void* self, int op, const char* db, const char* table, sqlite3_int64 rowid) {
        on_update(self, op, db, table, rowid);
      },
      this);
}

void Connection::on_update(void* self, int, const char*, const char* table, int64_t) {
  auto* c = static_cast<Connection*>(self);
  auto it = c->watched_.find(std::string_view(table));
  if (it == c->watched_.end()) return;
  for (const Counter& counter : it->second) counter->fetch_add(1);
}

std::shared_ptr<const std::atomic<uint64_t>> Connection::watch(
    const std::vector<std::string>& tables) {
  auto counter = std::make_shared<std::atomic<uint64_t>>(0);
  for (const std::string& table : tables) {
    bool without_rowid = false;
    bool exists = false;
    Statement st = prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1");
    st.bind_all(table);
    while (st.step()) {
      exists = true;
      without_rowid = st.int64(0) != 0;
    }
    CHECK(exists && !without_rowid)
        << "change_counter: " << table << " must be a rowid table of the database";
    watched_[table].push_back(counter);
  }
  return counter;
}

void Connection::bump_all() {
  for (auto& [table, counters] : watched_) {
    for (const Counter& counter : counters) counter->fetch_add(1);
  }
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) {
    CHECK(!cached.in_use) << "a Statement outlived its Db: " << sql;
    sqlite3_finalize(cached.stmt);
  }
  sqlite3_close_v2(handle_);
}

std::unique_lock<std::mutex> Connection::acquire() {
  CHECK(owner_.load() != std::this_thread::get_id())
      << "this thread already holds a Transaction on this Db; a second one would deadlock";
  std::unique_lock<std::mutex> lock(mutex_);
  owner_ = std::this_thread::get_id();
  return lock;
}

void Connection::disown() { owner_ = std::thread::id(); }

Statement Connection::prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(it->second.stmt, &it->second.in_use);
  }
  // Cache the first preparation of each text. A text already borrowed (a query nested inside its
  // own per-row callback) gets a private statement, finalized after use.
  bool cache = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()),
                              cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    throw_sqlite(handle_, rc, sql);
  }
  std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
  if (stmt == nullptr || rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    throw std::system_error(
        make_error_code(errc::misuse),
        "prepare() takes exactly one SQL statement (use exec() for scripts): " + key);
  }
  if (!cache) {
    return Statement(stmt, nullptr);
  }
  auto [pos, inserted] = cache_.emplace(std::move(key), CachedStatement{stmt, true});
  return Statement(stmt, &pos->second.in_use);
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    throw_sqlite(handle_, rc, sql);
  }
}

}  // namespace detail

namespace {

int user_version(detail::Connection& connection) {
  Statement statement = connection.prepare("PRAGMA user_version");
  CHECK(statement.step()) << "PRAGMA user_version returns one row";
  return static_cast<int>(statement.int64(0));
}

// Applies every migration newer than user_version, each in its own transaction. Fatal on failure.
void migrate(detail::Connection& connection) {
  const std::string where = connection.path().empty() ? ":memory:" : connection.path().string();
  int current = user_version(connection);
  std::span<const Migration> migrations = all_migrations();
  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    core::log::error("store: database schema is newer than this binary",
                     {{"db", where},
                      {"user_version", std::to_string(current)},
                      {"latest_migration", std::to_string(latest)}});
    CHECK(false) << "database " << where << " has schema version " << current
                 << " but this binary knows migrations only up to " << latest;
  }
  int previous = 0;
  for (const Migration& m : migrations) {
    CHECK(m.version > previous) << "migration versions must increase: " << m.name;
    previous = m.version;
    if (m.version <= current) {
      continue;
    }
    try {
      connection.exec("BEGIN IMMEDIATE");
      connection.exec(m.sql);
      connection.exec("PRAGMA user_version = " + std::to_string(m.version));
      connection.exec("COMMIT");
    } catch (const std::system_error& e) {
      core::log::error("store: migration failed", {{"db", where},
                                                   {"version", std::to_string(m.version)},
                                                   {"migration", std::string(m.name)},
                                                   {"error", e.what()}});
      CHECK(false) << "migration " << m.name << " failed on " << where << ": " << e.what();
    }
    core::log::debug("store: applied migration",
                     {{"db", where}, {"migration", std::string(m.name)}});
  }
}

std::string quote_identifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  quoted += '"';
  return quoted;
}

}  // namespace

Db::Db(std::unique_ptr<detail::Connection> connection) : connection_(std::move(connection)) {}
Db::Db(Db&&) noexcept = default;
Db& Db::operator=(Db&&) noexcept = default;
Db::~Db() = default;

Db Db::open(const std::filesystem::path& file) {
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path());
  }
  return open_path(file.string(), file);
}

Db Db::open_in_memory() { return open_path(":memory:", {}); }

Db Db::open_path(const std::string& sqlite_path, std::filesystem::path path) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(sqlite_path.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    throw std::system_error(make_error_code(errc_from_sqlite(rc)),
                            "open " + sqlite_path + ": " + message);
  }
  sqlite3_extended_result_codes(handle, 1);
  auto connection = std::make_unique<detail::Connection>(handle, std::move(path));
  // WAL lets a reader (sqlite3 CLI, a second process) look while we write; NORMAL sync is safe
  // under WAL. foreign_keys is per connection and off by default.
  connection->exec(
      "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = NORMAL;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA busy_timeout = 5000;");
  migrate(*connection);
  return Db(std::move(connection));
}

Transaction Db::begin() {
  std::unique_lock<std::mutex> lock = connection_->acquire();
  return Transaction(*connection_, std::move(lock), Transaction::Mode::Write);
}

Transaction Db::read() {
  std::unique_lock<std::mutex> lock = connection_->acquire();
  return Transaction(*connection_, std::move(lock), Transaction::Mode::Read);
}

void Db::wipe() {
  Transaction tx = begin();
  // Tables are emptied in name order, so a child may go after its parent; check keys at commit.
  tx.exec("PRAGMA defer_foreign_keys = ON");
  std::vector<std::string> tables;
  bool has_sequence = false;
  // pragma_table_list marks FTS shadow tables as 'shadow'; emptying the virtual table clears them.
  tx.query(
      "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') "
      "ORDER BY name",
      [&](const Statement& row) {
        std::string name = row.text(0);
        if (name == "sqlite_sequence") {
          has_sequence = true;
        } else if (!name.starts_with("sqlite_")) {
          tables.push_back(std::move(name));
        }
      });
  for (const std::string& table : tables) {
    tx.exec("DELETE FROM " + quote_identifier(table));
  }
  if (has_sequence) {
    tx.exec("DELETE FROM sqlite_sequence");
  }
  // "DELETE FROM t" without a WHERE clause empties t without the update hook.
  connection_->bump_all();
  tx.commit();
}

std::shared_ptr<const std::atomic<uint64_t>> Db::change_counter(
    const std::vector<std::string>& tables) {
  std::unique_lock<std::mutex> lock = connection_->acquire();
  auto counter = connection_->watch(tables);
  connection_->disown();
  return counter;
}

int Db::schema_version() {
  Transaction tx = read();
  int version = 0;
  tx.query("PRAGMA user_version",
           [&](const Statement& row) { version = static_cast<int>(row.int64(0)); });
  tx.commit();
  return version;
}

const std::filesystem::path& Db::path() const { return connection_->path(); }

}  // namespace store
