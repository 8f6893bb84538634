#pragma once
// IAM rows <-> SQL (tables of migrations/0012_iam.sql), inside a caller's Transaction.
//
// Each entity is one JSON document in IAM's own member names, as GetRole, GetUser, GetGroup,
// GetPolicy, GetInstanceProfile and GetOpenIDConnectProvider return it (CreateDate in epoch
// seconds, policy documents as their JSON text), plus the relations it owns under lower-case
// members that never reach the wire (iam_json.cc strips them):
//   "inline":   {policy name: document text}            roles, users, groups
//   "attached": [policy ARN, ...]                        roles, users, groups
//   "groups":   [group name, ...]                        users
//   "roles":    [role name]                              instance profiles (at most one)
//   "versions": [{"VersionId","Document","CreateDate"}]  customer managed policies
//   "next_version": N                                    customer managed policies
// Names compare case-insensitively (IAM does): lookups take any spelling of a name.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::iam {

enum class Kind { Role, User, Group, Policy, InstanceProfile, OidcProvider };

struct AccessKeyRow {
  std::string access_key_id;
  std::string account;
  std::string user_key;  // the user's lower-cased name
  std::string secret;
  std::string status = "Active";
  int64_t created_at = 0;  // epoch seconds
  std::optional<int64_t> last_used_at;
  std::string last_used_service;
  std::string last_used_region;
};

// The key an entity name is stored under: its ASCII lower case.
std::string name_key(std::string_view name);

class IamStore {
 public:
  explicit IamStore(store::Transaction& tx) : tx_(tx) {}

  std::optional<boost::json::object> get(std::string_view account, Kind kind,
                                         std::string_view name);
  // False (and nothing written) when an entity of that kind and name exists.
  bool insert(std::string_view account, Kind kind, std::string_view name,
              const boost::json::object& doc);
  // Replaces the document of an existing entity.
  void put(std::string_view account, Kind kind, std::string_view name,
           const boost::json::object& doc);
  void erase(std::string_view account, Kind kind, std::string_view name);
  // Every entity of a kind in an account, by name key.
  std::vector<boost::json::object> all(std::string_view account, Kind kind);

  void insert_key(const AccessKeyRow& key);
  std::optional<AccessKeyRow> key(std::string_view access_key_id);
  std::vector<AccessKeyRow> keys_of(std::string_view account, std::string_view user_name);
  void set_key_status(std::string_view access_key_id, std::string_view status);
  void delete_key(std::string_view access_key_id);
  // A renamed user keeps its keys.
  void move_keys(std::string_view account, std::string_view from_user, std::string_view to_user);
  void record_key_use(std::string_view access_key_id, int64_t at, std::string_view service,
                      std::string_view region);

 private:
  store::Transaction& tx_;
};

}  // namespace services::iam
