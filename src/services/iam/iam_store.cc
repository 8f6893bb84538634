#include "services/iam/iam_store.h"

#include <boost/json.hpp>

#include "store/statement.h"
#include "store/store_errors.h"

namespace services::iam {

namespace json = boost::json;

namespace {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::Role:
      return "role";
    case Kind::User:
      return "user";
    case Kind::Group:
      return "group";
    case Kind::Policy:
      return "policy";
    case Kind::InstanceProfile:
      return "instance-profile";
    case Kind::OidcProvider:
      return "oidc-provider";
  }
  return "";
}

json::object parse_doc(const std::string& text) {
  json::value v = json::parse(text);
  return v.is_object() ? std::move(v.as_object()) : json::object{};
}

constexpr std::string_view kKeyColumns =
    "access_key_id, account, user_key, secret, status, created_at, last_used_at, "
    "last_used_service, last_used_region";

AccessKeyRow read_key(const store::Statement& row) {
  AccessKeyRow k;
  k.access_key_id = row.text(0);
  k.account = row.text(1);
  k.user_key = row.text(2);
  k.secret = row.text(3);
  k.status = row.text(4);
  k.created_at = row.int64(5);
  k.last_used_at = row.optional_int64(6);
  k.last_used_service = row.text(7);
  k.last_used_region = row.text(8);
  return k;
}

}  // namespace

std::string name_key(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<json::object> IamStore::get(std::string_view account, Kind kind,
                                          std::string_view name) {
  std::optional<json::object> out;
  tx_.query(
      "SELECT doc FROM iam_entities WHERE account = ?1 AND kind = ?2 AND name_key = ?3",
      [&](const store::Statement& row) { out = parse_doc(row.text(0)); }, account, kind_name(kind),
      name_key(name));
  return out;
}

bool IamStore::insert(std::string_view account, Kind kind, std::string_view name,
                      const json::object& doc) {
  auto r = tx_.try_execute(
      "INSERT INTO iam_entities (account, kind, name_key, doc) VALUES (?1, ?2, ?3, ?4)", account,
      kind_name(kind), name_key(name), json::serialize(doc));
  if (!r && r.error() == store::errc::unique_constraint) return false;
  if (!r) throw std::system_error(r.error());
  return true;
}

void IamStore::put(std::string_view account, Kind kind, std::string_view name,
                   const json::object& doc) {
  tx_.execute("UPDATE iam_entities SET doc = ?4 WHERE account = ?1 AND kind = ?2 AND name_key = ?3",
              account, kind_name(kind), name_key(name), json::serialize(doc));
}

void IamStore::erase(std::string_view account, Kind kind, std::string_view name) {
  tx_.execute("DELETE FROM iam_entities WHERE account = ?1 AND kind = ?2 AND name_key = ?3",
              account, kind_name(kind), name_key(name));
}

std::vector<json::object> IamStore::all(std::string_view account, Kind kind) {
  std::vector<json::object> out;
  tx_.query(
      "SELECT doc FROM iam_entities WHERE account = ?1 AND kind = ?2 ORDER BY name_key",
      [&](const store::Statement& row) { out.push_back(parse_doc(row.text(0))); }, account,
      kind_name(kind));
  return out;
}

void IamStore::insert_key(const AccessKeyRow& k) {
  static const std::string q = "INSERT INTO iam_access_keys (" + std::string(kKeyColumns) +
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  tx_.execute(q, k.access_key_id, k.account, k.user_key, k.secret, k.status, k.created_at,
              k.last_used_at, k.last_used_service, k.last_used_region);
}

std::optional<AccessKeyRow> IamStore::key(std::string_view access_key_id) {
  static const std::string q =
      "SELECT " + std::string(kKeyColumns) + " FROM iam_access_keys WHERE access_key_id = ?1";
  std::optional<AccessKeyRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out = read_key(row); }, access_key_id);
  return out;
}

std::vector<AccessKeyRow> IamStore::keys_of(std::string_view account, std::string_view user_name) {
  static const std::string q = "SELECT " + std::string(kKeyColumns) +
                               " FROM iam_access_keys WHERE account = ?1 AND user_key = ?2 "
                               "ORDER BY created_at, access_key_id";
  std::vector<AccessKeyRow> out;
  tx_.query(
      q, [&](const store::Statement& row) { out.push_back(read_key(row)); }, account,
      name_key(user_name));
  return out;
}

void IamStore::set_key_status(std::string_view access_key_id, std::string_view status) {
  tx_.execute("UPDATE iam_access_keys SET status = ?2 WHERE access_key_id = ?1", access_key_id,
              status);
}

void IamStore::delete_key(std::string_view access_key_id) {
  tx_.execute("DELETE FROM iam_access_keys WHERE access_key_id = ?1", access_key_id);
}

void IamStore::move_keys(std::string_view account, std::string_view from_user,
                         std::string_view to_user) {
  tx_.execute("UPDATE iam_access_keys SET user_key = ?3 WHERE account = ?1 AND user_key = ?2",
              account, name_key(from_user), name_key(to_user));
}

void IamStore::record_key_use(std::string_view access_key_id, int64_t at, std::string_view service,
                              std::string_view region) {
  tx_.execute(
      "UPDATE iam_access_keys SET last_used_at = ?2, last_used_service = ?3, "
      "last_used_region = ?4 WHERE access_key_id = ?1",
      access_key_id, at, service, region);
}

}  // namespace services::iam
