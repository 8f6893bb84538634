#pragma once
// Helpers shared by the load_balancing group's providers (ELBv2 and CloudWatch Logs types).
//
// Template values arrive loosely typed: a port may be 80 or "80" (a parameter is always text), a
// flag true or "true". `typed_call` converts the input to the types of the operation's model
// (botocore's shapes) before calling, the way CloudFormation's handlers convert their schema
// values to the SDK's, so that a provider can pass the template's objects through when their
// member names match the API's (ELBv2's DefaultActions, Conditions, Matcher...).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources::lb {

namespace json = boost::json;

// `input` converted to the model types of `service`.`operation`'s input (strings to numbers and
// booleans, numbers and booleans to strings, recursively), then called.
protocol::Result<json::object> typed_call(const ServiceClient& client,
                                          const engine::ResourceRequest& req,
                                          std::string_view service, std::string_view operation,
                                          const json::object& input);

// A property's text ("80" for 80) or nullopt when absent or not a scalar.
std::optional<std::string> text(const json::object& props, std::string_view key);

// Whether `key` differs between the request's properties and its previous properties.
using resources::changed;
// Whether any of `keys` changed.
bool any_changed(const engine::ResourceRequest& req, std::span<const std::string_view> keys);
inline bool any_changed(const engine::ResourceRequest& req,
                        std::initializer_list<std::string_view> keys) {
  return any_changed(req, std::span(keys.begin(), keys.size()));
}

// Copies each of `keys` present in `from` into `to`.
void copy_present(const json::object& from, json::object& to,
                  std::span<const std::string_view> keys);
inline void copy_present(const json::object& from, json::object& to,
                         std::initializer_list<std::string_view> keys) {
  copy_present(from, to, std::span(keys.begin(), keys.size()));
}

// Copies each `from` member present under its API name: {{"KmsKeyId", "kmsKeyId"}}.
void copy_renamed(const json::object& from, json::object& to,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> names);

// The first element of `out[list]` as an object ({} when missing).
json::object first_of(const json::object& out, std::string_view list);

// What follows `marker` in `arn`: "app/web/50dc6c495c0c9188" for ":loadbalancer/".
std::string arn_suffix(const std::string& arn, std::string_view marker);

// The outcome of a call whose output is not needed.
protocol::Result<void> no_output(const protocol::Result<json::object>& r);

// A remove() that found the resource already gone counts as done.
protocol::Result<void> gone_is_ok(const protocol::Result<json::object>& r,
                                  std::string_view not_found_code);

// The tags of a taggable resource as the stack creates them (stack_tags), Values as text.
json::array tag_list(const engine::ResourceRequest& req);
// The same as a {key: value} map (CloudWatch Logs).
json::object tag_map(const engine::ResourceRequest& req);
// The template's Tags of `props` as a {key: value} map.
json::object template_tag_map(const json::value& props);
// Keys present in `before` but not in `after`.
json::array removed_keys(const json::object& before, const json::object& after);

// The start of an ELBv2 Create* input: the template's Name (else a generated one of at most
// 32 characters, ELBv2's limit) and the tags.
json::object named_elbv2_input(const engine::ResourceRequest& req);

// [{Key, Value}] attributes of `props[key]` with their Values as text (ELBv2 wants strings).
json::array key_values(const json::object& props, std::string_view key);

// read()'s live properties as drift detection compares them: where the template gave the same
// value in another JSON type (80 and "80", true and "true"), the template's form.
json::object live_properties(const engine::ResourceRequest& req, json::object live);

// ELBv2's Modify<X>Attributes (`operation`) on `arn` (the `arn_member` of its input) with the
// template's `key` attributes; nothing when the template gives none.
protocol::Result<void> modify_elbv2_attributes(const ServiceClient& client,
                                               const engine::ResourceRequest& req,
                                               std::string_view operation,
                                               std::string_view arn_member, const std::string& arn,
                                               std::string_view key);

// ELBv2 tags: adds the template's current Tags and removes those it dropped.
protocol::Result<void> sync_elbv2_tags(const ServiceClient& client,
                                       const engine::ResourceRequest& req);

}  // namespace services::cloudformation::resources::lb
