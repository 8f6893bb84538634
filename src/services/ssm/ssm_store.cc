#include "services/ssm/ssm_store.h"

#include <boost/json.hpp>

#include "services/ssm/parameter_names.h"
#include "store/statement.h"

namespace services::ssm {

namespace json = boost::json;

namespace {

std::vector<std::string> read_labels(const std::string& text) {
  std::vector<std::string> out;
  json::value v = json::parse(text);
  if (!v.is_array()) return out;
  for (const json::value& l : v.as_array()) {
    if (l.is_string()) out.emplace_back(l.as_string());
  }
  return out;
}

std::string write_labels(const std::vector<std::string>& labels) {
  json::array a;
  for (const std::string& l : labels) a.emplace_back(l);
  return json::serialize(a);
}

VersionRow read_version(const store::Statement& row) {
  VersionRow v;
  v.version = row.int64(0);
  v.type = row.text(1);
  v.value = row.text(2);
  v.encryption = row.text(3);
  v.key_id = row.text(4);
  v.key_arn = row.text(5);
  v.description = row.text(6);
  v.allowed_pattern = row.text(7);
  v.tier = row.text(8);
  v.data_type = row.text(9);
  v.policies = row.text(10);
  v.modified_at_ms = row.int64(11);
  v.modified_by = row.text(12);
  v.labels = read_labels(row.text(13));
  return v;
}

ParameterRow read_parameter(const store::Statement& row) {
  ParameterRow p;
  p.account = row.text(0);
  p.region = row.text(1);
  p.name = row.text(2);
  json::value tags = json::parse(row.text(3));
  if (tags.is_object()) p.tags = std::move(tags.as_object());
  return p;
}

}  // namespace

std::vector<VersionRow> SsmStore::versions(std::string_view account, std::string_view region,
                                           std::string_view key) {
  std::vector<VersionRow> out;
  tx_.query(
      "SELECT version, type, value, encryption, key_id, key_arn, description, allowed_pattern, "
      "tier, data_type, policies, modified_at_ms, modified_by, labels FROM ssm_parameter_versions "
      "WHERE account = ?1 AND region = ?2 AND name_key = ?3 ORDER BY version",
      [&](const store::Statement& row) { out.push_back(read_version(row)); }, account, region, key);
  return out;
}

std::optional<ParameterRow> SsmStore::find(std::string_view account, std::string_view region,
                                           std::string_view name) {
  std::string key = name_key(name);
  std::optional<ParameterRow> out;
  tx_.query(
      "SELECT account, region, name, tags FROM ssm_parameters "
      "WHERE account = ?1 AND region = ?2 AND name_key = ?3",
      [&](const store::Statement& row) { out = read_parameter(row); }, account, region, key);
  if (out) {
    out->versions = versions(account, region, key);
    if (out->versions.empty()) return std::nullopt;
  }
  return out;
}

std::vector<ParameterRow> SsmStore::list(std::string_view account, std::string_view region,
                                         std::string_view key_prefix, std::string_view after) {
  std::vector<ParameterRow> out;
  // name_key >= prefix AND substr(...) = prefix: a range scan on the primary key.
  tx_.query(
      "SELECT account, region, name, tags FROM ssm_parameters "
      "WHERE account = ?1 AND region = ?2 AND name_key >= ?3 AND name_key > ?4 "
      "AND substr(name_key, 1, length(?3)) = ?3 ORDER BY name_key",
      [&](const store::Statement& row) { out.push_back(read_parameter(row)); }, account, region,
      key_prefix, after);
  for (ParameterRow& p : out) p.versions = versions(account, region, name_key(p.name));
  std::erase_if(out, [](const ParameterRow& p) { return p.versions.empty(); });
  return out;
}

void SsmStore::insert_parameter(const ParameterRow& p) {
  tx_.execute(
      "INSERT INTO ssm_parameters (account, region, name_key, name, tags) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      p.account, p.region, name_key(p.name), p.name, json::serialize(p.tags));
}

void SsmStore::insert_version(const ParameterRow& p, const VersionRow& v) {
  tx_.execute(
      "INSERT INTO ssm_parameter_versions (account, region, name_key, version, type, value, "
      "encryption, key_id, key_arn, description, allowed_pattern, tier, data_type, policies, "
      "modified_at_ms, modified_by, labels) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12, ?13, ?14, ?15, ?16, ?17)",
      p.account, p.region, name_key(p.name), v.version, v.type, v.value, v.encryption, v.key_id,
      v.key_arn, v.description, v.allowed_pattern, v.tier, v.data_type, v.policies,
      v.modified_at_ms, v.modified_by, write_labels(v.labels));
}

void SsmStore::delete_version(const ParameterRow& p, int64_t version) {
  tx_.execute(
      "DELETE FROM ssm_parameter_versions WHERE account = ?1 AND region = ?2 AND name_key = ?3 "
      "AND version = ?4",
      p.account, p.region, name_key(p.name), version);
}

void SsmStore::set_labels(const ParameterRow& p, const VersionRow& v) {
  tx_.execute(
      "UPDATE ssm_parameter_versions SET labels = ?5 WHERE account = ?1 AND region = ?2 AND "
      "name_key = ?3 AND version = ?4",
      p.account, p.region, name_key(p.name), v.version, write_labels(v.labels));
}

void SsmStore::set_tags(const ParameterRow& p) {
  tx_.execute(
      "UPDATE ssm_parameters SET tags = ?4 WHERE account = ?1 AND region = ?2 AND name_key = ?3",
      p.account, p.region, name_key(p.name), json::serialize(p.tags));
}

bool SsmStore::erase(std::string_view account, std::string_view region, std::string_view name) {
  std::string key = name_key(name);
  tx_.execute(
      "DELETE FROM ssm_parameter_versions WHERE account = ?1 AND region = ?2 AND name_key = ?3",
      account, region, key);
  return tx_.execute(
             "DELETE FROM ssm_parameters WHERE account = ?1 AND region = ?2 AND name_key = ?3",
             account, region, key) > 0;
}

}  // namespace services::ssm
