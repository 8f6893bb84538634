#include "services/iam/iam_service.h"

#include "core/json.h"
#include "services/iam/errors.h"
#include "services/iam/managed_policies.h"

namespace services::iam {

namespace json = boost::json;

namespace {

using OwnedFn = Reply (IamService::*)(const Owner&, const Ctx&, const Doc&);

// One of the handlers shared by roles, users and groups, bound to its owner kind.
protocol::Handler owned(IamService* self, OwnedFn fn, const Owner& owner) {
  return [self, fn, &owner](const Ctx& ctx, const Doc& in) { return (self->*fn)(owner, ctx, in); };
}

// Roles, service-linked roles and managed policies with their versions.
protocol::OperationTable role_and_policy_operations(IamService* self) {
  auto m = [self](auto fn) { return protocol::method(self, fn); };
  return {
      {"CreateRole", m(&IamService::create_role)},
      {"GetRole", m(&IamService::get_role)},
      {"ListRoles", m(&IamService::list_roles)},
      {"UpdateRole", m(&IamService::update_role)},
      {"UpdateRoleDescription", m(&IamService::update_role_description)},
      {"UpdateAssumeRolePolicy", m(&IamService::update_assume_role_policy)},
      {"DeleteRole", m(&IamService::delete_role)},
      {"TagRole", m(&IamService::tag_role)},
      {"UntagRole", m(&IamService::untag_role)},
      {"ListRoleTags", m(&IamService::list_role_tags)},
      {"CreateServiceLinkedRole", m(&IamService::create_service_linked_role)},
      {"DeleteServiceLinkedRole", m(&IamService::delete_service_linked_role)},
      {"GetServiceLinkedRoleDeletionStatus",
       m(&IamService::get_service_linked_role_deletion_status)},
      {"CreatePolicy", m(&IamService::create_policy)},
      {"GetPolicy", m(&IamService::get_policy)},
      {"ListPolicies", m(&IamService::list_policies)},
      {"DeletePolicy", m(&IamService::delete_policy)},
      {"TagPolicy", m(&IamService::tag_policy)},
      {"UntagPolicy", m(&IamService::untag_policy)},
      {"ListPolicyTags", m(&IamService::list_policy_tags)},
      {"CreatePolicyVersion", m(&IamService::create_policy_version)},
      {"GetPolicyVersion", m(&IamService::get_policy_version)},
      {"ListPolicyVersions", m(&IamService::list_policy_versions)},
      {"DeletePolicyVersion", m(&IamService::delete_policy_version)},
      {"SetDefaultPolicyVersion", m(&IamService::set_default_policy_version)},
  };
}

// Inline and attached policies, users, groups, keys, instance profiles, OIDC providers.
protocol::OperationTable identity_operations(IamService* self) {
  auto m = [self](auto fn) { return protocol::method(self, fn); };
  return {
      {"PutRolePolicy", owned(self, &IamService::put_inline, kRoleOwner)},
      {"GetRolePolicy", owned(self, &IamService::get_inline, kRoleOwner)},
      {"DeleteRolePolicy", owned(self, &IamService::delete_inline, kRoleOwner)},
      {"ListRolePolicies", owned(self, &IamService::list_inline, kRoleOwner)},
      {"PutUserPolicy", owned(self, &IamService::put_inline, kUserOwner)},
      {"GetUserPolicy", owned(self, &IamService::get_inline, kUserOwner)},
      {"DeleteUserPolicy", owned(self, &IamService::delete_inline, kUserOwner)},
      {"ListUserPolicies", owned(self, &IamService::list_inline, kUserOwner)},
      {"PutGroupPolicy", owned(self, &IamService::put_inline, kGroupOwner)},
      {"GetGroupPolicy", owned(self, &IamService::get_inline, kGroupOwner)},
      {"DeleteGroupPolicy", owned(self, &IamService::delete_inline, kGroupOwner)},
      {"ListGroupPolicies", owned(self, &IamService::list_inline, kGroupOwner)},
      {"AttachRolePolicy", owned(self, &IamService::attach, kRoleOwner)},
      {"DetachRolePolicy", owned(self, &IamService::detach, kRoleOwner)},
      {"ListAttachedRolePolicies", owned(self, &IamService::list_attached, kRoleOwner)},
      {"AttachUserPolicy", owned(self, &IamService::attach, kUserOwner)},
      {"DetachUserPolicy", owned(self, &IamService::detach, kUserOwner)},
      {"ListAttachedUserPolicies", owned(self, &IamService::list_attached, kUserOwner)},
      {"AttachGroupPolicy", owned(self, &IamService::attach, kGroupOwner)},
      {"DetachGroupPolicy", owned(self, &IamService::detach, kGroupOwner)},
      {"ListAttachedGroupPolicies", owned(self, &IamService::list_attached, kGroupOwner)},
      {"ListEntitiesForPolicy", m(&IamService::list_entities_for_policy)},
      {"PutRolePermissionsBoundary", owned(self, &IamService::put_boundary, kRoleOwner)},
      {"DeleteRolePermissionsBoundary", owned(self, &IamService::delete_boundary, kRoleOwner)},
      {"PutUserPermissionsBoundary", owned(self, &IamService::put_boundary, kUserOwner)},
      {"DeleteUserPermissionsBoundary", owned(self, &IamService::delete_boundary, kUserOwner)},
      {"UploadSigningCertificate", m(&IamService::upload_signing_certificate)},
      {"UpdateSigningCertificate", m(&IamService::update_signing_certificate)},
      {"DeleteSigningCertificate", m(&IamService::delete_signing_certificate)},
      {"ListSigningCertificates", m(&IamService::list_signing_certificates)},
      {"CreateUser", m(&IamService::create_user)},
      {"GetUser", m(&IamService::get_user)},
      {"ListUsers", m(&IamService::list_users)},
      {"UpdateUser", m(&IamService::update_user)},
      {"DeleteUser", m(&IamService::delete_user)},
      {"TagUser", m(&IamService::tag_user)},
      {"UntagUser", m(&IamService::untag_user)},
      {"ListUserTags", m(&IamService::list_user_tags)},
      {"CreateGroup", m(&IamService::create_group)},
      {"GetGroup", m(&IamService::get_group)},
      {"ListGroups", m(&IamService::list_groups)},
      {"DeleteGroup", m(&IamService::delete_group)},
      {"AddUserToGroup", m(&IamService::add_user_to_group)},
      {"RemoveUserFromGroup", m(&IamService::remove_user_from_group)},
      {"ListGroupsForUser", m(&IamService::list_groups_for_user)},
      {"CreateAccessKey", m(&IamService::create_access_key)},
      {"ListAccessKeys", m(&IamService::list_access_keys)},
      {"UpdateAccessKey", m(&IamService::update_access_key)},
      {"DeleteAccessKey", m(&IamService::delete_access_key)},
      {"GetAccessKeyLastUsed", m(&IamService::get_access_key_last_used)},
      {"CreateInstanceProfile", m(&IamService::create_instance_profile)},
      {"GetInstanceProfile", m(&IamService::get_instance_profile)},
      {"ListInstanceProfiles", m(&IamService::list_instance_profiles)},
      {"DeleteInstanceProfile", m(&IamService::delete_instance_profile)},
      {"AddRoleToInstanceProfile", m(&IamService::add_role_to_instance_profile)},
      {"RemoveRoleFromInstanceProfile", m(&IamService::remove_role_from_instance_profile)},
      {"ListInstanceProfilesForRole", m(&IamService::list_instance_profiles_for_role)},
      {"CreateOpenIDConnectProvider", m(&IamService::create_oidc_provider)},
      {"GetOpenIDConnectProvider", m(&IamService::get_oidc_provider)},
      {"ListOpenIDConnectProviders", m(&IamService::list_oidc_providers)},
      {"DeleteOpenIDConnectProvider", m(&IamService::delete_oidc_provider)},
      {"AddClientIDToOpenIDConnectProvider", m(&IamService::add_client_id_to_oidc_provider)},
      {"RemoveClientIDFromOpenIDConnectProvider",
       m(&IamService::remove_client_id_from_oidc_provider)},
      {"UpdateOpenIDConnectProviderThumbprint", m(&IamService::update_oidc_provider_thumbprint)},
      {"TagOpenIDConnectProvider", m(&IamService::tag_oidc_provider)},
      {"UntagOpenIDConnectProvider", m(&IamService::untag_oidc_provider)},
      {"ListOpenIDConnectProviderTags", m(&IamService::list_oidc_provider_tags)},
      {"GetAccountAuthorizationDetails", m(&IamService::get_account_authorization_details)},
      {"GetAccountSummary", m(&IamService::get_account_summary)},
  };
}

}  // namespace

void IamService::register_operations(protocol::ServiceRegistry& registry) {
  protocol::OperationTable ops = role_and_policy_operations(this);
  for (auto& op : identity_operations(this)) ops.push_back(std::move(op));
  auto m = [this](auto fn) { return protocol::method(this, fn); };
  if (authority_) {
    // Until the policy evaluator is wired in, these two are not offered (InvalidAction).
    ops.emplace_back("SimulatePrincipalPolicy", m(&IamService::simulate_principal_policy));
    ops.emplace_back("SimulateCustomPolicy", m(&IamService::simulate_custom_policy));
  }
  registry.add("iam", std::move(ops));
}

int64_t IamService::now() const {
  return static_cast<int64_t>(core::to_epoch_seconds(clock_.now()));
}

Reply IamService::read(const Step& step) {
  store::Transaction tx = db_.read();
  IamStore st(tx);
  Reply out = step(st);
  tx.commit();
  return out;
}

Reply IamService::write(const Step& step) {
  store::Transaction tx = db_.begin();
  IamStore st(tx);
  Reply out = step(st);
  if (out) tx.commit();
  return out;
}

Reply IamService::change(const Ctx& ctx, const Owner& owner, const Doc& in,
                         const EntityStep& step) {
  std::string name = core::str(in, owner.name_member);
  return write([&](IamStore& st) -> Reply {
    protocol::Result<Doc> entity = need(st, ctx, owner.kind, owner.noun, name);
    if (!entity) return entity.error();
    Reply out = step(st, *entity);
    if (out) st.put(ctx.account, owner.kind, name, *entity);
    return out;
  });
}

protocol::Result<Doc> need(IamStore& st, const Ctx& ctx, Kind kind, std::string_view noun,
                           std::string_view name) {
  std::optional<Doc> entity = st.get(ctx.account, kind, name);
  if (!entity) return errors::not_found(std::string(noun), std::string(name));
  return std::move(*entity);
}

std::optional<Doc> customer_policy(IamStore& st, const Ctx& ctx, std::string_view arn) {
  std::string prefix = "arn:aws:iam::" + ctx.account + ":policy/";
  if (!arn.starts_with(prefix)) return std::nullopt;
  std::string_view name = arn.substr(arn.rfind('/') + 1);
  std::optional<Doc> policy = st.get(ctx.account, Kind::Policy, name);
  if (!policy || core::str(*policy, "Arn") != arn) return std::nullopt;
  return policy;
}

int64_t attachment_count(IamStore& st, const Ctx& ctx, std::string_view arn) {
  int64_t n = 0;
  for (Kind kind : {Kind::Role, Kind::User, Kind::Group}) {
    for (const Doc& e : st.all(ctx.account, kind)) {
      for (const std::string& a : core::strings(e, "attached")) n += a == arn ? 1 : 0;
    }
  }
  return n;
}

}  // namespace services::iam
