#include "services/secretsmanager/sm_store.h"

#include <boost/json.hpp>

#include "core/base64.h"
#include "store/statement.h"

namespace services::secretsmanager {

namespace json = boost::json;

namespace {

constexpr std::string_view kColumns =
    "account, region, name, arn, description, kms_key_id, created_at_ms, last_changed_ms, "
    "last_accessed_ms, deleted_date_ms, deletion_due_ms, rotation_enabled, rotation_lambda_arn, "
    "rotation_rules, last_rotated_ms, next_rotation_ms, tags, policy";

constexpr std::string_view kVersionColumns =
    "secret_arn, version_id, sealed, is_binary, key_arn, stages, created_at_ms, last_accessed_ms";

std::string select(std::string_view columns, std::string_view table, std::string_view where) {
  return "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE " +
         std::string(where);
}

SecretRow read_secret(const store::Statement& row) {
  SecretRow s;
  s.account = row.text(0);
  s.region = row.text(1);
  s.name = row.text(2);
  s.arn = row.text(3);
  s.description = row.optional_text(4);
  s.kms_key_id = row.text(5);
  s.created_at_ms = row.int64(6);
  s.last_changed_ms = row.int64(7);
  s.last_accessed_ms = row.optional_int64(8);
  s.deleted_date_ms = row.optional_int64(9);
  s.deletion_due_ms = row.optional_int64(10);
  if (std::optional<int64_t> r = row.optional_int64(11)) s.rotation_enabled = *r != 0;
  s.rotation_lambda_arn = row.optional_text(12);
  if (std::optional<std::string> rules = row.optional_text(13)) {
    json::value v = json::parse(*rules);
    if (v.is_object()) s.rotation_rules = std::move(v.as_object());
  }
  s.last_rotated_ms = row.optional_int64(14);
  s.next_rotation_ms = row.optional_int64(15);
  json::value tags = json::parse(row.text(16));
  if (tags.is_array()) s.tags = std::move(tags.as_array());
  s.policy = row.optional_text(17);
  return s;
}

VersionRow read_version(const store::Statement& row) {
  VersionRow v;
  v.secret_arn = row.text(0);
  v.version_id = row.text(1);
  v.sealed = core::base64_decode(row.text(2)).value_or("");
  v.is_binary = row.int64(3) != 0;
  v.key_arn = row.text(4);
  json::value stages = json::parse(row.text(5));
  if (stages.is_array()) {
    for (const json::value& s : stages.as_array()) {
      if (s.is_string()) v.stages.emplace_back(s.get_string());
    }
  }
  v.created_at_ms = row.int64(6);
  v.last_accessed_ms = row.optional_int64(7);
  return v;
}

std::string stages_json(const std::vector<std::string>& stages) {
  json::array a;
  for (const std::string& s : stages) a.emplace_back(s);
  return json::serialize(a);
}

std::optional<std::string> rules_json(const SecretRow& s) {
  if (!s.rotation_rules) return std::nullopt;
  return json::serialize(*s.rotation_rules);
}

std::optional<int64_t> rotation_flag(const SecretRow& s) {
  if (!s.rotation_enabled) return std::nullopt;
  return *s.rotation_enabled ? 1 : 0;
}

}  // namespace

std::optional<SecretRow> SmStore::by_name(std::string_view account, std::string_view region,
                                          std::string_view name) {
  static const std::string q =
      select(kColumns, "sm_secrets", "account = ?1 AND region = ?2 AND name = ?3");
  std::optional<SecretRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_secret(row); }, account, region, name);
  return out;
}

std::optional<SecretRow> SmStore::by_arn(std::string_view arn) {
  static const std::string q = select(kColumns, "sm_secrets", "arn = ?1");
  std::optional<SecretRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_secret(row); }, arn);
  return out;
}

void SmStore::insert(const SecretRow& s) {
  static const std::string q = "INSERT INTO sm_secrets (" + std::string(kColumns) +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                               "?14, ?15, ?16, ?17, ?18)";
  tx_.execute(q, s.account, s.region, s.name, s.arn, s.description, s.kms_key_id, s.created_at_ms,
              s.last_changed_ms, s.last_accessed_ms, s.deleted_date_ms, s.deletion_due_ms,
              rotation_flag(s), s.rotation_lambda_arn, rules_json(s), s.last_rotated_ms,
              s.next_rotation_ms, json::serialize(s.tags), s.policy);
}

