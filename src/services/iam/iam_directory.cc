#include "services/iam/iam_directory.h"

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/iam/iam_store.h"
#include "services/iam/managed_policies.h"

namespace services::iam {

namespace json = boost::json;

namespace {

struct PrincipalRef {
  std::string account;
  std::string type;  // "user", "role", "group", "assumed-role"
  std::string name;
};

// arn:aws:iam::<acct>:{user,role,group}[/path]/<name> or
// arn:aws:sts::<acct>:assumed-role/<role>/<session>.
std::optional<PrincipalRef> parse_principal(std::string_view arn) {
  core::ids::ParsedArn p;
  if (!core::ids::parse_arn(arn, &p)) return std::nullopt;
  std::size_t slash = p.resource.find('/');
  if (slash == std::string::npos) return std::nullopt;
  PrincipalRef out{p.account, p.resource.substr(0, slash), ""};
  if (p.service == "sts" && out.type == "assumed-role") {
    std::string rest = p.resource.substr(slash + 1);
    out.name = rest.substr(0, rest.find('/'));
    return out;
  }
  if (p.service != "iam" || (out.type != "user" && out.type != "role" && out.type != "group")) {
    return std::nullopt;
  }
  out.name = p.resource.substr(p.resource.rfind('/') + 1);
  return out;
}

Tags tags_of(const json::object& entity) {
  Tags out;
  if (const json::array* tags = core::arr(entity, "Tags")) {
    for (const json::value& t : *tags) {
      out[core::str(t.as_object(), "Key")] = core::str(t.as_object(), "Value");
    }
  }
  return out;
}

RoleInfo role_info(const std::string& account, const json::object& role) {
  RoleInfo r;
  r.account = account;
  r.name = core::str(role, "RoleName");
  r.path = core::str(role, "Path");
  r.arn = core::str(role, "Arn");
  r.role_id = core::str(role, "RoleId");
  r.assume_role_policy = core::str(role, "AssumeRolePolicyDocument");
  r.max_session_duration =
      static_cast<int>(core::opt_int(role, "MaxSessionDuration").value_or(3600));
  r.tags = tags_of(role);
  return r;
}

// The inline and attached policies of one role, user or group (`noun` names it in sources).
// The default version of the managed policy `arn` (AWS managed, or the account's own).
std::optional<PolicyText> managed_text(IamStore& st, const std::string& account,
                                       const std::string& arn) {
  if (const ManagedPolicy* m = find_aws_managed(arn)) {
    return PolicyText{PolicyText::Kind::Managed, arn, m->document};
  }
  std::optional<json::object> policy =
      st.get(account, Kind::Policy, std::string_view(arn).substr(arn.rfind('/') + 1));
  if (!policy || core::str(*policy, "Arn") != arn) return std::nullopt;
  std::string default_id = core::str(*policy, "DefaultVersionId");
  for (const json::value& v : policy->at("versions").as_array()) {
    if (core::str(v.as_object(), "VersionId") == default_id) {
      return PolicyText{PolicyText::Kind::Managed, arn, core::str(v.as_object(), "Document")};
    }
  }
  return std::nullopt;
}

void add_policies(IamStore& st, const std::string& account, const json::object& entity,
                  std::string_view noun, std::string_view name_member,
                  std::vector<PolicyText>& out) {
  std::string name = core::str(entity, name_member);
  if (const json::object* inl = core::obj(entity, "inline")) {
    for (const auto& [policy, doc] : *inl) {
      out.push_back({PolicyText::Kind::Inline,
                     std::string(noun) + "/" + name + "/" + std::string(policy),
                     std::string(doc.as_string())});
    }
  }
  for (const std::string& arn : core::strings(entity, "attached")) {
    if (std::optional<PolicyText> text = managed_text(st, account, arn)) {
      out.push_back(std::move(*text));
    }
  }
}

}  // namespace

std::optional<RoleInfo> IamDirectory::find_role(std::string_view account,
                                                std::string_view role_name) const {
  store::Transaction tx = db_.read();
  std::optional<json::object> role = IamStore(tx).get(account, Kind::Role, role_name);
  tx.commit();
  if (!role) return std::nullopt;
  return role_info(std::string(account), *role);
}

std::optional<RoleInfo> IamDirectory::find_role_by_arn(std::string_view role_arn) const {
  std::optional<PrincipalRef> ref = parse_principal(role_arn);
  if (!ref || ref->type != "role") return std::nullopt;
  std::optional<RoleInfo> role = find_role(ref->account, ref->name);
  if (!role || role->arn != role_arn) return std::nullopt;
  return role;
}

std::optional<AccessKeyInfo> IamDirectory::find_access_key(std::string_view access_key_id) const {
  store::Transaction tx = db_.read();
  IamStore st(tx);
  std::optional<AccessKeyRow> key = st.key(access_key_id);
  std::optional<json::object> user =
      key ? st.get(key->account, Kind::User, key->user_key) : std::nullopt;
  tx.commit();
  if (!key || !user) return std::nullopt;
  return AccessKeyInfo{key->access_key_id,
                       key->secret,
                       key->account,
                       core::str(*user, "UserName"),
                       core::str(*user, "Arn"),
                       core::str(*user, "UserId"),
                       key->status == "Active"};
}

std::optional<OidcProviderInfo> IamDirectory::find_oidc_provider(
    std::string_view account, std::string_view issuer_url) const {
  if (issuer_url.starts_with("https://")) issuer_url.remove_prefix(8);
  while (issuer_url.ends_with('/')) issuer_url.remove_suffix(1);
  store::Transaction tx = db_.read();
  std::optional<json::object> p = IamStore(tx).get(account, Kind::OidcProvider, issuer_url);
  tx.commit();
  if (!p) return std::nullopt;
  return OidcProviderInfo{std::string(account),
                          core::str(*p, "Arn"),
                          core::str(*p, "Url"),
                          core::strings(*p, "ClientIDList"),
                          core::strings(*p, "ThumbprintList"),
                          tags_of(*p)};
}

std::vector<PolicyText> IamDirectory::identity_policies(std::string_view principal_arn) const {
  {
    std::lock_guard lock(simulations_mu_);
    if (auto it = simulations_.find(principal_arn); it != simulations_.end()) return it->second;
  }
  std::optional<PrincipalRef> ref = parse_principal(principal_arn);
  if (!ref || ref->type == "group") return {};
  std::vector<PolicyText> out;
  store::Transaction tx = db_.read();
  IamStore st(tx);
  if (ref->type == "user") {
    if (std::optional<json::object> user = st.get(ref->account, Kind::User, ref->name);
        user && core::str(*user, "Arn") == principal_arn) {
      add_policies(st, ref->account, *user, "user", "UserName", out);
      for (const std::string& g : core::strings(*user, "groups")) {
        if (std::optional<json::object> group = st.get(ref->account, Kind::Group, g)) {
          add_policies(st, ref->account, *group, "group", "GroupName", out);
        }
      }
    }
  } else if (std::optional<json::object> role = st.get(ref->account, Kind::Role, ref->name)) {
    if (ref->type == "assumed-role" || core::str(*role, "Arn") == principal_arn) {
      add_policies(st, ref->account, *role, "role", "RoleName", out);
    }
  }
  tx.commit();
  return out;
}

std::optional<PolicyText> IamDirectory::permissions_boundary(
    std::string_view principal_arn) const {
  std::optional<PrincipalRef> ref = parse_principal(principal_arn);
  if (!ref || ref->type == "group") return std::nullopt;
  store::Transaction tx = db_.read();
  IamStore st(tx);
  std::optional<json::object> entity;
  if (ref->type == "user") {
    entity = st.get(ref->account, Kind::User, ref->name);
    if (entity && core::str(*entity, "Arn") != principal_arn) entity.reset();
  } else {
    entity = st.get(ref->account, Kind::Role, ref->name);
    if (entity && ref->type != "assumed-role" && core::str(*entity, "Arn") != principal_arn) {
      entity.reset();
    }
  }
  std::optional<PolicyText> out;
  if (const json::object* b = entity ? core::obj(*entity, "PermissionsBoundary") : nullptr) {
    std::string arn = core::str(*b, "PermissionsBoundaryArn");
    out = managed_text(st, ref->account, arn);
    // A boundary whose policy is gone allows nothing.
    if (!out) out = PolicyText{PolicyText::Kind::Managed, arn, R"({"Statement": []})"};
  }
  tx.commit();
  return out;
}

std::vector<PolicyText> IamDirectory::group_policies(std::string_view group_arn) const {
  std::optional<PrincipalRef> ref = parse_principal(group_arn);
  if (!ref || ref->type != "group") return {};
  std::vector<PolicyText> out;
  store::Transaction tx = db_.read();
  IamStore st(tx);
  if (std::optional<json::object> group = st.get(ref->account, Kind::Group, ref->name);
      group && core::str(*group, "Arn") == group_arn) {
    add_policies(st, ref->account, *group, "group", "GroupName", out);
  }
  tx.commit();
  return out;
}

Tags IamDirectory::principal_tags(std::string_view principal_arn) const {
  std::optional<PrincipalRef> ref = parse_principal(principal_arn);
  if (!ref || ref->type == "group") return {};
  Kind kind = ref->type == "user" ? Kind::User : Kind::Role;
  store::Transaction tx = db_.read();
  std::optional<json::object> entity = IamStore(tx).get(ref->account, kind, ref->name);
  tx.commit();
  return entity ? tags_of(*entity) : Tags{};
}

IamDirectory::Simulation IamDirectory::simulate(std::string_view account,
                                                std::vector<PolicyText> policies) const {
  std::string arn =
      "arn:aws:iam::" + std::string(account) + ":user/gantry-simulation/" + core::ids::uuid4();
  std::lock_guard lock(simulations_mu_);
  simulations_[arn] = std::move(policies);
  return Simulation(*this, arn);
}

IamDirectory::Simulation::~Simulation() {
  if (!dir_) return;
  std::lock_guard lock(dir_->simulations_mu_);
  dir_->simulations_.erase(arn_);
}

}  // namespace services::iam
