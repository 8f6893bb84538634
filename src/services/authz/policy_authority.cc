#include "services/authz/policy_authority.h"

#include <cmath>

#include "core/time_format.h"

namespace services::authz {
namespace {

// The part of an ARN after "<account>:" ("user/path/name", "assumed-role/R/S", "root").
std::string_view arn_resource(std::string_view arn) {
  std::string_view account = arn_account(arn);
  if (account.empty()) return {};
  std::size_t start = static_cast<std::size_t>(account.data() - arn.data()) + account.size() + 1;
  return start <= arn.size() ? arn.substr(start) : std::string_view();
}

bool is_root(std::string_view arn) { return arn.starts_with("arn:aws:iam::") && arn.ends_with(":root"); }

iam::AuthzResult decide(const std::vector<SourcedPolicy>& policies, const EvalInput& in) {
  Evaluation e = evaluate(policies, in);
  return {e.decision, "", std::move(e.matched)};
}

}  // namespace

std::string denial_message(const iam::AuthzRequest& request, iam::Decision decision,
                           std::string_view kind) {
  std::string m = "User: " + request.principal_arn + " is not authorized to perform: " +
                  request.action + " on resource: " + request.resource;
  if (decision == iam::Decision::ExplicitDeny) {
    return m + " with an explicit deny in a" + (kind.starts_with('i') ? "n " : " ") +
           std::string(kind);
  }
  return m + " because no " + std::string(kind) + " allows the " + request.action + " action";
}

KeyValues PolicyAuthority::context_keys(const iam::AuthzRequest& request) const {
  KeyValues keys(request.keys);
  const std::string& arn = request.principal_arn;
  std::string_view resource = arn_resource(arn);
  keys.set_if_absent("aws:PrincipalArn", {arn});
  keys.set_if_absent("aws:PrincipalAccount", {std::string(arn_account(arn))});
  keys.set_if_absent("aws:RequestedRegion", {request.region});
  core::TimePoint now = clock_.now();
  keys.set_if_absent("aws:CurrentTime", {core::format_iso8601(now)});
  keys.set_if_absent("aws:EpochTime",
                     {std::to_string(static_cast<int64_t>(std::floor(core::to_epoch_seconds(now))))});
  if (resource.starts_with("user/")) {
    keys.set_if_absent("aws:username", {std::string(resource.substr(resource.rfind('/') + 1))});
  }
  if (!directory_) return keys;
  iam::Tags tags = directory_->principal_tags(arn);
  if (resource.starts_with("assumed-role/")) {
    std::string_view rest = resource.substr(13);
    std::string_view role_name = rest.substr(0, rest.find('/'));
    std::string_view session = rest.substr(std::min(rest.size(), role_name.size() + 1));
    if (auto role = directory_->find_role(arn_account(arn), role_name)) {
      if (tags.empty()) tags = role->tags;
      keys.set_if_absent("aws:userid", {role->role_id + ":" + std::string(session)});
    }
  }
  for (auto& [k, v] : tags) keys.set_if_absent("aws:PrincipalTag/" + k, {v});  // session tags win
  return keys;
}

iam::AuthzResult PolicyAuthority::authorize(const iam::AuthzRequest& request) const {
  iam::AuthzRequest r = request;
  return authorize_each(r, {request.resource});
}

iam::AuthzResult PolicyAuthority::authorize_each(iam::AuthzRequest& request,
                                                 const std::vector<std::string>& resources) const {
  // The root user of the account may do anything in it.
  if (is_root(request.principal_arn) && arn_account(request.principal_arn) == request.account) {
    return {iam::Decision::Allow, "", {}};
  }
  std::vector<SourcedPolicy> policies;
  std::vector<SourcedPolicy> boundary;
  if (directory_) {
    for (const iam::PolicyText& p : directory_->identity_policies(request.principal_arn)) {
      policies.push_back({p.source, cache_.get(p.document)});
    }
    if (auto b = directory_->permissions_boundary(request.principal_arn)) {
      boundary.push_back({b->source, cache_.get(b->document)});
    }
  }
  KeyValues keys = context_keys(request);
  iam::AuthzResult r;
  for (const std::string& resource : resources) {
    request.resource = resource;
    EvalInput e{.action = request.action,
                .resource = request.resource,
                .principal = request.principal_arn,
                .keys = keys};
    r = decide(policies, e);
    if (!r.allowed()) {
      r.message = denial_message(request, r.decision, "identity-based policy");
      break;
    }
    // A boundary limits what the identity-based policies allow; it grants nothing itself.
    if (!boundary.empty()) {
      iam::AuthzResult b = decide(boundary, e);
      if (!b.allowed()) {
        r = b;
        r.message = denial_message(request, b.decision, "permissions boundary");
        break;
      }
    }
  }
  return r;
}

iam::AuthzResult PolicyAuthority::authorize_trust(const iam::RoleInfo& role,
                                                  const iam::AuthzRequest& request) const {
  std::vector<SourcedPolicy> policies{{role.arn, cache_.get(role.assume_role_policy)}};
  KeyValues keys = context_keys(request);
  iam::AuthzResult r = decide(policies, {.action = request.action,
                                         .resource = role.arn,
                                         .principal = request.principal_arn,
                                         .keys = keys});
  if (!r.allowed()) {
    // AssumeRole's denial names the role and gives no reason.
    r.message = "User: " + request.principal_arn + " is not authorized to perform: " +
                request.action + " on resource: " + role.arn;
  }
  return r;
}

}  // namespace services::authz
