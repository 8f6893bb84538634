#pragma once
// Validation of what a key carries besides its material: key policies and tags.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::kms {

// A key policy must be a JSON object with a Statement (MalformedPolicyDocumentException).
// Gantry stores key policies; it does not evaluate them.
protocol::Result<void> check_policy(std::string_view policy);

// Adds a Tags list ([{TagKey, TagValue}], model-validated) to `tags`, replacing the values of
// keys already there. TagException for a key given twice or beginning with "aws:" (unless
// `allow_reserved`: CloudFormation's in-process calls); nothing is changed on error.
protocol::Result<void> merge_tags(const boost::json::array& list, boost::json::object& tags,
                                  bool allow_reserved = false);

}  // namespace services::kms