void SmStore::update(const SecretRow& s) {
  tx_.execute(
      "UPDATE sm_secrets SET description = ?2, kms_key_id = ?3, last_changed_ms = ?4, "
      "last_accessed_ms = ?5, deleted_date_ms = ?6, deletion_due_ms = ?7, rotation_enabled = ?8, "
      "rotation_lambda_arn = ?9, rotation_rules = ?10, last_rotated_ms = ?11, "
      "next_rotation_ms = ?12, tags = ?13, policy = ?14 WHERE arn = ?1",
      s.arn, s.description, s.kms_key_id, s.last_changed_ms, s.last_accessed_ms, s.deleted_date_ms,
      s.deletion_due_ms, rotation_flag(s), s.rotation_lambda_arn, rules_json(s), s.last_rotated_ms,
      s.next_rotation_ms, json::serialize(s.tags), s.policy);
}

void SmStore::erase(const SecretRow& s) {
  tx_.execute("DELETE FROM sm_secret_versions WHERE secret_arn = ?1", s.arn);
  tx_.execute("DELETE FROM sm_secrets WHERE arn = ?1", s.arn);
}

std::vector<SecretRow> SmStore::all(std::string_view account, std::string_view region) {
  static const std::string q =
      select(kColumns, "sm_secrets", "account = ?1 AND region = ?2 ORDER BY created_at_ms, name");
  std::vector<SecretRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_secret(row)); }, account, region);
  return out;
}

void SmStore::purge_deleted(std::string_view account, std::string_view region, int64_t now_ms) {
  tx_.execute(
      "DELETE FROM sm_secret_versions WHERE secret_arn IN (SELECT arn FROM sm_secrets WHERE "
      "account = ?1 AND region = ?2 AND deletion_due_ms <= ?3)",
      account, region, now_ms);
  tx_.execute("DELETE FROM sm_secrets WHERE account = ?1 AND region = ?2 AND deletion_due_ms <= ?3",
              account, region, now_ms);
}

std::vector<VersionRow> SmStore::versions(std::string_view secret_arn) {
  static const std::string q = select(kVersionColumns, "sm_secret_versions",
                                      "secret_arn = ?1 ORDER BY created_at_ms, rowid");
  std::vector<VersionRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_version(row)); }, secret_arn);
  return out;
}

std::optional<VersionRow> SmStore::version(std::string_view secret_arn,
                                           std::string_view version_id) {
  static const std::string q =
      select(kVersionColumns, "sm_secret_versions", "secret_arn = ?1 AND version_id = ?2");
  std::optional<VersionRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_version(row); }, secret_arn, version_id);
  return out;
}

void SmStore::insert_version(const VersionRow& v) {
  static const std::string q = "INSERT INTO sm_secret_versions (" + std::string(kVersionColumns) +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  tx_.execute(q, v.secret_arn, v.version_id, core::base64_encode(v.sealed), v.is_binary ? 1 : 0,
              v.key_arn, stages_json(v.stages), v.created_at_ms, v.last_accessed_ms);
}

void SmStore::set_stages(const VersionRow& v) {
  tx_.execute("UPDATE sm_secret_versions SET stages = ?3 WHERE secret_arn = ?1 AND version_id = ?2",
              v.secret_arn, v.version_id, stages_json(v.stages));
}

void SmStore::touch_version(const VersionRow& v, int64_t now_ms) {
  tx_.execute(
      "UPDATE sm_secret_versions SET last_accessed_ms = ?3 "
      "WHERE secret_arn = ?1 AND version_id = ?2",
      v.secret_arn, v.version_id, now_ms);
}

void SmStore::reseal(const VersionRow& v) {
  tx_.execute(
      "UPDATE sm_secret_versions SET sealed = ?3, key_arn = ?4 "
      "WHERE secret_arn = ?1 AND version_id = ?2",
      v.secret_arn, v.version_id, core::base64_encode(v.sealed), v.key_arn);
}

void SmStore::erase_version(const VersionRow& v) {
  tx_.execute("DELETE FROM sm_secret_versions WHERE secret_arn = ?1 AND version_id = ?2",
              v.secret_arn, v.version_id);
}

}  // namespace services::secretsmanager
