#pragma once
// Secrets Manager rows <-> SQL (tables of migrations/0014_secretsmanager.sql), inside a caller's
// Transaction. Plain structs in and out; the wire shapes live in sm_json.cc.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::secretsmanager {

inline constexpr std::string_view kCurrent = "AWSCURRENT";
inline constexpr std::string_view kPrevious = "AWSPREVIOUS";
inline constexpr std::string_view kPending = "AWSPENDING";

struct SecretRow {
  std::string account;
  std::string region;
  std::string name;
  std::string arn;
  std::optional<std::string> description;
  std::string kms_key_id;  // as the caller named it; "" = alias/aws/secretsmanager
  int64_t created_at_ms = 0;
  int64_t last_changed_ms = 0;
  std::optional<int64_t> last_accessed_ms;
  std::optional<int64_t> deleted_date_ms;  // scheduled for deletion: the DeletionDate
  std::optional<int64_t> deletion_due_ms;  // when the row goes (under the time scale)
  std::optional<bool> rotation_enabled;    // unset until rotation was ever configured
  std::optional<std::string> rotation_lambda_arn;
  std::optional<boost::json::object> rotation_rules;
  std::optional<int64_t> last_rotated_ms;
  std::optional<int64_t> next_rotation_ms;
  boost::json::array tags;  // [{"Key","Value"}] in the order they were added
  std::optional<std::string> policy;
};

struct VersionRow {
  std::string secret_arn;
  std::string version_id;
  std::string sealed;  // the KMS envelope (raw bytes; base64 in SQL)
  bool is_binary = false;
  std::string key_arn;
  std::vector<std::string> stages;
  int64_t created_at_ms = 0;
  std::optional<int64_t> last_accessed_ms;
};

class SmStore {
 public:
  explicit SmStore(store::Transaction& tx) : tx_(tx) {}

  std::optional<SecretRow> by_name(std::string_view account, std::string_view region,
                                   std::string_view name);
  std::optional<SecretRow> by_arn(std::string_view arn);
  // Throws std::system_error(store::errc::unique_constraint) when the name is taken.
  void insert(const SecretRow& s);
  // Writes every mutable column (all but account, region, name, ARN, creation).
  void update(const SecretRow& s);
  // Deletes the secret and its versions.
  void erase(const SecretRow& s);
  // Every secret of an account and region, by creation then name.
  std::vector<SecretRow> all(std::string_view account, std::string_view region);
  // Deletes the account and region's secrets whose deletion is due at now_ms.
  void purge_deleted(std::string_view account, std::string_view region, int64_t now_ms);

  // A secret's versions, oldest first.
  std::vector<VersionRow> versions(std::string_view secret_arn);
  std::optional<VersionRow> version(std::string_view secret_arn, std::string_view version_id);
  void insert_version(const VersionRow& v);
  void set_stages(const VersionRow& v);
  void touch_version(const VersionRow& v, int64_t now_ms);
  // Writes a version's sealed value and key (UpdateSecret's new key).
  void reseal(const VersionRow& v);
  void erase_version(const VersionRow& v);

 private:
  store::Transaction& tx_;
};

}  // namespace services::secretsmanager
