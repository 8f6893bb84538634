#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "store/db.h"
#include "store/migrations.h"
#include "store/store_errors.h"
#include "store/transaction.h"

namespace store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("gantry_store_test_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path db_file() const { return dir_ / "nested" / "state.db"; }

  static int64_t count(Db& db, const std::string& table) {
    Transaction tx = db.read();
    int64_t n = -1;
    tx.query("SELECT COUNT(*) FROM " + table, [&](const Statement& row) { n = row.int64(0); });
    tx.commit();
    return n;
  }

  static void insert_credential(Transaction& tx, const std::string& key_id) {
    tx.execute(
        "INSERT INTO sts_credentials (access_key_id, secret_access_key, session_token, account, "
        "arn, user_id, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        key_id, "secret", "token", "000000000000", "arn:aws:iam::000000000000:root", "AIDA", 42);
  }

  std::filesystem::path dir_;
};

int latest_migration() { return all_migrations().back().version; }

TEST_F(StoreTest, OpenRunsMigrationsAndRecordsUserVersion) {
  Db db = Db::open(db_file());
  EXPECT_TRUE(std::filesystem::exists(db_file()));
  EXPECT_EQ(db.schema_version(), latest_migration());
  EXPECT_EQ(count(db, "sts_credentials"), 0);
}

TEST_F(StoreTest, ReopeningAFileKeepsRowsAndDoesNotRerunMigrations) {
  {
    Db db = Db::open(db_file());
    Transaction tx = db.begin();
    insert_credential(tx, "ASIA1");
    tx.commit();
  }
  // Re-running 0001 would fail on "table already exists" and abort the test binary.
  Db db = Db::open(db_file());
  EXPECT_EQ(db.schema_version(), latest_migration());
  EXPECT_EQ(count(db, "sts_credentials"), 1);
}

TEST_F(StoreTest, InMemoryDatabaseIsMigrated) {
  Db db = Db::open_in_memory();
  EXPECT_EQ(db.schema_version(), latest_migration());
  EXPECT_TRUE(db.path().empty());
}

TEST_F(StoreTest, DestroyingAnUncommittedTransactionDiscardsItsWrites) {
  Db db = Db::open(db_file());
  {
    Transaction tx = db.begin();
    insert_credential(tx, "ASIA1");
  }
  EXPECT_EQ(count(db, "sts_credentials"), 0);
}

TEST_F(StoreTest, ExplicitRollbackDiscardsWritesAndReleasesTheLock) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  insert_credential(tx, "ASIA1");
  tx.rollback();
  // A second transaction on this thread would CHECK-fail if the lock were still held.
  EXPECT_EQ(count(db, "sts_credentials"), 0);
}

TEST_F(StoreTest, DuplicatePrimaryKeyYieldsUniqueConstraint) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  insert_credential(tx, "ASIA1");
  try {
    insert_credential(tx, "ASIA1");
    FAIL() << "expected a unique constraint error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), errc::unique_constraint);
    EXPECT_TRUE(is_constraint(e.code()));
  }
}

TEST_F(StoreTest, DuplicateUniqueColumnYieldsUniqueConstraintFromTryExecute) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  tx.exec("CREATE TABLE clusters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
  ASSERT_TRUE(tx.try_execute("INSERT INTO clusters (name) VALUES (?)", "web"));
  auto again = tx.try_execute("INSERT INTO clusters (name) VALUES (?)", "web");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::unique_constraint);
  auto null_name = tx.try_execute("INSERT INTO clusters (name) VALUES (?)", nullptr);
  ASSERT_FALSE(null_name);
  EXPECT_EQ(null_name.error(), errc::not_null_constraint);
}

TEST_F(StoreTest, TransactionStaysUsableAfterAConstraintViolation) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  insert_credential(tx, "ASIA1");
  EXPECT_THROW(insert_credential(tx, "ASIA1"), std::system_error);
  insert_credential(tx, "ASIA2");
  tx.commit();
  EXPECT_EQ(count(db, "sts_credentials"), 2);
}

