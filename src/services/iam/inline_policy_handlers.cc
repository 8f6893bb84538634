// Inline policies of roles, users and groups: Put/Get/Delete/List{Role,User,Group}Policies.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (and the others)

#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_names.h"
#include "services/iam/iam_service.h"
#include "services/iam/policy_document.h"

namespace services::iam {

namespace json = boost::json;

namespace {

json::object& inline_of(Doc& entity) {
  if (!entity["inline"].is_object()) entity["inline"].emplace_object();
  return entity["inline"].as_object();
}

protocol::AwsError no_inline(const Owner& owner, const std::string& policy) {
  return errors::not_found(std::string(owner.noun) + " policy", policy);
}

}  // namespace

Reply IamService::put_inline(const Owner& owner, const Ctx& ctx, const Doc& in) {
  std::string policy = core::str(in, "PolicyName");
  std::string document = core::str(in, "PolicyDocument");
  if (auto ok = check_name("policyName", policy); !ok) return ok.error();
  if (auto ok = validate_policy(document, PolicyKind::Identity); !ok) return ok.error();
  return change(ctx, owner, in, [&](IamStore&, Doc& entity) -> Reply {
    inline_of(entity)[policy] = document;
    return Doc{};
  });
}

Reply IamService::get_inline(const Owner& owner, const Ctx& ctx, const Doc& in) {
  std::string policy = core::str(in, "PolicyName");
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> entity =
        need(st, ctx, owner.kind, owner.noun, core::str(in, owner.name_member));
    if (!entity) return entity.error();
    const json::value* document = inline_of(*entity).if_contains(policy);
    if (!document) return no_inline(owner, policy);
    return Doc{{owner.name_member, entity->at(owner.name_member)},
               {"PolicyName", policy},
               {"PolicyDocument", url_encode(document->as_string())}};
  });
}

Reply IamService::delete_inline(const Owner& owner, const Ctx& ctx, const Doc& in) {
  std::string policy = core::str(in, "PolicyName");
  return change(ctx, owner, in, [&](IamStore&, Doc& entity) -> Reply {
    if (inline_of(entity).erase(policy) == 0) return no_inline(owner, policy);
    return Doc{};
  });
}

Reply IamService::list_inline(const Owner& owner, const Ctx& ctx, const Doc& in) {
  return read([&](IamStore& st) -> Reply {
    protocol::Result<Doc> entity =
        need(st, ctx, owner.kind, owner.noun, core::str(in, owner.name_member));
    if (!entity) return entity.error();
    std::vector<std::string> names;
    for (const auto& [name, doc] : inline_of(*entity)) names.emplace_back(name);
    std::sort(names.begin(), names.end());
    json::array list(names.begin(), names.end());
    Doc out;
    paginate(list, in, out, "PolicyNames");
    return out;
  });
}

}  // namespace services::iam
