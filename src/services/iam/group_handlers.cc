// IAM groups and their members. Membership is kept on the user (its "groups").

#include <algorithm>
#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"

namespace services::iam {

namespace json = boost::json;

namespace {

bool member_of(const Doc& user, std::string_view group) {
  std::vector<std::string> groups = core::strings(user, "groups");
  return std::any_of(groups.begin(), groups.end(),
                     [&](const std::string& g) { return name_key(g) == name_key(group); });
}

Doc listed(const Doc& entity) {
  Doc v = public_view(entity);
  v.erase("Tags");
  return v;
}

}  // namespace

// CreateGroup — https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html
Reply IamService::create_group(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "GroupName");
  std::string path = core::str(in, "Path", "/");
  if (auto ok = check_name("groupName", name); !ok) return ok.error();
  if (auto ok = check_path(path); !ok) return ok.error();
  Doc group{{"Path", path},
            {"GroupName", name},
            {"GroupId", new_id("AGPA")},
            {"Arn", entity_arn(ctx.account, "group", path, name)},
            {"CreateDate", now()},
            {"inline", json::object{}},
            {"attached", json::array{}}};
  return write([&](IamStore& st) -> Reply {
    if (!st.insert(ctx.account, Kind::Group, name, group)) {
      return errors::already_exists("Group with name " + name + " already exists.");
    }
    return Doc{{"Group", public_view(group)}};
  });
}

// GetGroup — https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroup.html
Reply IamService::get_group(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "GroupName");
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> group = need(st, ctx, Kind::Group, "group", name);
    if (!group) return group.error();
    json::array users;
    for (const Doc& u : st.all(ctx.account, Kind::User)) {
      if (member_of(u, name)) users.push_back(listed(u));
    }
    Doc out{{"Group", public_view(*group)}};
    paginate(users, in, out, "Users");
    return out;
  });
}

// ListGroups — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroups.html
Reply IamService::list_groups(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    json::array groups;
    for (const Doc& g : st.all(ctx.account, Kind::Group)) {
      if (path_matches(in, core::str(g, "Path"))) groups.push_back(listed(g));
    }
    Doc out;
    paginate(groups, in, out, "Groups");
    return out;
  });
}

// DeleteGroup — https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html
Reply IamService::delete_group(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "GroupName");
  return write([&](IamStore& st) -> Reply {
    protocol::Result<Doc> group = need(st, ctx, Kind::Group, "group", name);
    if (!group) return group.error();
    std::vector<Doc> users = st.all(ctx.account, Kind::User);
    if (std::any_of(users.begin(), users.end(), [&](const Doc& u) { return member_of(u, name); })) {
      return errors::delete_conflict("Cannot delete entity, must remove users from group first.");
    }
    if (!core::strings(*group, "attached").empty()) {
      return errors::delete_conflict("Cannot delete entity, must detach all policies first.");
    }
    if (const json::object* p = core::obj(*group, "inline"); p && !p->empty()) {
      return errors::delete_conflict("Cannot delete entity, must delete policies first.");
    }
    st.erase(ctx.account, Kind::Group, name);
    return Doc{};
  });
}

// AddUserToGroup — https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html
Reply IamService::add_user_to_group(const Ctx& ctx, const Doc& in) {
  std::string group_name = core::str(in, "GroupName");
  return change(ctx, kUserOwner, in, [&](IamStore& st, Doc& user) -> Reply {
    protocol::Result<Doc> group = need(st, ctx, Kind::Group, "group", group_name);
    if (!group) return group.error();
    if (!member_of(user, group_name)) user["groups"].as_array().push_back(group->at("GroupName"));
    return Doc{};
  });
}

// RemoveUserFromGroup —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveUserFromGroup.html
Reply IamService::remove_user_from_group(const Ctx& ctx, const Doc& in) {
  std::string group_name = core::str(in, "GroupName");
  return change(ctx, kUserOwner, in, [&](IamStore& st, Doc& user) -> Reply {
    if (auto group = need(st, ctx, Kind::Group, "group", group_name); !group) return group.error();
    if (!member_of(user, group_name)) return errors::not_found("user", core::str(in, "UserName"));
    json::array& groups = user["groups"].as_array();
    groups.erase(std::remove_if(groups.begin(), groups.end(),
                                [&](const json::value& g) {
                                  return name_key(g.as_string()) == name_key(group_name);
                                }),
                 groups.end());
    return Doc{};
  });
}

// ListGroupsForUser —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupsForUser.html
Reply IamService::list_groups_for_user(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", core::str(in, "UserName"));
    if (!user) return user.error();
    json::array groups;
    for (const std::string& g : core::strings(*user, "groups")) {
      if (std::optional<Doc> group = st.get(ctx.account, Kind::Group, g)) {
        groups.push_back(listed(*group));
      }
    }
    Doc out;
    paginate(groups, in, out, "Groups");
    return out;
  });
}

}  // namespace services::iam
