// IAM users: create, read, list, rename, delete and tag.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_json.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/tags.h"

namespace services::iam {

namespace json = boost::json;

std::optional<std::string> caller_user_name(const Ctx& ctx) {
  std::size_t at = ctx.caller_arn.find(":user/");
  if (at == std::string::npos || !ctx.caller_arn.starts_with("arn:aws:iam::")) return std::nullopt;
  return ctx.caller_arn.substr(ctx.caller_arn.rfind('/') + 1);
}

// CreateUser — https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
Reply IamService::create_user(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "UserName");
  std::string path = core::str(in, "Path", "/");
  if (auto ok = check_name("userName", name); !ok) return ok.error();
  if (auto ok = check_path(path); !ok) return ok.error();
  Doc user{{"Path", path},
           {"UserName", name},
           {"UserId", new_id("AIDA")},
           {"Arn", entity_arn(ctx.account, "user", path, name)},
           {"CreateDate", now()},
           {"Tags", json::array{}},
           {"inline", json::object{}},
           {"attached", json::array{}},
           {"groups", json::array{}}};
  add_tags(user, in);
  return write([&](IamStore& st) -> Reply {
    protocol::Result<std::optional<Doc>> boundary = boundary_of(st, ctx, in);
    if (!boundary) return boundary.error();
    if (*boundary) user["PermissionsBoundary"] = **boundary;
    if (!st.insert(ctx.account, Kind::User, name, user)) {
      return errors::already_exists("User with name " + name + " already exists.");
    }
    return Doc{{"User", public_view(user)}};
  });
}

// GetUser — https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
// Without UserName, the caller's own user (the account's root user for root credentials).
Reply IamService::get_user(const Ctx& ctx, const Doc& in) {
  std::optional<std::string> name = core::opt_str(in, "UserName");
  if (!name) name = caller_user_name(ctx);
  if (!name) {
    if (!ctx.caller_arn.ends_with(":root")) {
      return errors::validation("Must specify userName when calling with non-User credentials");
    }
    return Doc{{"User", {{"UserId", ctx.account}, {"Arn", ctx.caller_arn}, {"CreateDate", 0}}}};
  }
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", *name);
    if (!user) return user.error();
    return Doc{{"User", public_view(*user)}};
  });
}

// ListUsers — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html
Reply IamService::list_users(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    json::array users;
    for (const Doc& u : st.all(ctx.account, Kind::User)) {
      if (!path_matches(in, core::str(u, "Path"))) continue;
      Doc v = public_view(u);
      v.erase("Tags");
      v.erase("PermissionsBoundary");
      users.push_back(std::move(v));
    }
    Doc out;
    paginate(users, in, out, "Users");
    return out;
  });
}

// UpdateUser — https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html
Reply IamService::update_user(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "UserName");
  std::string new_name = core::str(in, "NewUserName", name);
  std::optional<std::string> new_path = core::opt_str(in, "NewPath");
  if (auto ok = check_name("newUserName", new_name); !ok) return ok.error();
  if (new_path) {
    if (auto ok = check_path(*new_path); !ok) return ok.error();
  }
  return write([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", name);
    if (!user) return user.error();
    std::string path = new_path.value_or(core::str(*user, "Path"));
    (*user)["UserName"] = new_name;
    (*user)["Path"] = path;
    (*user)["Arn"] = entity_arn(ctx.account, "user", path, new_name);
    if (name_key(new_name) == name_key(name)) {
      st.put(ctx.account, Kind::User, name, *user);
      return Doc{};
    }
    if (!st.insert(ctx.account, Kind::User, new_name, *user)) {
      return errors::already_exists("User with name " + new_name + " already exists.");
    }
    st.erase(ctx.account, Kind::User, name);
    st.move_keys(ctx.account, name, new_name);
    return Doc{};
  });
}

// DeleteUser — https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
Reply IamService::delete_user(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "UserName");
  return write([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", name);
    if (!user) return user.error();
    if (!st.keys_of(ctx.account, name).empty()) {
      return errors::delete_conflict("Cannot delete entity, must delete access keys first.");
    }
    if (!core::strings(*user, "groups").empty()) {
      return errors::delete_conflict("Cannot delete entity, must remove users from group first.");
    }
    if (!core::strings(*user, "attached").empty()) {
      return errors::delete_conflict("Cannot delete entity, must detach all policies first.");
    }
    if (const json::object* p = core::obj(*user, "inline"); p && !p->empty()) {
      return errors::delete_conflict("Cannot delete entity, must delete policies first.");
    }
    st.erase(ctx.account, Kind::User, name);
    return Doc{};
  });
}

// TagUser — https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagUser.html
Reply IamService::tag_user(const Ctx& ctx, const Doc& in) {
  return change(ctx, kUserOwner, in, [&](IamStore&, Doc& user) -> Reply {
    add_tags(user, in);
    return Doc{};
  });
}

// UntagUser — https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagUser.html
Reply IamService::untag_user(const Ctx& ctx, const Doc& in) {
  return change(ctx, kUserOwner, in, [&](IamStore&, Doc& user) -> Reply {
    remove_tags(user, in);
    return Doc{};
  });
}

// ListUserTags — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserTags.html
Reply IamService::list_user_tags(const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> user = need(st, ctx, Kind::User, "user", core::str(in, "UserName"));
    if (!user) return user.error();
    return tags_page(*user, in);
  });
}

}  // namespace services::iam
