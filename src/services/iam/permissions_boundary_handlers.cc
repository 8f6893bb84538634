// Permissions boundaries of roles and users: the PermissionsBoundary of CreateRole/CreateUser
// and Put/Delete{Role,User}PermissionsBoundary. GetRole/GetUser show the boundary, the List
// operations do not; the policy evaluator (services/authz) allows only what the boundary allows
// too (Directory::permissions_boundary).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html

#include <boost/json.hpp>

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/iam_service.h"
#include "services/iam/managed_policies.h"

namespace services::iam {

namespace json = boost::json;

protocol::Result<std::optional<Doc>> boundary_of(IamStore& st, const Ctx& ctx, const Doc& in) {
  std::optional<std::string> arn = core::opt_str(in, "PermissionsBoundary");
  if (!arn) return std::optional<Doc>();
  if (!find_aws_managed(*arn) && !customer_policy(st, ctx, *arn)) {
    return errors::no_such_entity("Scope ARN: " + *arn + " does not exist or is not attachable.");
  }
  return std::optional<Doc>(
      Doc{{"PermissionsBoundaryType", "Policy"}, {"PermissionsBoundaryArn", *arn}});
}

Reply IamService::put_boundary(const Owner& owner, const Ctx& ctx, const Doc& in) {
  return change(ctx, owner, in, [&](IamStore& st, Doc& entity) -> Reply {
    protocol::Result<std::optional<Doc>> boundary = boundary_of(st, ctx, in);
    if (!boundary) return boundary.error();
    entity["PermissionsBoundary"] = **boundary;
    return Doc{};
  });
}

Reply IamService::delete_boundary(const Owner& owner, const Ctx& ctx, const Doc& in) {
  return change(ctx, owner, in, [&](IamStore&, Doc& entity) -> Reply {
    entity.erase("PermissionsBoundary");
    return Doc{};
  });
}

}  // namespace services::iam
