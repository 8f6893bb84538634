// Instance profiles: a container for at most one role. The profile keeps its role's name
// ("roles") and shows the role as it is now.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/tags.h"

namespace services::iam {

namespace json = boost::json;

namespace {

protocol::AwsError no_profile(const std::string& name) {
  return errors::no_such_entity("Instance Profile " + name + " cannot be found.");
}

json::object view(IamStore& st, const Ctx& ctx, const Doc& profile) {
  json::array roles;
  for (const std::string& r : core::strings(profile, "roles")) {
    if (std::optional<Doc> role = st.get(ctx.account, Kind::Role, r)) {
      roles.push_back(public_view(*role));
    }
  }
  return profile_view(profile, roles);
}

bool holds(const Doc& profile, std::string_view role) {
  for (const std::string& r : core::strings(profile, "roles")) {
    if (name_key(r) == name_key(role)) return true;
  }
  return false;
}

}  // namespace

// CreateInstanceProfile —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html
Reply IamService::create_instance_profile(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "InstanceProfileName");
  std::string path = core::str(in, "Path", "/");
  if (auto ok = check_name("instanceProfileName", name); !ok) return ok.error();
  if (auto ok = check_path(path); !ok) return ok.error();
  Doc profile{{"Path", path},
              {"InstanceProfileName", name},
              {"InstanceProfileId", new_id("AIPA")},
              {"Arn", entity_arn(ctx.account, "instance-profile", path, name)},
              {"CreateDate", now()},
              {"Tags", json::array{}},
              {"roles", json::array{}}};
  add_tags(profile, in);
  return write([&](IamStore& st) -> Reply {
    if (!st.insert(ctx.account, Kind::InstanceProfile, name, profile)) {
      return errors::already_exists("Instance Profile " + name + " already exists.");
    }
    return Doc{{"InstanceProfile", profile_view(profile, json::array{})}};
  });
}

// GetInstanceProfile —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html
Reply IamService::get_instance_profile(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "InstanceProfileName");
  return read([&](IamStore& st) -> Reply {
    std::optional<Doc> profile = st.get(ctx.account, Kind::InstanceProfile, name);
    if (!profile) return no_profile(name);
    return Doc{{"InstanceProfile", view(st, ctx, *profile)}};
  });
}

// ListInstanceProfiles —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html
Reply IamService::list_instance_profiles(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    json::array profiles;
    for (const Doc& p : st.all(ctx.account, Kind::InstanceProfile)) {
      if (path_matches(in, core::str(p, "Path"))) profiles.push_back(view(st, ctx, p));
    }
    Doc out;
    paginate(profiles, in, out, "InstanceProfiles");
    return out;
  });
}

// DeleteInstanceProfile —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteInstanceProfile.html
Reply IamService::delete_instance_profile(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "InstanceProfileName");
  return write([&](IamStore& st) -> Reply {
    std::optional<Doc> profile = st.get(ctx.account, Kind::InstanceProfile, name);
    if (!profile) return no_profile(name);
    if (!core::strings(*profile, "roles").empty()) {
      return errors::delete_conflict(
          "Cannot delete entity, must remove roles from instance profile first.");
    }
    st.erase(ctx.account, Kind::InstanceProfile, name);
    return Doc{};
  });
}

// AddRoleToInstanceProfile —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html
Reply IamService::add_role_to_instance_profile(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "InstanceProfileName");
  return write([&](IamStore& st) -> Reply {
    std::optional<Doc> profile = st.get(ctx.account, Kind::InstanceProfile, name);
    if (!profile) return no_profile(name);
    protocol::Result<Doc> role = need(st, ctx, Kind::Role, "role", core::str(in, "RoleName"));
    if (!role) return role.error();
    if (!core::strings(*profile, "roles").empty()) {
      return errors::limit_exceeded(
          "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
    }
    (*profile)["roles"].as_array().push_back(role->at("RoleName"));
    st.put(ctx.account, Kind::InstanceProfile, name, *profile);
    return Doc{};
  });
}

// RemoveRoleFromInstanceProfile —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveRoleFromInstanceProfile.html
Reply IamService::remove_role_from_instance_profile(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "InstanceProfileName");
  std::string role = core::str(in, "RoleName");
  return write([&](IamStore& st) -> Reply {
    std::optional<Doc> profile = st.get(ctx.account, Kind::InstanceProfile, name);
    if (!profile) return no_profile(name);
    if (!holds(*profile, role)) return errors::not_found("role", role);
    (*profile)["roles"] = json::array{};
    st.put(ctx.account, Kind::InstanceProfile, name, *profile);
    return Doc{};
  });
}

// ListInstanceProfilesForRole —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfilesForRole.html
Reply IamService::list_instance_profiles_for_role(const Ctx& ctx, const Doc& in) {
  std::string role = core::str(in, "RoleName");
  return read([&](IamStore& st) -> Reply {
    if (auto r = need(st, ctx, Kind::Role, "role", role); !r) return r.error();
    json::array profiles;
    for (const Doc& p : st.all(ctx.account, Kind::InstanceProfile)) {
      if (holds(p, role)) profiles.push_back(view(st, ctx, p));
    }
    Doc out;
    paginate(profiles, in, out, "InstanceProfiles");
    return out;
  });
}

}  // namespace services::iam
