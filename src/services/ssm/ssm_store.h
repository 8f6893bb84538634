#pragma once
// Parameter Store rows <-> SQL (tables of migrations/0013_ssm.sql), inside a caller's
// Transaction. Plain structs in, plain structs out; the wire shapes live in ssm_json.cc.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/transaction.h"

namespace services::ssm {

// One version of a parameter. For a SecureString, `value` is base64 of the KMS ciphertext.
struct VersionRow {
  int64_t version = 1;
  std::string type;  // "String", "StringList", "SecureString"
  std::string value;
  std::string encryption;  // "", "kms" or "envelope"
  std::string key_id;      // SecureString: the KeyId as given ("alias/aws/ssm")
  std::string key_arn;     // SecureString: the key it named
  std::string description;
  std::string allowed_pattern;
  std::string tier = "Standard";
  std::string data_type = "text";
  std::string policies;
  int64_t modified_at_ms = 0;
  std::string modified_by;  // the caller's ARN
  std::vector<std::string> labels;
};

struct ParameterRow {
  std::string account;
  std::string region;
  std::string name;  // as created: "/app/db" or "db"
  boost::json::object tags;
  std::vector<VersionRow> versions;  // oldest first; the last is the current version
  const VersionRow& current() const { return versions.back(); }
};

class SsmStore {
 public:
  explicit SsmStore(store::Transaction& tx) : tx_(tx) {}

  // The parameter `name` names (with or without its leading slash), with every version.
  std::optional<ParameterRow> find(std::string_view account, std::string_view region,
                                   std::string_view name);
  // Parameters whose key starts with `key_prefix` (a name without its leading '/'), by key, with
  // every version; `after` (a key) excludes those up to it.
  std::vector<ParameterRow> list(std::string_view account, std::string_view region,
                                 std::string_view key_prefix, std::string_view after);

  void insert_parameter(const ParameterRow& p);
  void insert_version(const ParameterRow& p, const VersionRow& v);
  void delete_version(const ParameterRow& p, int64_t version);
  void set_labels(const ParameterRow& p, const VersionRow& v);
  void set_tags(const ParameterRow& p);
  // Removes the parameter and every version; false when there was none.
  bool erase(std::string_view account, std::string_view region, std::string_view name);

 private:
  std::vector<VersionRow> versions(std::string_view account, std::string_view region,
                                   std::string_view key);
  store::Transaction& tx_;
};

}  // namespace services::ssm