TEST_F(StoreTest, TwoThreadsWritingConcurrentlyBothSucceed) {
  Db db = Db::open(db_file());
  {
    Transaction tx = db.begin();
    tx.exec("CREATE TABLE events (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL)");
    tx.commit();
  }
  constexpr int kPerThread = 200;
  auto writer = [&db](int id) {
    for (int i = 0; i < kPerThread; ++i) {
      Transaction tx = db.begin();
      tx.execute("INSERT INTO events (writer) VALUES (?)", id);
      tx.commit();
    }
  };
  std::thread a(writer, 1);
  std::thread b(writer, 2);
  a.join();
  b.join();
  EXPECT_EQ(count(db, "events"), 2 * kPerThread);
}

TEST_F(StoreTest, WipeEmptiesEveryTableButKeepsTheSchema) {
  Db db = Db::open(db_file());
  {
    Transaction tx = db.begin();
    // The parent sorts first, so wipe() deletes it before its child: foreign keys must be deferred.
    tx.exec(
        "CREATE TABLE aaa_parent (id INTEGER PRIMARY KEY AUTOINCREMENT);"
        "CREATE TABLE zzz_child (id INTEGER PRIMARY KEY,"
        "  parent INTEGER NOT NULL REFERENCES aaa_parent(id));");
    tx.execute("INSERT INTO aaa_parent DEFAULT VALUES");
    tx.execute("INSERT INTO zzz_child (parent) VALUES (?)", tx.last_insert_rowid());
    insert_credential(tx, "ASIA1");
    tx.commit();
  }
  db.wipe();
  EXPECT_EQ(count(db, "aaa_parent"), 0);
  EXPECT_EQ(count(db, "zzz_child"), 0);
  EXPECT_EQ(count(db, "sts_credentials"), 0);
  EXPECT_EQ(db.schema_version(), latest_migration());
  // The tables still exist and AUTOINCREMENT starts over.
  Transaction tx = db.begin();
  tx.execute("INSERT INTO aaa_parent DEFAULT VALUES");
  EXPECT_EQ(tx.last_insert_rowid(), 1);
  tx.commit();
}

TEST_F(StoreTest, ForeignKeysAreEnforced) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  tx.exec(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (parent INTEGER NOT NULL REFERENCES parent(id));");
  auto result = tx.try_execute("INSERT INTO child (parent) VALUES (?)", 7);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::foreign_key_constraint);
}

TEST_F(StoreTest, BadSqlYieldsSqlErrorInsteadOfCrashing) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  try {
    tx.execute("SELEC 1");
    FAIL() << "expected an SQL error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), errc::sql_error);
    EXPECT_NE(std::string(e.what()).find("SELEC 1"), std::string::npos);
  }
  auto missing = tx.try_execute("SELECT * FROM no_such_table");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), errc::sql_error);
  EXPECT_THROW(tx.exec("CREATE TABLE ("), std::system_error);
  // The transaction is still good.
  EXPECT_EQ(tx.execute("CREATE TABLE ok (x)"), 0);
  tx.commit();
}

TEST_F(StoreTest, PrepareRejectsMoreThanOneStatement) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  try {
    tx.prepare("SELECT 1; SELECT 2");
    FAIL() << "expected misuse";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), errc::misuse);
  }
}

TEST_F(StoreTest, BindIndexOutOfRangeIsMisuse) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  Statement statement = tx.prepare("SELECT ?");
  try {
    statement.bind(2, 1);
    FAIL() << "expected misuse";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), errc::misuse);
  }
}

TEST_F(StoreTest, ValuesRoundTripThroughBindAndColumns) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  tx.exec("CREATE TABLE v (t TEXT, i INTEGER, r REAL, n TEXT, o INTEGER)");
  std::optional<int64_t> none;
  std::optional<int64_t> some = 9;
  tx.execute("INSERT INTO v VALUES (?, ?, ?, ?, ?)", std::string("a\0b", 3), int64_t{1} << 40, 2.5,
             none, some);
  int rows = 0;
  tx.query("SELECT t, i, r, n, o FROM v", [&](const Statement& row) {
    ++rows;
    EXPECT_EQ(row.column_count(), 5);
    EXPECT_EQ(row.text(0), std::string("a\0b", 3));
    EXPECT_EQ(row.int64(1), int64_t{1} << 40);
    EXPECT_DOUBLE_EQ(row.real(2), 2.5);
    EXPECT_TRUE(row.is_null(3));
    EXPECT_EQ(row.optional_text(3), std::nullopt);
    EXPECT_EQ(row.optional_int64(4), 9);
  });
  EXPECT_EQ(rows, 1);
}

