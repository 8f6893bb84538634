// Roles: create, read, list, update, delete and tag.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/policy_document.h"
#include "services/iam/tags.h"

namespace services::iam {

namespace json = boost::json;

namespace {

bool service_linked(const Doc& role) {
  return core::str(role, "Path").starts_with("/aws-service-role/");
}

protocol::AwsError protected_role(const Doc& role) {
  return errors::unmodifiable("Cannot perform the operation on the protected role '" +
                              core::str(role, "RoleName") +
                              "' - this role is only modifiable by AWS");
}

bool in_instance_profile(IamStore& st, const Ctx& ctx, std::string_view role_name) {
  for (const Doc& p : st.all(ctx.account, Kind::InstanceProfile)) {
    for (const std::string& r : core::strings(p, "roles")) {
      if (name_key(r) == name_key(role_name)) return true;
    }
  }
  return false;
}

}  // namespace

Reply IamService::insert_role(const Ctx& ctx, Doc role, const Doc& in) {
  std::string name = core::str(role, "RoleName");
  return write([&](IamStore& st) -> Reply {
    protocol::Result<std::optional<Doc>> boundary = boundary_of(st, ctx, in);
    if (!boundary) return boundary.error();
    if (*boundary) role["PermissionsBoundary"] = **boundary;
    if (!st.insert(ctx.account, Kind::Role, name, role)) {
      return errors::already_exists("Role with name " + name + " already exists.");
    }
    return Doc{{"Role", public_view(role)}};
  });
}

// CreateRole — https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
Reply IamService::create_role(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "RoleName");
  std::string path = core::str(in, "Path", "/");
  std::string trust = core::str(in, "AssumeRolePolicyDocument");
  if (auto ok = check_name("roleName", name); !ok) return ok.error();
  if (auto ok = check_path(path); !ok) return ok.error();
  if (auto ok = validate_policy(trust, PolicyKind::Trust); !ok) return ok.error();
  Doc role{{"Path", path},
           {"RoleName", name},
           {"RoleId", new_id("AROA")},
           {"Arn", entity_arn(ctx.account, "role", path, name)},
           {"CreateDate", now()},
           {"AssumeRolePolicyDocument", trust},
           {"MaxSessionDuration", core::opt_int(in, "MaxSessionDuration").value_or(3600)},
           {"Tags", json::array{}},
           {"inline", json::object{}},
           {"attached", json::array{}}};
  if (std::optional<std::string> d = core::opt_str(in, "Description")) role["Description"] = *d;
  add_tags(role, in);
  return insert_role(ctx, std::move(role), in);
}

// GetRole — https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
Reply IamService::get_role(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> role = need(st, ctx, Kind::Role, "role", core::str(in, "RoleName"));
    if (!role) return role.error();
    Doc out = public_view(*role);
    out["RoleLastUsed"] = json::object{};
    return Doc{{"Role", std::move(out)}};
  });
}

// ListRoles — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
Reply IamService::list_roles(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    json::array roles;
    for (const Doc& r : st.all(ctx.account, Kind::Role)) {
      if (!path_matches(in, core::str(r, "Path"))) continue;
      Doc v = public_view(r);
      v.erase("Tags");  // ListRoles leaves tags and the boundary out
      v.erase("PermissionsBoundary");
      roles.push_back(std::move(v));
    }
    Doc out;
    paginate(roles, in, out, "Roles");
    return out;
  });
}

// UpdateRole — https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html
Reply IamService::update_role(const Ctx& ctx, const Doc& in) {
  return change(ctx, kRoleOwner, in, [&](IamStore&, Doc& role) -> Reply {
    if (service_linked(role)) return protected_role(role);
    if (std::optional<std::string> d = core::opt_str(in, "Description")) role["Description"] = *d;
    if (std::optional<int64_t> s = core::opt_int(in, "MaxSessionDuration")) {
      role["MaxSessionDuration"] = *s;
    }
    return Doc{};
  });
}

// UpdateRoleDescription —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRoleDescription.html
Reply IamService::update_role_description(const Ctx& ctx, const Doc& in) {
  return change(ctx, kRoleOwner, in, [&](IamStore&, Doc& role) -> Reply {
    if (service_linked(role)) return protected_role(role);
    role["Description"] = core::str(in, "Description");
    return Doc{{"Role", public_view(role)}};
  });
}

// UpdateAssumeRolePolicy —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html
Reply IamService::update_assume_role_policy(const Ctx& ctx, const Doc& in) {
  std::string trust = core::str(in, "PolicyDocument");
  if (auto ok = validate_policy(trust, PolicyKind::Trust); !ok) return ok.error();
  return change(ctx, kRoleOwner, in, [&](IamStore&, Doc& role) -> Reply {
    if (service_linked(role)) return protected_role(role);
    role["AssumeRolePolicyDocument"] = trust;
    return Doc{};
  });
}

// DeleteRole — https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
Reply IamService::delete_role(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "RoleName");
  return write([&](IamStore& st) -> Reply {
    protocol::Result<Doc> role = need(st, ctx, Kind::Role, "role", name);
    if (!role) return role.error();
    if (service_linked(*role)) return protected_role(*role);
    if (in_instance_profile(st, ctx, name)) {
      return errors::delete_conflict(
          "Cannot delete entity, must remove roles from instance profile first.");
    }
    if (const json::array* a = core::arr(*role, "attached"); a && !a->empty()) {
      return errors::delete_conflict("Cannot delete entity, must detach all policies first.");
    }
    if (const json::object* p = core::obj(*role, "inline"); p && !p->empty()) {
      return errors::delete_conflict("Cannot delete entity, must delete policies first.");
    }
    st.erase(ctx.account, Kind::Role, name);
    return Doc{};
  });
}

// TagRole — https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagRole.html
Reply IamService::tag_role(const Ctx& ctx, const Doc& in) {
  return change(ctx, kRoleOwner, in, [&](IamStore&, Doc& role) -> Reply {
    add_tags(role, in);
    return Doc{};
  });
}

// UntagRole — https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagRole.html
Reply IamService::untag_role(const Ctx& ctx, const Doc& in) {
  return change(ctx, kRoleOwner, in, [&](IamStore&, Doc& role) -> Reply {
    remove_tags(role, in);
    return Doc{};
  });
}

// ListRoleTags — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoleTags.html
Reply IamService::list_role_tags(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> role = need(st, ctx, Kind::Role, "role", core::str(in, "RoleName"));
    if (!role) return role.error();
    return tags_page(*role, in);
  });
}

}  // namespace services::iam
