// Secrets: CreateSecret, UpdateSecret, DescribeSecret, DeleteSecret, RestoreSecret, TagResource,
// UntagResource, and the rotation settings (RotateSecret, CancelRotateSecret).

#include <boost/json.hpp>

#include "core/json.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "services/secretsmanager/sm_json.h"
#include "services/secretsmanager/staging.h"
#include "store/store_errors.h"

namespace services::secretsmanager {

namespace json = boost::json;

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

json::object arn_and_name(const SecretRow& s) {
  return json::object{{"ARN", s.arn}, {"Name", s.name}};
}

}  // namespace

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
Reply SecretsManagerService::create_secret(const Ctx& ctx, const Doc& in) {
  std::string name = core::str(in, "Name");
  if (!valid_name(name)) return errors::invalid_name();
  protocol::Result<std::optional<Plain>> value = value_of(in);
  if (!value) return value.error();
  if (core::arr(in, "AddReplicaRegions")) {
    return errors::invalid_request("Gantry does not replicate secrets to other Regions.");
  }
  std::string token = token_of(in);
  std::optional<SecretRow> existing;
  {
    store::Transaction tx = vault_.db().begin();
    SmStore st(tx);
    st.purge_deleted(ctx.account, ctx.region, vault_.now_ms());
    existing = st.by_name(ctx.account, ctx.region, name);
    tx.commit();
  }
  if (existing) {
    if (existing->deleted_date_ms) return errors::scheduled_for_deletion();
    // "If a version with this value already exists and the version SecretString and
    // SecretBinary values are the same as those in the request, then the request is ignored."
    if (*value) {
      auto same = same_version(*existing, token, **value);
      if (!same) return same.error();
      if (*same) {
        json::object out = arn_and_name(*existing);
        out["VersionId"] = token;
        return out;
      }
    }
    return errors::exists(name);
  }
  SecretRow s;
  s.account = ctx.account;
  s.region = ctx.region;
  s.name = name;
  s.arn = new_secret_arn(ctx.account, ctx.region, name);
  s.description = core::opt_str(in, "Description");
  s.kms_key_id = core::str(in, "KmsKeyId");
  s.created_at_ms = s.last_changed_ms = vault_.now_ms();
  if (const json::array* tags = core::arr(in, "Tags")) merge_tags(s.tags, *tags);
  std::optional<VersionRow> version;
  if (*value) {
    protocol::Result<VersionRow> sealed = vault_.seal(s, token, **value);
    if (!sealed) return sealed.error();
    version = std::move(*sealed);
    version->stages = {std::string(kCurrent)};
  } else if (!s.kms_key_id.empty()) {
    if (auto key = vault_.keys().key_arn(ctx.account, ctx.region, s.kms_key_id); !key) {
      return errors::encryption_failure(key.error());
    }
  }
  store::Transaction tx = vault_.db().begin();
  SmStore st(tx);
  try {
    st.insert(s);
  } catch (const std::system_error& e) {
    if (e.code() == store::errc::unique_constraint) return errors::exists(name);
    throw;
  }
  if (version) st.insert_version(*version);
  tx.commit();
  json::object out = arn_and_name(s);
  if (version) out["VersionId"] = version->version_id;
  return out;
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html
// "If you call this operation with a ClientRequestToken that matches an existing version's
// VersionId, the operation results in an error" unless that version holds the same value.
Reply SecretsManagerService::update_secret(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::optional<Plain>> value = value_of(in);
  if (!value) return value.error();
  protocol::Result<SecretRow> before = live_secret(ctx, in);
  if (!before) return before.error();
  SecretRow secret = *before;
  // A retry: the token names a version that holds this very value, so nothing changes (moto's
  // AWS-verified test_update_same_secret_value_with_same_token); another value is refused.
  if (*value && in.contains("ClientRequestToken")) {
    auto same = same_version(secret, token_of(in), **value);
    if (!same) return same.error();
    if (*same) {
      json::object out = arn_and_name(secret);
      out["VersionId"] = (*same)->version_id;
      return out;
    }
  }
  if (std::optional<std::string> d = core::opt_str(in, "Description")) secret.description = *d;
  std::vector<VersionRow> resealed;
  if (std::optional<std::string> k = core::opt_str(in, "KmsKeyId")) {
    secret.kms_key_id = *k;
    if (auto key = vault_.keys().key_arn(ctx.account, ctx.region, key_of(secret)); !key) {
      return errors::encryption_failure(key.error());
    }
    if (key_of(secret) != key_of(*before)) {
      auto r = reseal_labelled(*before, secret);
      if (!r) return r.error();
      resealed = std::move(*r);
    }
  }
  {
    store::Transaction tx = vault_.db().begin();
    SmStore st(tx);
    secret.last_changed_ms = vault_.now_ms();
    st.update(secret);
    for (const VersionRow& v : resealed) {
      if (st.version(v.secret_arn, v.version_id)) st.reseal(v);
    }
    tx.commit();
  }
  json::object out = arn_and_name(secret);
  if (!*value) return out;
  protocol::Result<VersionRow> sealed = vault_.seal(secret, token_of(in), **value);
  if (!sealed) return sealed.error();
  std::string version_id = sealed->version_id;
  auto stages = commit_version(secret, std::move(*sealed), {std::string(kCurrent)});
  if (!stages) return stages.error();
  out["VersionId"] = version_id;
  return out;
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
Reply SecretsManagerService::describe_secret(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, false, [&](SmStore& st, SecretRow& s) -> Reply {
    return describe(s, st.versions(s.arn), false);
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
// "If you forcibly delete an already deleted or nonexistent secret, the operation does not return
// ResourceNotFoundException."
Reply SecretsManagerService::delete_secret(const Ctx& ctx, const Doc& in) {
  std::optional<int64_t> days = core::opt_int(in, "RecoveryWindowInDays");
  bool force = core::opt_bool(in, "ForceDeleteWithoutRecovery").value_or(false);
  if (days && force) {
    return errors::invalid_parameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  if (days && (*days < 7 || *days > 30)) {
    return errors::invalid_parameter(
        "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
  }
  std::string id = core::str(in, "SecretId");
  store::Transaction tx = vault_.db().begin();
  SmStore st(tx);
  protocol::Result<SecretRow> s = vault_.resolve_in(st, ctx.account, ctx.region, id);
  int64_t now = vault_.now_ms();
  if (!s) {
    if (!force || s.error().code != "ResourceNotFoundException") return s.error();
    json::object out{{"Name", id}, {"DeletionDate", epoch_seconds(now)}};
    if (id.starts_with("arn:")) out["ARN"] = id;
    return out;
  }
  json::object out = arn_and_name(*s);
  if (force) {
    st.erase(*s);
    out["DeletionDate"] = epoch_seconds(now);
  } else {
    if (s->deleted_date_ms) return errors::marked_for_deletion();
    int64_t window = days.value_or(30);
    s->deleted_date_ms = now + window * kDayMs;
    s->deletion_due_ms =
        now + std::chrono::duration_cast<std::chrono::milliseconds>(
                  vault_.clock().scaled(std::chrono::milliseconds(window * kDayMs)))
                  .count();
    st.update(*s);
    out["DeletionDate"] = epoch_seconds(*s->deleted_date_ms);
  }
  tx.commit();
  return out;
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RestoreSecret.html
Reply SecretsManagerService::restore_secret(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, false, [&](SmStore& st, SecretRow& s) -> Reply {
    if (s.deleted_date_ms) {
      s.deleted_date_ms.reset();
      s.deletion_due_ms.reset();
      s.last_changed_ms = vault_.now_ms();
      st.update(s);
    }
    return arn_and_name(s);
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_TagResource.html
Reply SecretsManagerService::tag_resource(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, false, [&](SmStore& st, SecretRow& s) -> Reply {
    if (const json::array* tags = core::arr(in, "Tags")) merge_tags(s.tags, *tags);
    s.last_changed_ms = vault_.now_ms();
    st.update(s);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UntagResource.html
Reply SecretsManagerService::untag_resource(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, false, [&](SmStore& st, SecretRow& s) -> Reply {
    remove_tags(s.tags, core::strings(in, "TagKeys"));
    s.last_changed_ms = vault_.now_ms();
    st.update(s);
    return json::object{};
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html
// Secrets Manager checks that it may invoke the rotation function before it stores the settings
// or starts a rotation ("When you add a Lambda rotation function ARN to your secret, Secrets
// Manager checks the permissions of the function"). Gantry runs no Lambda functions: a named
// function is one it cannot invoke, and a secret without one has none to rotate with.
Reply SecretsManagerService::rotate_secret(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, true, [&](SmStore&, SecretRow& s) -> Reply {
    if (const json::object* rules = core::obj(in, "RotationRules")) {
      if (rules->contains("AutomaticallyAfterDays") && rules->contains("ScheduleExpression")) {
        return errors::invalid_parameter(
            "You can't specify both AutomaticallyAfterDays and ScheduleExpression.");
      }
    }
    std::string lambda = core::str(in, "RotationLambdaARN");
    if (lambda.empty() && !s.rotation_lambda_arn) {
      return errors::invalid_request(
          "No Lambda rotation function ARN is associated with this "
          "secret.");
    }
    return errors::cannot_invoke_lambda();
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CancelRotateSecret.html
Reply SecretsManagerService::cancel_rotate_secret(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, true, [&](SmStore& st, SecretRow& s) -> Reply {
    json::object out{{"ARN", s.arn}, {"Name", s.name}};
    std::vector<VersionRow> versions = st.versions(s.arn);
    if (const VersionRow* pending = holder(versions, kPending)) {
      out["VersionId"] = pending->version_id;
    }
    if (s.rotation_enabled) {
      s.rotation_enabled = false;
      s.last_changed_ms = vault_.now_ms();
      st.update(s);
    }
    return out;
  });
}

}  // namespace services::secretsmanager
