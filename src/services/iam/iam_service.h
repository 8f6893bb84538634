#pragma once
// AWS Identity and Access Management: roles, users, groups, access keys, managed and inline
// policies, instance profiles, OpenID Connect providers.
// https://docs.aws.amazon.com/IAM/latest/APIReference/welcome.html
//
// IAM is global: entities belong to the caller's account and the region is ignored. Handlers
// validate, run one transaction over IamStore and return. Thread-safe: handlers run
// concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/iam/authority.h"
#include "services/iam/iam_directory.h"
#include "services/iam/iam_store.h"
#include "store/db.h"

namespace services::iam {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

// A principal that owns inline policies and attachments: a role, a user or a group.
struct Owner {
  Kind kind;
  std::string_view noun;         // "role": messages and ListEntitiesForPolicy
  std::string_view name_member;  // "RoleName"
  std::string_view field;        // "roleName": validation messages
};
inline constexpr Owner kRoleOwner{Kind::Role, "role", "RoleName", "roleName"};
inline constexpr Owner kUserOwner{Kind::User, "user", "UserName", "userName"};
inline constexpr Owner kGroupOwner{Kind::Group, "group", "GroupName", "groupName"};

class IamService {
 public:
  // `authority` may be null: SimulatePrincipalPolicy/SimulateCustomPolicy are then not offered.
  IamService(store::Db& db, const core::Clock& clock, const IamDirectory& directory,
             const Authority* authority)
      : db_(db), clock_(clock), directory_(directory), authority_(authority) {}

  void register_operations(protocol::ServiceRegistry& registry);

  // role_handlers.cc
  Reply create_role(const Ctx& ctx, const Doc& in);
  Reply get_role(const Ctx& ctx, const Doc& in);
  Reply list_roles(const Ctx& ctx, const Doc& in);
  Reply update_role(const Ctx& ctx, const Doc& in);
  Reply update_role_description(const Ctx& ctx, const Doc& in);
  Reply update_assume_role_policy(const Ctx& ctx, const Doc& in);
  Reply delete_role(const Ctx& ctx, const Doc& in);
  Reply tag_role(const Ctx& ctx, const Doc& in);
  Reply untag_role(const Ctx& ctx, const Doc& in);
  Reply list_role_tags(const Ctx& ctx, const Doc& in);

  // service_linked_role_handlers.cc
  Reply create_service_linked_role(const Ctx& ctx, const Doc& in);
  Reply delete_service_linked_role(const Ctx& ctx, const Doc& in);
  Reply get_service_linked_role_deletion_status(const Ctx& ctx, const Doc& in);

  // managed_policy_handlers.cc
  Reply create_policy(const Ctx& ctx, const Doc& in);
  Reply get_policy(const Ctx& ctx, const Doc& in);
  Reply list_policies(const Ctx& ctx, const Doc& in);
  Reply delete_policy(const Ctx& ctx, const Doc& in);
  Reply tag_policy(const Ctx& ctx, const Doc& in);
  Reply untag_policy(const Ctx& ctx, const Doc& in);
  Reply list_policy_tags(const Ctx& ctx, const Doc& in);

  // policy_version_handlers.cc
  Reply create_policy_version(const Ctx& ctx, const Doc& in);
  Reply get_policy_version(const Ctx& ctx, const Doc& in);
  Reply list_policy_versions(const Ctx& ctx, const Doc& in);
  Reply delete_policy_version(const Ctx& ctx, const Doc& in);
  Reply set_default_policy_version(const Ctx& ctx, const Doc& in);

  // inline_policy_handlers.cc: Put/Get/Delete/List{Role,User,Group}Policies
  Reply put_inline(const Owner& owner, const Ctx& ctx, const Doc& in);
  Reply get_inline(const Owner& owner, const Ctx& ctx, const Doc& in);
  Reply delete_inline(const Owner& owner, const Ctx& ctx, const Doc& in);
  Reply list_inline(const Owner& owner, const Ctx& ctx, const Doc& in);

  // attachment_handlers.cc: Attach/Detach/ListAttached{Role,User,Group}Policies
  Reply attach(const Owner& owner, const Ctx& ctx, const Doc& in);
  Reply detach(const Owner& owner, const Ctx& ctx, const Doc& in);
  Reply list_attached(const Owner& owner, const Ctx& ctx, const Doc& in);
  Reply list_entities_for_policy(const Ctx& ctx, const Doc& in);

  // permissions_boundary_handlers.cc: Put/Delete{Role,User}PermissionsBoundary
  Reply put_boundary(const Owner& owner, const Ctx& ctx, const Doc& in);
  Reply delete_boundary(const Owner& owner, const Ctx& ctx, const Doc& in);

  // signing_certificate_handlers.cc
  Reply upload_signing_certificate(const Ctx& ctx, const Doc& in);
  Reply update_signing_certificate(const Ctx& ctx, const Doc& in);
  Reply delete_signing_certificate(const Ctx& ctx, const Doc& in);
  Reply list_signing_certificates(const Ctx& ctx, const Doc& in);

  // user_handlers.cc
  Reply create_user(const Ctx& ctx, const Doc& in);
  Reply get_user(const Ctx& ctx, const Doc& in);
  Reply list_users(const Ctx& ctx, const Doc& in);
  Reply update_user(const Ctx& ctx, const Doc& in);
  Reply delete_user(const Ctx& ctx, const Doc& in);
  Reply tag_user(const Ctx& ctx, const Doc& in);
  Reply untag_user(const Ctx& ctx, const Doc& in);
  Reply list_user_tags(const Ctx& ctx, const Doc& in);