TEST_F(StoreTest, QueryNestedInsideTheSameQueryGetsItsOwnStatement) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  tx.exec("CREATE TABLE n (x INTEGER); INSERT INTO n VALUES (1), (2);");
  const char* sql = "SELECT x FROM n WHERE x >= ? ORDER BY x";
  std::vector<std::pair<int64_t, int64_t>> pairs;
  tx.query(
      sql,
      [&](const Statement& outer) {
        int64_t x = outer.int64(0);
        tx.query(
            sql, [&](const Statement& inner) { pairs.emplace_back(x, inner.int64(0)); }, x);
      },
      1);
  std::vector<std::pair<int64_t, int64_t>> want = {{1, 1}, {1, 2}, {2, 2}};
  EXPECT_EQ(pairs, want);
}

TEST_F(StoreTest, CachedStatementIsReusableAfterAFailedStep) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  tx.exec("CREATE TABLE u (k TEXT PRIMARY KEY)");
  const char* sql = "INSERT INTO u (k) VALUES (?)";
  tx.execute(sql, "a");
  EXPECT_FALSE(tx.try_execute(sql, "a"));
  EXPECT_EQ(tx.execute(sql, "b"), 1);
}

TEST_F(StoreTest, ChangesCountsRowsAffected) {
  Db db = Db::open_in_memory();
  Transaction tx = db.begin();
  tx.exec("CREATE TABLE c (x INTEGER); INSERT INTO c VALUES (1), (2), (3);");
  EXPECT_EQ(tx.execute("UPDATE c SET x = x + 1 WHERE x >= ?", 2), 2);
  EXPECT_EQ(tx.execute("DELETE FROM c"), 3);
}

TEST_F(StoreTest, ChangeCountersMoveWithTheirTablesOnly) {
  Db db = Db::open_in_memory();
  auto sts = db.change_counter({"sts_credentials"});
  auto both = db.change_counter({"sts_credentials", "iam_access_keys"});
  auto moved = [](const std::shared_ptr<const std::atomic<uint64_t>>& c, uint64_t& seen) {
    uint64_t now = c->load();
    bool changed = now != seen;
    seen = now;
    return changed;
  };
  uint64_t a = sts->load();
  uint64_t b = both->load();
  {
    Transaction tx = db.begin();
    tx.execute("INSERT INTO sts_credentials (access_key_id, secret_access_key, session_token, "
               "account, arn, user_id, expires_at_ms) VALUES ('k', 's', 't', 'a', 'r', 'u', 0)");
    tx.commit();
  }
  EXPECT_TRUE(moved(sts, a));
  EXPECT_TRUE(moved(both, b));
  {
    Transaction tx = db.begin();  // another table: neither moves
    tx.execute("INSERT INTO ddb_settings (name, value) VALUES ('x', '1')");
    tx.commit();
  }
  EXPECT_FALSE(moved(sts, a));
  EXPECT_FALSE(moved(both, b));
  {
    Transaction tx = db.begin();  // rolled back: still counted
    tx.execute("UPDATE sts_credentials SET arn = 'r2'");
  }
  EXPECT_TRUE(moved(sts, a));
  db.wipe();  // its DELETEs bypass the hook
  EXPECT_TRUE(moved(sts, a));
  EXPECT_TRUE(moved(both, b));
}

TEST_F(StoreTest, NotFoundIsAStoreErrorCode) {
  std::error_code ec = errc::not_found;
  EXPECT_EQ(ec.category(), category());
  EXPECT_EQ(ec.message(), "not found");
  EXPECT_FALSE(is_constraint(ec));
}

TEST_F(StoreTest, OpeningAnUnopenablePathThrowsCantOpen) {
  std::filesystem::create_directories(dir_ / "a_directory");
  try {
    Db::open(dir_ / "a_directory");
    FAIL() << "expected an error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), errc::cant_open);
  }
}

}  // namespace
}  // namespace store
