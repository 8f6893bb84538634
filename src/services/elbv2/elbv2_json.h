#pragma once
// Reading model documents (protocol/model.h) and the ELB-shaped pieces several handlers share:
// ARNs and ids, markers (pagination), attribute lists, tags. AWS spelling stays in documents.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "protocol/aws_error.h"
#include "protocol/request_context.h"

namespace services::elbv2 {

using Doc = boost::json::object;

// Members of a document: core/json.h.
using core::arr;
using core::obj;
using core::opt_bool;
using core::opt_int;
using core::opt_str;
using core::str;
using core::strings;
// ELB's rules for load balancer and target group names (`kind`: "Load balancer", "Target
// group"): 1-32 alphanumerics or hyphens, not starting or ending with '-'. A ValidationError.
std::optional<protocol::AwsError> check_name(std::string_view kind, const std::string& name);
boost::json::array to_array(const std::vector<std::string>& values);

// Timestamps are epoch seconds (double) in model documents; ELB reports milliseconds.
double epoch(core::TimePoint t);

// arn:aws:elasticloadbalancing:<region>:<account>:<resource>
std::string elb_arn(const protocol::RequestContext& ctx, std::string_view resource);
// The 16 lower-case hex digits ELB puts at the end of its ARNs.
std::string elb_id();
// True when `arn` is an ELBv2 ARN of `kind` ("loadbalancer/app", "targetgroup", "listener/app",
// "listener-rule/app") in the caller's account and region.
bool arn_of_kind(const protocol::RequestContext& ctx, std::string_view arn, std::string_view kind);
// The load balancer ARN a listener or rule ARN belongs to.
std::string load_balancer_arn_of(std::string_view listener_or_rule_arn);

// Pagination: Marker is opaque to clients (base64 of "elbv2:" + the last key of the page);
// PageSize 1..400, default 400.
struct Page {
  int64_t size = 400;
  std::string after;
};
protocol::Result<Page> read_page(const Doc& in);
std::string make_marker(std::string_view last_key);

// Attributes travel as [{Key, Value}]; stored as a JSON object key -> value.
boost::json::array attributes_list(const Doc& attributes);
std::map<std::string, std::string> attributes_map(const Doc& attributes);

// Tags travel as [{Key, Value}]. Checks ELB's rules (key 1..128 without "aws:" unless
// `allow_reserved`: CloudFormation's in-process calls; value 0..256, no duplicate key in one
// request) and returns the error, if any.
std::optional<protocol::AwsError> check_tags(const boost::json::array& tags,
                                             bool allow_reserved = false);

// AWS's Route 53 hosted zone of application load balancers in `region`.
std::string_view canonical_hosted_zone_id(std::string_view region);

}  // namespace services::elbv2
