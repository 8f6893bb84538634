#pragma once
// Secrets Manager wire shapes: rows -> DescribeSecret / SecretListEntry / version entries, tags,
// ARNs, paging tokens. The only place that spells the wire names of rows.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "services/secretsmanager/sm_store.h"

namespace services::secretsmanager {

inline constexpr std::string_view kDefaultKey = "alias/aws/secretsmanager";

// arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random letters and digits>
std::string new_secret_arn(std::string_view account, std::string_view region,
                           std::string_view name);

// The key a secret's values are sealed under: its KmsKeyId, else the AWS managed key.
inline std::string key_of(const SecretRow& s) {
  return s.kms_key_id.empty() ? std::string(kDefaultKey) : s.kms_key_id;
}

// DescribeSecret's output, or (list_entry) a SecretListEntry: only the fields that have a value,
// as AWS answers them.
boost::json::object describe(const SecretRow& s, const std::vector<VersionRow>& versions,
                             bool list_entry);
// A SecretVersionsListEntry of ListSecretVersionIds.
boost::json::object version_entry(const SecretRow& s, const VersionRow& v);

// Tags of a request ([{"Key","Value"}]) merged into `tags`, replacing the values of keys it has.
void merge_tags(boost::json::array& tags, const boost::json::array& added);
void remove_tags(boost::json::array& tags, const std::vector<std::string>& keys);

// Paging: NextToken is the base64 of the offset of the next item.
std::string next_token(std::size_t offset);
protocol::Result<std::size_t> token_offset(const boost::json::object& in);

inline double epoch_seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

}  // namespace services::secretsmanager
