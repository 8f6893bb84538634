#pragma once
// KMS wire shapes: rows -> KeyMetadata / AliasListEntry / Tag objects, ARNs, key policies, paging
// markers and input accessors. The only place that spells the wire names of rows.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "services/kms/keys.h"
#include "services/kms/kms_store.h"

namespace services::kms {

// arn:aws:kms:<region>:<account>:key/<id>
std::string key_arn(std::string_view account, std::string_view region, std::string_view key_id);
std::string key_arn(const KeyRow& key);
// arn:aws:kms:<region>:<account>:alias/<name>; `name` includes the "alias/" prefix.
std::string alias_arn(std::string_view account, std::string_view region, std::string_view name);

// An AWS managed key's alias, the service it serves and the description AWS gives it.
struct ManagedAlias {
  std::string_view name;          // "alias/aws/ssm"
  std::string_view service;       // "ssm"
  std::string_view service_name;  // "AWS Systems Manager"
  std::string_view description;
};
std::span<const ManagedAlias> managed_aliases();
const ManagedAlias* find_managed_alias(std::string_view name);

// The key policy KMS attaches when CreateKey has none, in AWS's layout (pretty-printed, " : ").
std::string default_key_policy(std::string_view account, std::string_view region);
// The key policy of an AWS managed key: use through its service, reads for the account.
std::string managed_key_policy(const ManagedAlias& alias, std::string_view account,
                               std::string_view region);

boost::json::object key_metadata(const KeyRow& key);
boost::json::object alias_entry(const AliasRow& alias);
// Sorted by tag key.
boost::json::array tag_list(const boost::json::object& tags);

// Opaque paging marker: base64 of the last item's sort key.
std::string marker(std::string_view last_key);
std::optional<std::string> parse_marker(std::string_view marker);

// EncryptionContext members (a validated string map) as a context; {} when absent.
EncryptionContext context_of(const boost::json::object& in, std::string_view member);

inline double epoch_seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

}  // namespace services::kms
