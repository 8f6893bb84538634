#pragma once
// Reading model documents (see protocol/model.h) and the tag lists that every EC2 resource
// carries. Documents keep AWS spelling ("VpcId"); C++ names stay snake_case.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "protocol/aws_error.h"
#include "protocol/request_context.h"

namespace services::ec2 {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// Members of a document: core/json.h.
using core::arr;
using core::obj;
using core::opt_bool;
using core::opt_int;
using core::opt_str;
using core::str;
using core::strings;
bool flag(const Doc& o, std::string_view key);  // opt_bool(...).value_or(false)

// The tag list member of a resource document: "TagSet" for network interfaces, else "Tags".
std::string_view tag_member(std::string_view resource_id);
// Sets (adds or replaces by key) tags on `doc`.
void merge_tags(Doc& doc, std::string_view member, const boost::json::array& tags);
// Validates tags from a request: keys present, not "aws:"-prefixed unless `allow_reserved`
// (CloudFormation's in-process calls, which tag a stack's resources aws:cloudformation:*), at
// most 50.
protocol::Result<void> validate_tags(const boost::json::array& tags, bool allow_reserved = false);
// The tags from TagSpecifications whose ResourceType is `resource_type`; another type is
// InvalidParameterValue, as EC2 answers. Reserved keys only from CloudFormation (`ctx`).
protocol::Result<boost::json::array> tags_from_specifications(const protocol::RequestContext& ctx,
                                                              const Doc& in,
                                                              std::string_view resource_type);

}  // namespace services::ec2
