#include "services/dynamodb/ttl_sweeper.h"

#include <cstdlib>
#include <vector>

#include "core/json.h"
#include "core/log.h"
#include "services/dynamodb/core/attribute_value.h"
#include "services/dynamodb/ddb_store.h"
#include "services/dynamodb/item_writer.h"
#include "services/dynamodb/table_json.h"

namespace services::dynamodb {
namespace {

namespace json = boost::json;

constexpr double kFiveYears = 5 * 365 * 24 * 3600.0;

// The epoch seconds of an item's TTL attribute; nullopt when it is absent or not a Number.
std::optional<double> expiry(const json::object& item, const std::string& attribute) {
  const json::value* v = item.if_contains(attribute);
  const json::object* av = v ? v->if_object() : nullptr;
  const json::value* n = av ? av->if_contains("N") : nullptr;
  if (!n || !n->is_string()) return std::nullopt;
  return std::strtod(n->as_string().c_str(), nullptr);
}

int sweep_table(DdbStore& st, const Table& table, const std::string& attribute, double now) {
  streams::ChangeOrigin origin{static_cast<int64_t>(now * 1000), true};
  std::vector<std::pair<RowKey, json::object>> expired;
  RowRange all;
  all.space = table.space();
  st.scan_rows(all, [&](const RowKey& key, const std::string& text) {
    json::object item = parse_stored_item(text);
    std::optional<double> at = expiry(item, attribute);
    if (at && *at < now && *at > now - kFiveYears) {
      expired.emplace_back(key, std::move(item));
    }
    return expired.size() < static_cast<std::size_t>(kTtlBatch);
  });
  for (const auto& [key, item] : expired) write_item(st, table, key, &item, nullptr, origin);
  return static_cast<int>(expired.size());
}

}  // namespace

int TtlSweeper::sweep_once() {
  double now = core::to_epoch_seconds(clock_.now());
  store::Transaction tx = db_.begin();
  DdbStore st(tx);
  int deleted = 0;
  for (TableRow& row : st.tables_with_ttl()) {
    const json::object* ttl = core::obj(row.description, "TimeToLive");
    std::string attribute = ttl ? core::str(*ttl, "AttributeName") : "";
    Table table = table_from_description(row.id, row.account, row.region, row.created_ms,
                                         std::move(row.description));
    deleted += sweep_table(st, table, attribute, now);
  }
  tx.commit();
  return deleted;
}

void TtlSweeper::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, clock_.scaled(kTtlSweepInterval), [this] { return stopping_; })) {
      lock.unlock();
      try {
        sweep_once();
      } catch (const std::exception& e) {
        core::log::warn("dynamodb: TTL sweep failed", {{"error", e.what()}});
      }
      lock.lock();
    }
  });
}

void TtlSweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace services::dynamodb
