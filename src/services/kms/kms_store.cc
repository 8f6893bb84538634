#include "services/kms/kms_store.h"

#include <boost/json.hpp>

#include "store/statement.h"

namespace services::kms {

namespace json = boost::json;

namespace {

constexpr std::string_view kKeyColumns =
    "account, region, key_id, description, key_usage, key_spec, origin, key_manager, state, "
    "created_at_ms, deletion_date_ms, deletion_due_ms, pending_window_days, policy, "
    "rotation_enabled, rotation_period_days, next_rotation_ms, tags, material";

KeyRow read_key(const store::Statement& row) {
  KeyRow k;
  k.account = row.text(0);
  k.region = row.text(1);
  k.key_id = row.text(2);
  k.description = row.text(3);
  k.key_usage = row.text(4);
  k.key_spec = row.text(5);
  k.origin = row.text(6);
  k.key_manager = row.text(7);
  k.state = row.text(8);
  k.created_at_ms = row.int64(9);
  k.deletion_date_ms = row.optional_int64(10);
  k.deletion_due_ms = row.optional_int64(11);
  k.pending_window_days = row.optional_int64(12);
  k.policy = row.text(13);
  k.rotation_enabled = row.int64(14) != 0;
  k.rotation_period_days = row.optional_int64(15);
  k.next_rotation_ms = row.optional_int64(16);
  json::value tags = json::parse(row.text(17));
  if (tags.is_object()) {
    k.tags = std::move(tags.as_object());
  }
  k.sealed_material = row.text(18);
  return k;
}

AliasRow read_alias(const store::Statement& row) {
  return AliasRow{row.text(0), row.text(1), row.text(2), row.text(3), row.int64(4), row.int64(5)};
}

std::string select_keys(std::string_view where) {
  std::string s = "SELECT ";
  s += kKeyColumns;
  s += " FROM kms_keys WHERE ";
  s += where;
  return s;
}

}  // namespace

std::optional<KeyRow> KmsStore::key(std::string_view account, std::string_view region,
                                    std::string_view key_id) {
  static const std::string q = select_keys("account = ?1 AND region = ?2 AND key_id = ?3");
  std::optional<KeyRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_key(row); }, account, region, key_id);
  return out;
}

void KmsStore::insert_key(const KeyRow& k) {
  static const std::string q = std::string("INSERT INTO kms_keys (") + std::string(kKeyColumns) +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                               "?14, ?15, ?16, ?17, ?18, ?19)";
  tx_.execute(q, k.account, k.region, k.key_id, k.description, k.key_usage, k.key_spec, k.origin,
              k.key_manager, k.state, k.created_at_ms, k.deletion_date_ms, k.deletion_due_ms,
              k.pending_window_days, k.policy, k.rotation_enabled ? 1 : 0, k.rotation_period_days,
              k.next_rotation_ms, json::serialize(k.tags), k.sealed_material);
}

void KmsStore::update_key(const KeyRow& k) {
  tx_.execute(
      "UPDATE kms_keys SET description = ?4, state = ?5, deletion_date_ms = ?6, "
      "deletion_due_ms = ?7, pending_window_days = ?8, policy = ?9, rotation_enabled = ?10, "
      "rotation_period_days = ?11, next_rotation_ms = ?12, tags = ?13 "
      "WHERE account = ?1 AND region = ?2 AND key_id = ?3",
      k.account, k.region, k.key_id, k.description, k.state, k.deletion_date_ms, k.deletion_due_ms,
      k.pending_window_days, k.policy, k.rotation_enabled ? 1 : 0, k.rotation_period_days,
      k.next_rotation_ms, json::serialize(k.tags));
}

std::vector<KeyRow> KmsStore::keys_after(std::string_view account, std::string_view region,
                                         std::string_view after, int64_t limit) {
  static const std::string q =
      select_keys("account = ?1 AND region = ?2 AND key_id > ?3 ORDER BY key_id LIMIT ?4");
  std::vector<KeyRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_key(row)); }, account, region, after,
      limit);
  return out;
}

void KmsStore::purge_deleted(std::string_view account, std::string_view region, int64_t now_ms) {
  tx_.execute(
      "DELETE FROM kms_aliases WHERE account = ?1 AND region = ?2 AND key_id IN (SELECT key_id "
      "FROM kms_keys WHERE account = ?1 AND region = ?2 AND deletion_due_ms <= ?3)",
      account, region, now_ms);
  tx_.execute("DELETE FROM kms_keys WHERE account = ?1 AND region = ?2 AND deletion_due_ms <= ?3",
              account, region, now_ms);
}

std::optional<AliasRow> KmsStore::alias(std::string_view account, std::string_view region,
                                        std::string_view name) {
  std::optional<AliasRow> out;
  tx_.query(
      "SELECT account, region, name, key_id, created_at_ms, updated_at_ms FROM kms_aliases "
      "WHERE account = ?1 AND region = ?2 AND name = ?3",
      [&](const store::Statement& row) { out = read_alias(row); }, account, region, name);
  return out;
}

void KmsStore::insert_alias(const AliasRow& a) {
  tx_.execute(
      "INSERT INTO kms_aliases (account, region, name, key_id, created_at_ms, updated_at_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      a.account, a.region, a.name, a.key_id, a.created_at_ms, a.updated_at_ms);
}

void KmsStore::retarget_alias(const AliasRow& a, std::string_view key_id, int64_t now_ms) {
  tx_.execute(
      "UPDATE kms_aliases SET key_id = ?4, updated_at_ms = ?5 "
      "WHERE account = ?1 AND region = ?2 AND name = ?3",
      a.account, a.region, a.name, key_id, now_ms);
}

void KmsStore::delete_alias(const AliasRow& a) {
  tx_.execute("DELETE FROM kms_aliases WHERE account = ?1 AND region = ?2 AND name = ?3", a.account,
              a.region, a.name);
}

std::vector<AliasRow> KmsStore::aliases_after(std::string_view account, std::string_view region,
                                              std::string_view after, int64_t limit,
                                              std::optional<std::string_view> key_id) {
  std::vector<AliasRow> out;
  auto add = [&](const store::Statement& row) { out.push_back(read_alias(row)); };
  if (key_id) {
    tx_.query(
        "SELECT account, region, name, key_id, created_at_ms, updated_at_ms FROM kms_aliases "
        "WHERE account = ?1 AND region = ?2 AND name > ?3 AND key_id = ?5 ORDER BY name LIMIT ?4",
        add, account, region, after, limit, *key_id);
  } else {
    tx_.query(
        "SELECT account, region, name, key_id, created_at_ms, updated_at_ms FROM kms_aliases "
        "WHERE account = ?1 AND region = ?2 AND name > ?3 ORDER BY name LIMIT ?4",
        add, account, region, after, limit);
  }
  return out;
}

}  // namespace services::kms
