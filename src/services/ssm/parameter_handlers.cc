// Parameters: PutParameter, GetParameter, GetParameters, DeleteParameter, DeleteParameters.

#include <re2/re2.h>

#include <boost/json.hpp>

#include "core/json.h"
#include "services/ssm/errors.h"
#include "services/ssm/parameter_names.h"
#include "services/ssm/parameter_policies.h"
#include "services/ssm/ssm_json.h"
#include "services/ssm/ssm_service.h"

namespace services::ssm {

namespace json = boost::json;

namespace {

// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
constexpr std::size_t kStandardMaxValue = 4096;
constexpr std::size_t kAdvancedMaxValue = 8192;
// "Parameter Store retains the 100 most recently created versions of a parameter."
constexpr std::size_t kMaxVersions = 100;
constexpr std::size_t kMaxTags = 50;

bool is_ami_id(std::string_view v) {
  if (!v.starts_with("ami-")) return false;
  std::string_view hex = v.substr(4);
  return (hex.size() == 8 || hex.size() == 17) && std::all_of(hex.begin(), hex.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

protocol::Result<void> check_data_type(const VersionRow& v) {
  if (v.data_type != "text" && v.data_type != "aws:ec2:image" &&
      v.data_type != "aws:ssm:integration") {
    return errors::validation("The following data type is not supported: " + v.data_type +
                              " (Data type names are all lowercase.)");
  }
  if (v.data_type == "aws:ec2:image" && (v.type != "String" || !is_ami_id(v.value))) {
    return errors::validation(
        "Invalid AMI ID format. Parameters of data type aws:ec2:image must be of type String "
        "and use the format ami-12345abcdeEXAMPLE.");
  }
  return {};
}

protocol::Result<void> check_pattern(const std::string& pattern, std::string_view value) {
  if (pattern.empty()) return {};
  re2::RE2::Options options;
  options.set_log_errors(false);
  re2::RE2 re(pattern, options);
  if (!re.ok()) return errors::invalid_allowed_pattern(re.error());
  // Parameter Store matches the whole value, as Java's String.matches does.
  if (!re2::RE2::FullMatch(re2::StringPiece(value.data(), value.size()), re)) {
    return errors::pattern_mismatch(pattern);
  }
  return {};
}

// Tier rules: Intelligent-Tiering picks Advanced only when the value or its policies need it;
// an advanced parameter never goes back to Standard.
protocol::Result<std::string> tier_for(const Doc& in, const VersionRow* prev,
                                       std::size_t value_size, bool has_policies) {
  std::string asked = core::str(in, "Tier", prev ? prev->tier : "Standard");
  bool was_advanced = prev && prev->tier == "Advanced";
  std::string tier = asked;
  if (asked == "Intelligent-Tiering") {
    tier =
        (was_advanced || value_size > kStandardMaxValue || has_policies) ? "Advanced" : "Standard";
  }
  if (tier == "Standard" && was_advanced) {
    return errors::validation(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from "
        "the advanced-parameter tier to the standard-parameter tier. If necessary, you can "
        "delete the advanced parameter and recreate it as a standard parameter.");
  }
  if (tier == "Standard" && value_size > kStandardMaxValue) {
    return errors::validation(
        "Standard tier parameters support a maximum parameter value of 4096 characters. To "
        "create a larger parameter value, upgrade the parameter to use the advanced-parameter "
        "tier. For more information, see "
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
        "parameter-store-advanced-parameters.html");
  }
  if (value_size > kAdvancedMaxValue) {
    // The value is not echoed: it may be a secret.
    return errors::validation(
        "1 validation error detected: Value at 'value' failed to satisfy constraint: Member "
        "must have length less than or equal to 8192");
  }
  return tier;
}

// The new version's fields from the request and the previous version (Overwrite keeps what the
// request leaves out). `value` is still the plaintext.
protocol::Result<VersionRow> plan_version(const Ctx& ctx, const Doc& in, const VersionRow* prev) {
  VersionRow v;
  v.value = core::str(in, "Value");
  if (v.value.empty()) {
    return errors::validation(
        "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member "
        "must have length greater than or equal to 1.");
  }
  std::optional<std::string> type = core::opt_str(in, "Type");
  if (!type && !prev) {
    return errors::validation("A parameter type is required when you create a parameter.");
  }
  v.type = type ? *type : prev->type;
  v.description = core::str(in, "Description", prev ? prev->description : "");
  v.allowed_pattern = core::str(in, "AllowedPattern", prev ? prev->allowed_pattern : "");
  v.data_type = core::str(in, "DataType", prev ? prev->data_type : "text");
  v.policies = core::str(in, "Policies", prev ? prev->policies : "");
  if (v.policies == "[]") v.policies.clear();
  if (v.type == "SecureString") {
    std::string kept = prev && prev->type == "SecureString" ? prev->key_id : "alias/aws/ssm";
    v.key_id = core::str(in, "KeyId", kept);
  }
  if (auto ok = check_data_type(v); !ok) return ok.error();
  if (in.contains("Policies")) {
    if (auto ok = check_policies(core::str(in, "Policies")); !ok) return ok.error();
  }
  if (auto ok = check_pattern(v.allowed_pattern, v.value); !ok) return ok.error();
  protocol::Result<std::string> tier = tier_for(in, prev, v.value.size(), !v.policies.empty());
  if (!tier) return tier.error();
  v.tier = std::move(*tier);
  v.modified_by = ctx.caller_arn;
  return v;
}

protocol::Result<void> merge_tags(const json::array& tags, json::object& into) {
  for (const json::value& t : tags) {
    if (!t.is_object()) continue;
    into[core::str(t.as_object(), "Key")] = core::str(t.as_object(), "Value");
  }
  if (into.size() > kMaxTags) return errors::too_many_tags();
  return {};
}

// "The service removes any spaces specified for the beginning or end of a parameter name."
std::string trimmed(std::string name) {
  name.erase(0, name.find_first_not_of(' '));
  name.erase(name.find_last_not_of(' ') + 1);
  return name;
}

}  // namespace

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
Reply SsmService::put_parameter(const Ctx& ctx, const Doc& in) {
  std::string name = trimmed(core::str(in, "Name"));
  if (auto ok = check_name(name); !ok) return ok.error();
  bool overwrite = core::opt_bool(in, "Overwrite").value_or(false);
  const json::array* tags = core::arr(in, "Tags");
  if (overwrite && tags && !tags->empty()) {
    return errors::validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with "
        "tags, please remove overwrite flag. To update tags for an existing parameter, please "
        "use AddTagsToResource or RemoveTagsFromResource.");
  }
  std::optional<ParameterRow> prev;
  {
    store::Transaction tx = vault_.db().read();
    prev = SsmStore(tx).find(ctx.account, ctx.region, name);
    tx.commit();
  }
  if (prev && !overwrite) return errors::already_exists();
  protocol::Result<VersionRow> v = plan_version(ctx, in, prev ? &prev->current() : nullptr);
  if (!v) return v.error();
  if (prev) name = prev->name;
  std::string arn = parameter_arn(ctx.account, ctx.region, name);
  if (v->type == "SecureString") {
    protocol::Result<SealedValue> sealed =
        vault_.seal(ctx.account, ctx.region, arn, v->key_id, v->tier, v->value);
    if (!sealed) return sealed.error();
    v->value = std::move(sealed->value);
    v->encryption = std::move(sealed->encryption);
    v->key_arn = std::move(sealed->key_arn);
  }
  v->modified_at_ms = core::to_epoch_millis(clock_.now());
  store::Transaction tx = vault_.db().begin();
  SsmStore st(tx);
  std::optional<ParameterRow> now = st.find(ctx.account, ctx.region, name);
  if (now && !overwrite) return errors::already_exists();
  if (!now) {
    now = ParameterRow{ctx.account, ctx.region, name, {}, {}};
    if (tags) {
      if (auto ok = merge_tags(*tags, now->tags); !ok) return ok.error();
    }
    st.insert_parameter(*now);
  } else if (now->versions.size() >= kMaxVersions) {
    const VersionRow& oldest = now->versions.front();
    if (!oldest.labels.empty()) return errors::max_versions(now->name, oldest.version);
    st.delete_version(*now, oldest.version);
  }
  v->version = now->versions.empty() ? 1 : now->current().version + 1;
  st.insert_version(*now, *v);
  tx.commit();
  return json::object{{"Version", v->version}, {"Tier", v->tier}};
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
Reply SsmService::get_parameter(const Ctx& ctx, const Doc& in) {
  protocol::Result<FoundVersion> f = vault_.find(ctx.account, ctx.region, core::str(in, "Name"));
  if (!f) return f.error();
  protocol::Result<std::string> value =
      vault_.shown(*f, core::opt_bool(in, "WithDecryption").value_or(false));
  if (!value) return value.error();
  return json::object{
      {"Parameter", parameter_json(f->name, f->arn, f->version, *value, f->selector)}};
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html
// Names that select nothing are listed in InvalidParameters rather than failing the call.
Reply SsmService::get_parameters(const Ctx& ctx, const Doc& in) {
  bool decrypt = core::opt_bool(in, "WithDecryption").value_or(false);
  json::array found;
  json::array invalid;
  std::vector<std::string> seen;
  for (const std::string& name : core::strings(in, "Names")) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    protocol::Result<FoundVersion> f = vault_.find(ctx.account, ctx.region, name);
    if (!f) {
      if (f.error().code != "ParameterNotFound" && f.error().code != "ParameterVersionNotFound") {
        return f.error();
      }
      invalid.emplace_back(name);
      continue;
    }
    protocol::Result<std::string> value = vault_.shown(*f, decrypt);
    if (!value) return value.error();
    found.push_back(parameter_json(f->name, f->arn, f->version, *value, f->selector));
  }
  return json::object{{"Parameters", std::move(found)}, {"InvalidParameters", std::move(invalid)}};
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameter.html
Reply SsmService::delete_parameter(const Ctx& ctx, const Doc& in) {
  std::optional<Selector> s = parse_selector(core::str(in, "Name"));
  store::Transaction tx = vault_.db().begin();
  if (!s || !SsmStore(tx).erase(ctx.account, ctx.region, s->name)) {
    return errors::parameter_not_found();
  }
  tx.commit();
  return json::object{};
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameters.html
Reply SsmService::delete_parameters(const Ctx& ctx, const Doc& in) {
  json::array deleted;
  json::array invalid;
  store::Transaction tx = vault_.db().begin();
  SsmStore st(tx);
  for (const std::string& name : core::strings(in, "Names")) {
    std::optional<Selector> s = parse_selector(name);
    bool gone = s && st.erase(ctx.account, ctx.region, s->name);
    (gone ? deleted : invalid).emplace_back(name);
  }
  tx.commit();
  return json::object{{"DeletedParameters", std::move(deleted)},
                      {"InvalidParameters", std::move(invalid)}};
}

}  // namespace services::ssm
