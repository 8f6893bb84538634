#pragma once
// What the container and scaling groups' providers share: CloudFormation properties turned into
// an operation's input by the service's model, property changes between two operations, update
// behaviour tables, tag updates and bounded waits.
//
// CloudFormation names a property as the API names its member, capitalised ("ContainerPort" for
// "containerPort", "EFSVolumeConfiguration" for "efsVolumeConfiguration"), and a template's
// scalars may be strings where the API wants numbers ("80", "true": YAML keeps their text), so
// one model-directed conversion serves every type instead of a hand-written mapping per field.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

using engine::ProvisionResult;
using engine::ResourceRequest;
using protocol::Result;

// A provider over the in-process client (which must outlive it).
class ClientProvider : public engine::ResourceProvider {
 public:
  explicit ClientProvider(const ServiceClient& client) : client_(client) {}

 protected:
  const ServiceClient& client_;
};

// A CloudFormation property whose API member has another name than its own (case aside), at any
// depth: {"PlacementStrategies", "placementStrategy"}.
using Renames = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// `cfn` (resolved properties) as the input of `service`'s `operation`: each property goes to the
// member of the same name ignoring case (or as `renames` says), recursively through structures,
// lists and maps (map keys are kept); strings become numbers or booleans where the model says so
// and numbers strings, ISO 8601 text timestamps. Properties the operation has no member for are
// left out.
boost::json::object api_input(std::string_view service, std::string_view operation,
                              const boost::json::object& cfn, Renames renames = {});

// The property `name` of the request's resolved properties; nullptr when absent.
const boost::json::value* prop(const engine::ResourceRequest& req, std::string_view name);
// The property as a string ("" when absent; numbers as their text).
std::string prop_str(const engine::ResourceRequest& req, std::string_view name);
// Whether `name` differs between the request's properties and its previous properties.
bool changed(const engine::ResourceRequest& req, std::string_view name);
// A CloudFormation boolean property: true, or "true" as a template may spell it.
bool prop_true(const engine::ResourceRequest& req, std::string_view name);

// No interruption for the listed properties, Replacement for every other (the documented
// "Update requires" of the type; an unknown property is replaced).
engine::UpdateBehavior behavior_of(std::string_view property,
                                   std::initializer_list<std::string_view> no_interruption);

// The tags a service's TagResource/UntagResource take: the member names of the resource ARN,
// the tag list, the key list and of a tag's key and value ("resourceArn", "tags", "tagKeys",
// "key", "value" for ECS).
struct TagApi {
  std::string_view service;
  std::string_view arn_member, tags_member, keys_member, key, value;
};
inline constexpr TagApi kEcsTags{"ecs", "resourceArn", "tags", "tagKeys", "key", "value"};
inline constexpr TagApi kEcrTags{"ecr", "resourceArn", "tags", "tagKeys", "Key", "Value"};
inline constexpr TagApi kCloudWatchTags{"cloudwatch", "ResourceARN", "Tags",
                                        "TagKeys",    "Key",         "Value"};

// The template's Tags changed: untags the keys no longer given and tags the new values (the
// aws:cloudformation:* tags stay).
protocol::Result<void> update_tags(const ServiceClient& client, const engine::ResourceRequest& req,
                                   const TagApi& api, const std::string& arn);

// `now` (an update's fresh read) after update_tags on the ARN in its attribute `arn_attribute`.
protocol::Result<engine::ProvisionResult> with_tags_updated(
    const ServiceClient& client, const engine::ResourceRequest& req, const TagApi& api,
    protocol::Result<engine::ProvisionResult> now, std::string_view arn_attribute = "Arn");

// Asks `done` every `interval` until it answers true or an error, for at most `limit` of real
// time; false when the limit passed first. For deletions that CloudFormation waits on
// synchronously (an ECS service draining its tasks).
protocol::Result<bool> wait_until(const std::function<protocol::Result<bool>()>& done,
                                  std::chrono::milliseconds limit,
                                  std::chrono::milliseconds interval);

// ECS's Describe* of one resource: `operation` with {refs_member: [ref]} plus `extra`, the first
// of `out_member` when its status is not INACTIVE, else `not_found` (DescribeClusters and
// DescribeServices answer a missing resource in failures[] rather than with an error).
protocol::Result<boost::json::object> ecs_describe_one(
    const ServiceClient& client, const engine::ResourceRequest& req, std::string_view operation,
    std::string_view refs_member, std::string_view out_member, const std::string& ref,
    boost::json::object extra, protocol::AwsError not_found);

// Whether `e` is one of the codes saying the resource is gone (remove() is idempotent).
bool is_code(const protocol::AwsError& e, std::initializer_list<std::string_view> codes);

}  // namespace services::cloudformation::resources
