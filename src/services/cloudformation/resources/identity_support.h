#pragma once
// What the identity group's providers (IAM, SSM, Secrets Manager, KMS) and the stack types share:
// reading template values the way CloudFormation coerces them, update behaviour tables, "gone
// counts as deleted", tag diffs, and the managed and inline policies of an IAM role, user or
// group. Stateless; safe to call from any thread.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/aws_error.h"
#include "services/cloudformation/engine/resource_provider.h"
#include "services/cloudformation/resources/service_client.h"

namespace services::cloudformation::resources {

// A policy document property: a JSON object (as templates write it) serialised, a string as is.
std::string json_text(const boost::json::value& v);
// A JSON document text read back into an object (a string that is not JSON stays a string).
boost::json::value json_value(std::string_view text);

// Template scalars keep their text ("3600", "true"); these read numbers and booleans either way.
std::optional<int64_t> int_property(const boost::json::object& props, std::string_view key);
std::optional<bool> bool_property(const boost::json::object& props, std::string_view key);

// `property` updates in place when it is one of `in_place`; every other property replaces.
engine::UpdateBehavior in_place_if_listed(std::string_view property,
                                          std::initializer_list<std::string_view> in_place);

// read()'s result: `out` with the live properties, in the template's names. A list property
// (ManagedPolicyArns, Groups, Roles) that holds the same members as the template's keeps the
// template's order, so that drift detection compares members, not the order IAM lists them in.
engine::ProvisionResult with_properties(engine::ProvisionResult out, boost::json::object props,
                                        const boost::json::value* expected = nullptr);

// The service's "does not exist" error (NoSuchEntity, ParameterNotFound, NotFoundException,
// ResourceNotFoundException).
bool is_not_found(const protocol::AwsError& e);
// A delete call's result with "already gone" counted as success.
protocol::Result<void> gone_is_ok(const protocol::Result<boost::json::object>& r);
protocol::Result<void> gone_is_ok(const protocol::AwsError& e);

// A [{Key, Value}] tag list's change: the tags to set and the keys no longer present.
struct TagChange {
  boost::json::array set;
  boost::json::array removed_keys;
};
TagChange tag_change(const boost::json::value* previous, const boost::json::value* current);
// The live [{Key, Value}] tags of `req`'s resource without those the stack added:
// CloudFormation's own aws:* tags and the stack's Tags, unless the template's Tags (a list or a
// map) name that key too. What read() reports as Tags.
boost::json::array template_tags(const engine::ResourceRequest& req,
                                 const boost::json::array& tags);

// An IAM principal that holds managed and inline policies.
enum class IamPrincipal { Role, User, Group };

// (kind, name) for every principal the Roles, Users and Groups properties name: ("Role", "app").
// The kind is the operations' infix (PutRolePolicy, AttachUserPolicy) and, plus "s", the property.
using PrincipalRef = std::pair<std::string, std::string>;
std::set<PrincipalRef> named_principals(const boost::json::object& props);

// Attaches and detaches ManagedPolicyArns, puts and deletes Policies ([{PolicyName,
// PolicyDocument}]) so that the principal matches `props`, starting from `previous` (null or {}
// on create).
protocol::Result<void> sync_principal_policies(const ServiceClient& client,
                                               const engine::ResourceRequest& req,
                                               IamPrincipal kind, const std::string& name,
                                               const boost::json::object& props,
                                               const boost::json::object& previous);
// Detaches every managed policy and deletes every inline policy: what DeleteRole, DeleteUser and
// DeleteGroup require first.
protocol::Result<void> strip_principal_policies(const ServiceClient& client,
                                                const engine::ResourceRequest& req,
                                                IamPrincipal kind, const std::string& name);
// The live ManagedPolicyArns and Policies of a principal, in the template's shapes (read()).
protocol::Result<void> read_principal_policies(const ServiceClient& client,
                                               const engine::ResourceRequest& req,
                                               IamPrincipal kind, const std::string& name,
                                               boost::json::object& out);
// Tag<Kind>/Untag<Kind> for a role or user from the template's Tags change.
protocol::Result<void> sync_principal_tags(const ServiceClient& client,
                                           const engine::ResourceRequest& req, IamPrincipal kind,
                                           const std::string& name);

}  // namespace services::cloudformation::resources

namespace services::cloudformation::resources {

// `configured` (the calls after a create succeeded); when it failed, runs `undo` (deleting what
// the create made, so that no orphan outlives a resource the stack never recorded) and returns
// the first error.
template <class Undo>
protocol::Result<void> or_undo(protocol::Result<void> configured, Undo&& undo) {
  if (configured) return {};
  (void)undo();
  return configured.error();
}

}  // namespace services::cloudformation::resources

namespace services::cloudformation::resources {

// Moves a membership from `had` to `want`: `drop(x)` for each x only in `had` (one already gone
// counts as dropped), then `add(x)` for each x only in `want`. Both return the service call's
// result; the first error stops.
template <class T, class Drop, class Add>
protocol::Result<void> sync_members(const std::set<T>& want, const std::set<T>& had, Drop&& drop,
                                    Add&& add) {
  for (const T& x : had) {
    if (want.contains(x)) continue;
    if (auto r = gone_is_ok(drop(x)); !r) return r;
  }
  for (const T& x : want) {
    if (had.contains(x)) continue;
    if (auto r = add(x); !r) return r.error();
  }
  return {};
}

// The strings of a list property as a set.
std::set<std::string> string_set(const boost::json::object& props, std::string_view key);

}  // namespace services::cloudformation::resources
