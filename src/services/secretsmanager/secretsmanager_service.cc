#include "services/secretsmanager/secretsmanager_service.h"

#include "core/ids.h"
#include "core/json.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/filters.h"
#include "services/secretsmanager/staging.h"

namespace services::secretsmanager {

namespace json = boost::json;

void SecretsManagerService::register_operations(protocol::ServiceRegistry& registry) {
  using S = SecretsManagerService;
  registry.add(
      "secretsmanager",
      {
          {"CreateSecret", protocol::method(this, &S::create_secret)},
          {"UpdateSecret", protocol::method(this, &S::update_secret)},
          {"DescribeSecret", protocol::method(this, &S::describe_secret)},
          {"DeleteSecret", protocol::method(this, &S::delete_secret)},
          {"RestoreSecret", protocol::method(this, &S::restore_secret)},
          {"TagResource", protocol::method(this, &S::tag_resource)},
          {"UntagResource", protocol::method(this, &S::untag_resource)},
          {"GetSecretValue", protocol::method(this, &S::get_secret_value)},
          {"BatchGetSecretValue", protocol::method(this, &S::batch_get_secret_value)},
          {"PutSecretValue", protocol::method(this, &S::put_secret_value)},
          {"ListSecretVersionIds", protocol::method(this, &S::list_secret_version_ids)},
          {"UpdateSecretVersionStage", protocol::method(this, &S::update_secret_version_stage)},
          {"ListSecrets", protocol::method(this, &S::list_secrets)},
          {"GetRandomPassword", protocol::method(this, &S::get_random_password)},
          {"RotateSecret", protocol::method(this, &S::rotate_secret)},
          {"CancelRotateSecret", protocol::method(this, &S::cancel_rotate_secret)},
          {"PutResourcePolicy", protocol::method(this, &S::put_resource_policy)},
          {"GetResourcePolicy", protocol::method(this, &S::get_resource_policy)},
          {"DeleteResourcePolicy", protocol::method(this, &S::delete_resource_policy)},
          {"ValidateResourcePolicy", protocol::method(this, &S::validate_resource_policy)},
      });
}

protocol::Result<std::optional<Plain>> value_of(const Doc& in) {
  std::optional<std::string> text = core::opt_str(in, "SecretString");
  std::optional<std::string> binary = core::opt_str(in, "SecretBinary");
  if (text && binary) {
    return errors::invalid_parameter(
        "You can't specify both a binary secret value and a string secret value in the same "
        "secret.");
  }
  if (text) return std::optional<Plain>(Plain{std::move(*text), false});
  if (binary) return std::optional<Plain>(Plain{std::move(*binary), true});
  return std::optional<Plain>();
}

std::string token_of(const Doc& in) {
  std::optional<std::string> token = core::opt_str(in, "ClientRequestToken");
  return token && !token->empty() ? *token : core::ids::uuid4();
}

Reply SecretsManagerService::with_secret(const Ctx& ctx, const Doc& in, bool live_only,
                                         const SecretStep& step) {
  store::Transaction tx = vault_.db().begin();
  SmStore st(tx);
  std::string id = core::str(in, "SecretId");
  protocol::Result<SecretRow> s = live_only ? vault_.live_in(st, ctx.account, ctx.region, id)
                                            : vault_.resolve_in(st, ctx.account, ctx.region, id);
  if (!s) return s.error();
  Reply out = step(st, *s);
  if (out) tx.commit();
  return out;
}

protocol::Result<SecretRow> SecretsManagerService::live_secret(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = vault_.db().begin();
  SmStore st(tx);
  protocol::Result<SecretRow> s =
      vault_.live_in(st, ctx.account, ctx.region, core::str(in, "SecretId"));
  if (s) tx.commit();
  return s;
}

protocol::Result<std::vector<VersionRow>> SecretsManagerService::reseal_labelled(
    const SecretRow& before, const SecretRow& after) {
  std::vector<VersionRow> versions;
  {
    store::Transaction tx = vault_.db().read();
    versions = SmStore(tx).versions(before.arn);
    tx.commit();
  }
  std::vector<VersionRow> out;
  for (const VersionRow& v : versions) {
    if (v.stages.empty()) continue;
    protocol::Result<Plain> plain = vault_.open(before, v);
    if (!plain) continue;
    protocol::Result<VersionRow> sealed = vault_.seal(after, v.version_id, *plain);
    if (!sealed) return sealed.error();
    sealed->created_at_ms = v.created_at_ms;
    out.push_back(std::move(*sealed));
  }
  return out;
}

protocol::Result<std::optional<VersionRow>> SecretsManagerService::same_version(
    const SecretRow& secret, const std::string& token, const Plain& value) {
  std::optional<VersionRow> existing;
  {
    store::Transaction tx = vault_.db().read();
    existing = SmStore(tx).version(secret.arn, token);
    tx.commit();
  }
  if (!existing) return std::optional<VersionRow>();
  protocol::Result<bool> same = vault_.holds(secret, *existing, value);
  if (!same) return same.error();
  if (!*same) return errors::token_in_use(token, secret.arn);
  return existing;
}

protocol::Result<std::vector<std::string>> SecretsManagerService::commit_version(
    const SecretRow& secret, VersionRow version, std::vector<std::string> stages) {
  store::Transaction tx = vault_.db().begin();
  SmStore st(tx);
  std::optional<SecretRow> now_secret = st.by_arn(secret.arn);
  if (!now_secret) return errors::not_found();
  if (now_secret->deleted_date_ms) return errors::marked_for_deletion();
  std::vector<VersionRow> versions = st.versions(secret.arn);
  std::vector<VersionRow> before = versions;
  for (const VersionRow& v : versions) {
    if (v.version_id == version.version_id) {
      return errors::token_in_use(version.version_id, secret.arn);
    }
  }
  // "If this operation creates the first version for the secret, then Secrets Manager
  // automatically attaches the staging label AWSCURRENT to it."
  if (versions.empty() && std::ranges::count(stages, std::string(kCurrent)) == 0) {
    stages.emplace_back(kCurrent);
  }
  versions.push_back(std::move(version));
  attach_stages(versions, versions.size() - 1, stages);
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (versions[i].stages != before[i].stages) st.set_stages(versions[i]);
  }
  st.insert_version(versions.back());
  for (const VersionRow& old : versions_to_prune(versions, vault_.now_ms())) {
    st.erase_version(old);
  }
  now_secret->last_changed_ms = vault_.now_ms();
  st.update(*now_secret);
  tx.commit();
  return versions.back().stages;
}

std::vector<std::pair<SecretRow, std::vector<VersionRow>>> SecretsManagerService::find_secrets(
    const Ctx& ctx, const Doc& in, bool include_deleted) {
  std::vector<Filter> filters;
  if (const json::array* fs = core::arr(in, "Filters")) {
    for (const json::value& f : *fs) {
      if (!f.is_object()) continue;
      filters.push_back(
          Filter{core::str(f.as_object(), "Key"), core::strings(f.as_object(), "Values")});
    }
  }
  std::vector<std::pair<SecretRow, std::vector<VersionRow>>> out;
  store::Transaction tx = vault_.db().begin();
  SmStore st(tx);
  st.purge_deleted(ctx.account, ctx.region, vault_.now_ms());
  for (SecretRow& s : st.all(ctx.account, ctx.region)) {
    if (s.deleted_date_ms && !include_deleted) continue;
    if (!matches(s, filters)) continue;
    std::vector<VersionRow> versions = st.versions(s.arn);
    out.emplace_back(std::move(s), std::move(versions));
  }
  tx.commit();
  return out;
}

}  // namespace services::secretsmanager
