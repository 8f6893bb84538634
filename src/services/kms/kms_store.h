#pragma once
// KMS rows <-> SQL (tables of migrations/0011_kms.sql), inside a caller's Transaction. Plain
// structs in, plain structs out; the wire shapes live in kms_json.cc.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::kms {

// KeyState values this emulator reaches (AWS spells them this way on the wire too).
inline constexpr std::string_view kEnabled = "Enabled";
inline constexpr std::string_view kDisabled = "Disabled";
inline constexpr std::string_view kPendingDeletion = "PendingDeletion";

struct KeyRow {
  std::string account;
  std::string region;
  std::string key_id;
  std::string description;
  std::string key_usage = "ENCRYPT_DECRYPT";
  std::string key_spec = "SYMMETRIC_DEFAULT";
  std::string origin = "AWS_KMS";
  std::string key_manager = "CUSTOMER";  // or "AWS" for alias/aws/* keys
  std::string state = std::string(kEnabled);
  int64_t created_at_ms = 0;
  std::optional<int64_t> deletion_date_ms;  // shown by DescribeKey while PendingDeletion
  std::optional<int64_t> deletion_due_ms;   // when the row goes (the date under the time scale)
  std::optional<int64_t> pending_window_days;
  std::string policy;
  bool rotation_enabled = false;
  std::optional<int64_t> rotation_period_days;
  std::optional<int64_t> next_rotation_ms;
  boost::json::object tags;     // tag key -> value
  std::string sealed_material;  // HostKey::seal output; never the material itself
};

struct AliasRow {
  std::string account;
  std::string region;
  std::string name;  // "alias/..."
  std::string key_id;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

class KmsStore {
 public:
  explicit KmsStore(store::Transaction& tx) : tx_(tx) {}

  std::optional<KeyRow> key(std::string_view account, std::string_view region,
                            std::string_view key_id);
  void insert_key(const KeyRow& key);
  // Writes every mutable column of an existing key (all but identity, material and creation).
  void update_key(const KeyRow& key);
  // Up to `limit` keys of an account and region with key_id > after, by key id.
  std::vector<KeyRow> keys_after(std::string_view account, std::string_view region,
                                 std::string_view after, int64_t limit);
  // Deletes the account and region's keys whose deletion is due at now_ms, with their aliases.
  void purge_deleted(std::string_view account, std::string_view region, int64_t now_ms);

  std::optional<AliasRow> alias(std::string_view account, std::string_view region,
                                std::string_view name);
  // Throws std::system_error(store::errc::unique_constraint) when the name is taken.
  void insert_alias(const AliasRow& alias);
  void retarget_alias(const AliasRow& alias, std::string_view key_id, int64_t now_ms);
  void delete_alias(const AliasRow& alias);
  // Up to `limit` aliases with name > after, by name; only those of `key_id` when given.
  std::vector<AliasRow> aliases_after(std::string_view account, std::string_view region,
                                      std::string_view after, int64_t limit,
                                      std::optional<std::string_view> key_id);

 private:
  store::Transaction& tx_;
};

}  // namespace services::kms