  // group_handlers.cc
  Reply create_group(const Ctx& ctx, const Doc& in);
  Reply get_group(const Ctx& ctx, const Doc& in);
  Reply list_groups(const Ctx& ctx, const Doc& in);
  Reply delete_group(const Ctx& ctx, const Doc& in);
  Reply add_user_to_group(const Ctx& ctx, const Doc& in);
  Reply remove_user_from_group(const Ctx& ctx, const Doc& in);
  Reply list_groups_for_user(const Ctx& ctx, const Doc& in);

  // access_key_handlers.cc
  Reply create_access_key(const Ctx& ctx, const Doc& in);
  Reply list_access_keys(const Ctx& ctx, const Doc& in);
  Reply update_access_key(const Ctx& ctx, const Doc& in);
  Reply delete_access_key(const Ctx& ctx, const Doc& in);
  Reply get_access_key_last_used(const Ctx& ctx, const Doc& in);

  // instance_profile_handlers.cc
  Reply create_instance_profile(const Ctx& ctx, const Doc& in);
  Reply get_instance_profile(const Ctx& ctx, const Doc& in);
  Reply list_instance_profiles(const Ctx& ctx, const Doc& in);
  Reply delete_instance_profile(const Ctx& ctx, const Doc& in);
  Reply add_role_to_instance_profile(const Ctx& ctx, const Doc& in);
  Reply remove_role_from_instance_profile(const Ctx& ctx, const Doc& in);
  Reply list_instance_profiles_for_role(const Ctx& ctx, const Doc& in);

  // oidc_handlers.cc
  Reply create_oidc_provider(const Ctx& ctx, const Doc& in);
  Reply get_oidc_provider(const Ctx& ctx, const Doc& in);
  Reply list_oidc_providers(const Ctx& ctx, const Doc& in);
  Reply delete_oidc_provider(const Ctx& ctx, const Doc& in);
  Reply add_client_id_to_oidc_provider(const Ctx& ctx, const Doc& in);
  Reply remove_client_id_from_oidc_provider(const Ctx& ctx, const Doc& in);
  Reply update_oidc_provider_thumbprint(const Ctx& ctx, const Doc& in);
  Reply tag_oidc_provider(const Ctx& ctx, const Doc& in);
  Reply untag_oidc_provider(const Ctx& ctx, const Doc& in);
  Reply list_oidc_provider_tags(const Ctx& ctx, const Doc& in);

  // account_handlers.cc
  Reply get_account_authorization_details(const Ctx& ctx, const Doc& in);
  Reply get_account_summary(const Ctx& ctx, const Doc& in);

  // simulate_handlers.cc
  Reply simulate_principal_policy(const Ctx& ctx, const Doc& in);
  Reply simulate_custom_policy(const Ctx& ctx, const Doc& in);

 private:
  using Step = std::function<Reply(IamStore&)>;
  using EntityStep = std::function<Reply(IamStore&, Doc&)>;
  // Runs `step` in a read transaction.
  Reply read(const Step& step);
  // Runs `step` in a write transaction that commits when it succeeds.
  Reply write(const Step& step);
  // Runs `step` on the entity that in[owner.name_member] names, in a write transaction; the
  // entity is stored back (and the transaction committed) when the step succeeds.
  Reply change(const Ctx& ctx, const Owner& owner, const Doc& in, const EntityStep& step);
  // Runs `step` on the customer managed policy `arn` names, in a write transaction; the policy is
  // stored back when the step succeeds. NoSuchEntity for any other ARN.
  Reply change_policy(const Ctx& ctx, std::string_view arn, const EntityStep& step);
  // The simulation of in["ActionNames"] x in["ResourceArns"] for `principal_arn`.
  Reply evaluate(const Ctx& ctx, const Doc& in, const std::string& principal_arn);
  // Stores a new role with the boundary in["PermissionsBoundary"] names, if any.
  Reply insert_role(const Ctx& ctx, Doc role, const Doc& in);
  int64_t now() const;

  store::Db& db_;
  const core::Clock& clock_;
  const IamDirectory& directory_;
  const Authority* authority_;
};

// The entity `name` of `kind`, or NoSuchEntity ("The <noun> with name X cannot be found.").
protocol::Result<Doc> need(IamStore& st, const Ctx& ctx, Kind kind, std::string_view noun,
                           std::string_view name);
// The customer managed policy `arn` names in the caller's account (its path must match), or
// nullopt.
std::optional<Doc> customer_policy(IamStore& st, const Ctx& ctx, std::string_view arn);
// The PermissionsBoundary object for in["PermissionsBoundary"] (nullopt without one), or
// NoSuchEntity "Scope ARN: <arn> does not exist or is not attachable."
protocol::Result<std::optional<Doc>> boundary_of(IamStore& st, const Ctx& ctx, const Doc& in);
// The IAM user name of the caller (its ARN is arn:aws:iam::<account>:user/...), else nullopt.
std::optional<std::string> caller_user_name(const Ctx& ctx);
// How many roles, users and groups of the account have `arn` attached.
int64_t attachment_count(IamStore& st, const Ctx& ctx, std::string_view arn);

}  // namespace services::iam
