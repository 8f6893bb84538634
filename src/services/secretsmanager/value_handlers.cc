// Versions: GetSecretValue, BatchGetSecretValue, PutSecretValue, ListSecretVersionIds,
// UpdateSecretVersionStage.

#include <boost/json.hpp>

#include "core/json.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "services/secretsmanager/sm_json.h"
#include "services/secretsmanager/staging.h"

namespace services::secretsmanager {

namespace json = boost::json;

namespace {

json::object value_entry(const ReadValue& r) {
  json::object out{{"ARN", r.value.arn}, {"Name", r.value.name}, {"VersionId", r.value.version_id}};
  if (!r.value.secret_binary.empty()) {
    out["SecretBinary"] = r.value.secret_binary;
  } else {
    out["SecretString"] = r.value.secret_string;
  }
  json::array stages;
  for (const std::string& s : r.value.version_stages) stages.emplace_back(s);
  out["VersionStages"] = std::move(stages);
  out["CreatedDate"] = epoch_seconds(r.created_at_ms);
  return out;
}

json::array labels(const std::vector<std::string>& stages) {
  json::array out;
  for (const std::string& s : stages) out.emplace_back(s);
  return out;
}

}  // namespace

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
Reply SecretsManagerService::get_secret_value(const Ctx& ctx, const Doc& in) {
  protocol::Result<ReadValue> r =
      vault_.read(ctx.account, ctx.region, core::str(in, "SecretId"), core::str(in, "VersionId"),
                  core::str(in, "VersionStage"));
  if (!r) return r.error();
  return value_entry(*r);
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html
// "You must include Filters or SecretIdList, but not both." "To use this parameter [MaxResults],
// you must also use the Filters parameter."
Reply SecretsManagerService::batch_get_secret_value(const Ctx& ctx, const Doc& in) {
  const json::array* ids = core::arr(in, "SecretIdList");
  const json::array* filters = core::arr(in, "Filters");
  if ((ids != nullptr) == (filters != nullptr)) {
    return errors::invalid_parameter(
        "Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  }
  if (ids && core::opt_int(in, "MaxResults")) {
    return errors::invalid_parameter(
        "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is "
        "provided.");
  }
  std::vector<std::string> wanted;
  std::size_t next = 0;
  bool more = false;
  if (ids) {
    wanted = core::strings(in, "SecretIdList");
  } else {
    protocol::Result<std::size_t> offset = token_offset(in);
    if (!offset) return offset.error();
    auto found = find_secrets(ctx, in, false);
    auto limit = static_cast<std::size_t>(core::opt_int(in, "MaxResults").value_or(20));
    for (std::size_t i = *offset; i < found.size() && wanted.size() < limit; ++i) {
      wanted.push_back(found[i].first.arn);
      next = i + 1;
    }
    more = next < found.size() && !wanted.empty();
  }
  json::array values;
  json::array failures;
  for (const std::string& id : wanted) {
    protocol::Result<ReadValue> r = vault_.read(ctx.account, ctx.region, id, "", "");
    if (r) {
      values.push_back(value_entry(*r));
    } else {
      failures.push_back(json::object{
          {"SecretId", id}, {"ErrorCode", r.error().code}, {"Message", r.error().message}});
    }
  }
  json::object out{{"SecretValues", std::move(values)}, {"Errors", std::move(failures)}};
  if (more) out["NextToken"] = next_token(next);
  return out;
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
// "If you don't include VersionStages, then Secrets Manager automatically moves the staging label
// AWSCURRENT to this version."
Reply SecretsManagerService::put_secret_value(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::optional<Plain>> value = value_of(in);
  if (!value) return value.error();
  if (!*value) {
    return errors::invalid_parameter("You must provide either SecretString or SecretBinary.");
  }
  protocol::Result<SecretRow> found = live_secret(ctx, in);
  if (!found) return found.error();
  const SecretRow& secret = *found;
  std::string token = token_of(in);
  json::object out{{"ARN", secret.arn}, {"Name", secret.name}, {"VersionId", token}};
  auto same = same_version(secret, token, **value);
  if (!same) return same.error();
  if (*same) {  // "the operation succeeds but does nothing"
    out["VersionStages"] = labels((*same)->stages);
    return out;
  }
  std::vector<std::string> stages = core::strings(in, "VersionStages");
  if (!core::arr(in, "VersionStages")) stages = {std::string(kCurrent)};
  protocol::Result<VersionRow> sealed = vault_.seal(secret, token, **value);
  if (!sealed) return sealed.error();
  auto attached = commit_version(secret, std::move(*sealed), std::move(stages));
  if (!attached) return attached.error();
  out["VersionStages"] = labels(*attached);
  return out;
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecretVersionIds.html
Reply SecretsManagerService::list_secret_version_ids(const Ctx& ctx, const Doc& in) {
  protocol::Result<std::size_t> offset = token_offset(in);
  if (!offset) return offset.error();
  bool deprecated = core::opt_bool(in, "IncludeDeprecated").value_or(false);
  auto limit = static_cast<std::size_t>(core::opt_int(in, "MaxResults").value_or(100));
  return with_secret(ctx, in, false, [&](SmStore& st, SecretRow& s) -> Reply {
    std::vector<VersionRow> versions = st.versions(s.arn);
    std::erase_if(versions, [&](const VersionRow& v) { return v.stages.empty() && !deprecated; });
    json::array list;
    std::size_t i = *offset;
    for (; i < versions.size() && list.size() < limit; ++i) {
      list.push_back(version_entry(s, versions[i]));
    }
    json::object out{{"Versions", std::move(list)}, {"ARN", s.arn}, {"Name", s.name}};
    if (i < versions.size()) out["NextToken"] = next_token(i);
    return out;
  });
}

// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html
Reply SecretsManagerService::update_secret_version_stage(const Ctx& ctx, const Doc& in) {
  return with_secret(ctx, in, true, [&](SmStore& st, SecretRow& s) -> Reply {
    std::vector<VersionRow> versions = st.versions(s.arn);
    std::vector<VersionRow> before = versions;
    auto moved = move_stage(versions, core::str(in, "VersionStage"),
                            core::str(in, "RemoveFromVersionId"), core::str(in, "MoveToVersionId"));
    if (!moved) return moved.error();
    for (std::size_t i = 0; i < versions.size(); ++i) {
      if (versions[i].stages != before[i].stages) st.set_stages(versions[i]);
    }
    s.last_changed_ms = vault_.now_ms();
    st.update(s);
    return json::object{{"ARN", s.arn}, {"Name", s.name}};
  });
}

}  // namespace services::secretsmanager
