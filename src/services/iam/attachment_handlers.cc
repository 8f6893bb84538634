// Managed policies attached to roles, users and groups: Attach/Detach/ListAttached
// {Role,User,Group}Policies and ListEntitiesForPolicy.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html (and the others)

#include <algorithm>
#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/managed_policies.h"

namespace services::iam {

namespace json = boost::json;

namespace {

// IAM's default quota of managed policies per role, user or group.
constexpr std::size_t kMaxAttached = 10;

json::array& attached_of(Doc& entity) {
  if (!entity["attached"].is_array()) entity["attached"].emplace_array();
  return entity["attached"].as_array();
}

std::string_view quota_name(const Owner& owner) {
  return owner.kind == Kind::Role   ? "PoliciesPerRole"
         : owner.kind == Kind::User ? "PoliciesPerUser"
                                    : "PoliciesPerGroup";
}

// arn:aws:iam::<account>:policy<path><name> -> path.
std::string path_of_policy_arn(std::string_view arn) {
  std::size_t start = arn.find(":policy/");
  if (start == std::string_view::npos) return "/";
  start += 7;
  return std::string(arn.substr(start, arn.rfind('/') + 1 - start));
}

}  // namespace

Reply IamService::attach(const Owner& owner, const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  return write([&](IamStore& st) -> Reply {
    if (!find_aws_managed(arn) && !customer_policy(st, ctx, arn)) {
      return errors::not_attachable(arn);
    }
    std::string name = core::str(in, owner.name_member);
    protocol::Result<Doc> entity = need(st, ctx, owner.kind, owner.noun, name);
    if (!entity) return entity.error();
    json::array& attached = attached_of(*entity);
    if (std::find(attached.begin(), attached.end(), json::value(arn)) != attached.end()) {
      return Doc{};
    }
    if (attached.size() >= kMaxAttached) {
      return errors::limit_exceeded("Cannot exceed quota for " + std::string(quota_name(owner)) +
                                    ": " + std::to_string(kMaxAttached));
    }
    attached.push_back(json::value(arn));
    st.put(ctx.account, owner.kind, name, *entity);
    return Doc{};
  });
}

Reply IamService::detach(const Owner& owner, const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  return change(ctx, owner, in, [&](IamStore&, Doc& entity) -> Reply {
    json::array& attached = attached_of(entity);
    auto it = std::find(attached.begin(), attached.end(), json::value(arn));
    if (it == attached.end()) return errors::policy_not_found(arn);
    attached.erase(it);
    return Doc{};
  });
}

Reply IamService::list_attached(const Owner& owner, const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> entity =
        need(st, ctx, owner.kind, owner.noun, core::str(in, owner.name_member));
    if (!entity) return entity.error();
    json::array list;
    for (const std::string& arn : core::strings(*entity, "attached")) {
      if (!path_matches(in, path_of_policy_arn(arn))) continue;
      list.push_back(
          json::object{{"PolicyName", arn.substr(arn.rfind('/') + 1)}, {"PolicyArn", arn}});
    }
    Doc out;
    paginate(list, in, out, "AttachedPolicies");
    return out;
  });
}

// ListEntitiesForPolicy —
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
Reply IamService::list_entities_for_policy(const Ctx& ctx, const Doc& in) {
  std::string arn = core::str(in, "PolicyArn");
  std::string filter = core::str(in, "EntityFilter");
  return read([&](IamStore& st) -> Reply {
    if (!find_aws_managed(arn) && !customer_policy(st, ctx, arn)) {
      return errors::policy_not_found(arn);
    }
    Doc out;
    struct Listed {
      Kind kind;
      std::string_view filter, member, name, id;
    };
    for (const Listed& l : {Listed{Kind::Group, "Group", "PolicyGroups", "GroupName", "GroupId"},
                            Listed{Kind::User, "User", "PolicyUsers", "UserName", "UserId"},
                            Listed{Kind::Role, "Role", "PolicyRoles", "RoleName", "RoleId"}}) {
      json::array list;
      bool wanted = filter.empty() || filter == l.filter;
      for (const Doc& e : wanted ? st.all(ctx.account, l.kind) : std::vector<Doc>{}) {
        std::vector<std::string> attached = core::strings(e, "attached");
        if (std::find(attached.begin(), attached.end(), arn) == attached.end()) continue;
        if (!path_matches(in, core::str(e, "Path"))) continue;
        list.push_back(json::object{{l.name, e.at(l.name)}, {l.id, e.at(l.id)}});
      }
      out[l.member] = std::move(list);
    }
    out["IsTruncated"] = false;
    return out;
  });
}

}  // namespace services::iam
