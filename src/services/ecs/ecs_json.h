#pragma once
// Reading model documents (see protocol/model.h) and building the ECS-shaped pieces that several
// handlers share: ARNs, failures[], pagination tokens, tags. AWS spelling stays in documents;
// C++ names are converted here and, for the controllers' task and service records (records.h),
// in ecs_records.cc.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "protocol/aws_error.h"
#include "protocol/request_context.h"

namespace services::ecs {

// Members of a document: core/json.h.
using core::arr;
using core::obj;
using core::opt_bool;
using core::opt_int;
using core::opt_str;
using core::str;
using core::strings;

// Timestamps are epoch seconds (double) in model documents.
double epoch(core::TimePoint t);

// arn:aws:ecs:<region>:<account>:<resource>
std::string ecs_arn(const protocol::RequestContext& ctx, std::string_view resource);
// The last '/'-separated part of an ARN's resource, or `ref` itself when it is not an ARN.
std::string name_from_ref(std::string_view ref);
bool is_arn(std::string_view ref);

// {"arn": ..., "reason": ...}
boost::json::object failure(std::string_view arn, std::string_view reason);

// Pagination. A token is opaque to clients: base64 of "ecs1:" + the last key of the page.
struct Page {
  int64_t limit = 100;
  std::string after;  // "" for the first page
};
// Reads maxResults (1..max_results, default default_max) and nextToken.
protocol::Result<Page> read_page(const boost::json::object& in, int64_t default_max,
                                 int64_t max_results);
std::string make_token(std::string_view last_key);
// A List* reply: {<key>: keys[..limit], nextToken when more than page.limit were given}. Pass
// at most limit + 1 keys read after page.after.
boost::json::object page_out(std::vector<std::string> keys, const Page& page,
                             std::string_view key);

// Tags in documents are [{key, value}]. Checks ECS's limits (50 per resource, key 1..128,
// value 0..256, no "aws:" prefix unless `allow_reserved`: CloudFormation's in-process calls,
// RequestContext::via_cloudformation) and returns an error message, empty when valid.
std::string check_tags(const boost::json::array& tags, bool allow_reserved = false);

// ECS's twenty-character service deployment id: "ecs-svc/" + 19 digits.
std::string deployment_id();

}  // namespace services::ecs

namespace services::ecs {

// A new ACTIVE cluster document, as CreateCluster returns it before settings are applied.
boost::json::object new_cluster(const protocol::RequestContext& ctx, std::string_view name);

}  // namespace services::ecs
