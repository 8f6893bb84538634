#pragma once
// Parameter Store wire shapes: rows -> Parameter / ParameterMetadata / ParameterHistory / Tag
// objects, and paging tokens. The only place that spells the wire names of rows.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/ssm/ssm_store.h"

namespace services::ssm {

inline double epoch_seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Parameter.html
// `value` as shown (ciphertext or plaintext); `selector` ":3"/":label" when one was asked for.
boost::json::object parameter_json(std::string_view name, std::string_view arn, const VersionRow& v,
                                   std::string_view value, std::string_view selector = "");
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterMetadata.html
boost::json::object metadata_json(const ParameterRow& p, std::string_view arn);
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterHistory.html
boost::json::object history_json(std::string_view name, const VersionRow& v,
                                 std::string_view value);
// Sorted by key.
boost::json::array tag_list(const boost::json::object& tags);

// Opaque paging token: base64 of the last item's sort key.
std::string next_token(std::string_view last_key);
std::optional<std::string> parse_token(std::string_view token);

}  // namespace services::ssm
