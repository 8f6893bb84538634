#pragma once
// How IAM names things: unique ids (AROA.../AIDA.../AGPA.../ANPA.../AIPA... plus 17 characters),
// ARNs with paths (IAM is global: no region), the name and path rules, the URL encoding of
// policy documents in replies, and Marker/MaxItems paging.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::iam {

// "<prefix><17 upper-case letters and digits>": new_id("AROA") is a role id.
std::string new_id(std::string_view prefix);

// arn:aws:iam::<account>:<type><path><name>, e.g. entity_arn("1234", "role", "/x/", "r").
std::string entity_arn(std::string_view account, std::string_view type, std::string_view path,
                       std::string_view name);

// ValidationError unless `value` matches IAM's name pattern [\w+=,.@-]+ (`field` is the wire
// member in camel case, "roleName"). Lengths are checked by the model.
protocol::Result<void> check_name(std::string_view field, std::string_view value);
// ValidationError unless `path` is "/" or "/.../" of printable ASCII.
protocol::Result<void> check_path(std::string_view path);

// A policy document as IAM returns it: percent-encoded (RFC 3986 unreserved characters kept);
// botocore and the AWS CLI decode it.
std::string url_encode(std::string_view text);

// One page of `items` for a list call: in["Marker"] (from an earlier page) and in["MaxItems"]
// (default 100). Writes out[member], out["IsTruncated"] and, when truncated, out["Marker"].
void paginate(const boost::json::array& items, const boost::json::object& in,
              boost::json::object& out, std::string_view member);

// True when `path` starts with in["PathPrefix"] (or there is none).
bool path_matches(const boost::json::object& in, std::string_view path);

}  // namespace services::iam
