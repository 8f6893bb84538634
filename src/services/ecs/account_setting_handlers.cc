// Account settings: per principal, with an account default, else AWS's default.

#include <algorithm>
#include <utility>

#include "core/ids.h"
#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

// AWS's defaults today: the long ARN formats are on for everyone.
const std::vector<std::pair<std::string, std::string>>& aws_defaults() {
  static const std::vector<std::pair<std::string, std::string>> kDefaults = {
      {"awsvpcTrunking", "disabled"},
      {"containerInsights", "disabled"},
      {"containerInstanceLongArnFormat", "enabled"},
      {"defaultLogDriverMode", "non-blocking"},
      {"dualStackIPv6", "disabled"},
      {"fargateFIPSMode", "disabled"},
      {"fargateTaskRetirementWaitPeriod", "7"},
      {"guardDutyActivate", "off"},
      {"serviceLongArnFormat", "enabled"},
      {"tagResourceAuthorization", "on"},
      {"taskLongArnFormat", "enabled"},
  };
  return kDefaults;
}

std::string root_arn(const Ctx& ctx) { return core::ids::arn("iam", "", ctx.account, "root"); }

std::string principal_of(const Ctx& ctx, const Doc& in) {
  std::string p = str(in, "principalArn");
  if (!p.empty()) {
    return p;
  }
  return ctx.caller_arn.empty() ? root_arn(ctx) : ctx.caller_arn;
}

std::string check_value(std::string_view name, std::string_view value) {
  if (name == "fargateTaskRetirementWaitPeriod") {
    if (value != "0" && value != "7" && value != "14") {
      return "The fargateTaskRetirementWaitPeriod setting value must be 0, 7 or 14.";
    }
    return {};
  }
  if (name == "containerInsights") {
    if (value != "enabled" && value != "disabled" && value != "enhanced") {
      return "The containerInsights setting value must be enabled, enhanced or disabled.";
    }
    return {};
  }
  if (name == "tagResourceAuthorization" || name == "guardDutyActivate") {
    if (value != "on" && value != "off") {
      return "The " + std::string(name) + " setting value must be on or off.";
    }
    return {};
  }
  if (name == "defaultLogDriverMode") {
    if (value != "blocking" && value != "non-blocking") {
      return "The defaultLogDriverMode setting value must be blocking or non-blocking.";
    }
    return {};
  }
  if (value != "enabled" && value != "disabled") {
    return "The " + std::string(name) + " setting value must be enabled or disabled.";
  }
  if ((name == "serviceLongArnFormat" || name == "taskLongArnFormat" ||
       name == "containerInstanceLongArnFormat") &&
      value == "disabled") {
    return "The long ARN format opt-out period has ended; " + std::string(name) +
           " cannot be disabled.";
  }
  return {};
}

Doc setting_doc(std::string_view name, std::string_view value, std::string_view principal,
                std::string_view type = "user") {
  return {{"name", name}, {"value", value}, {"principalArn", principal}, {"type", type}};
}

}  // namespace

// ListAccountSettings — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListAccountSettings.html
Reply EcsService::list_account_settings(const Ctx& ctx, const Doc& in) {
  protocol::Result<Page> page = read_page(in, 10, 10);
  if (!page) {
    return page.error();
  }
  std::string principal = principal_of(ctx, in);
  std::optional<std::string> name_filter = opt_str(in, "name");
  std::optional<std::string> value_filter = opt_str(in, "value");
  bool effective = opt_bool(in, "effectiveSettings").value_or(false);
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  json::array all;
  for (const auto& [name, aws_value] : aws_defaults()) {
    if (name_filter && *name_filter != name) {
      continue;
    }
    std::optional<std::string> own = st.setting(principal, name);
    std::optional<std::string> account_default = st.setting("", name);
    Doc s;
    if (own) {
      s = setting_doc(name, *own, principal);
    } else if (effective) {
      s = setting_doc(name, account_default.value_or(aws_value), principal,
                      account_default ? "user" : "aws_managed");
    } else {
      continue;
    }
    if (value_filter && str(s, "value") != *value_filter) {
      continue;
    }
    all.push_back(std::move(s));
  }
  size_t begin = 0;
  while (begin < all.size() && !page->after.empty() &&
         str(all[begin].as_object(), "name") <= page->after) {
    ++begin;
  }
  Doc out;
  json::array settings;
  for (size_t i = begin; i < all.size() && static_cast<int64_t>(settings.size()) < page->limit;
       ++i) {
    settings.push_back(all[i]);
  }
  if (begin + settings.size() < all.size()) {
    out["nextToken"] = make_token(str(settings.back().as_object(), "name"));
  }
  out["settings"] = std::move(settings);
  return out;
}

// PutAccountSetting — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutAccountSetting.html
Reply EcsService::put_account_setting(const Ctx& ctx, const Doc& in) {
  std::string name = str(in, "name");
  std::string value = str(in, "value");
  if (std::string e = check_value(name, value); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  std::string principal = principal_of(ctx, in);
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  st.put_setting(principal, name, value);
  tx.commit();
  return json::object{{"setting", setting_doc(name, value, principal)}};
}

// PutAccountSettingDefault — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PutAccountSettingDefault.html
Reply EcsService::put_account_setting_default(const Ctx& ctx, const Doc& in) {
  std::string name = str(in, "name");
  std::string value = str(in, "value");
  if (std::string e = check_value(name, value); !e.empty()) {
    return errors::invalid_parameter(e);
  }
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  st.put_setting("", name, value);
  tx.commit();
  return json::object{{"setting", setting_doc(name, value, root_arn(ctx))}};
}

// DeleteAccountSetting — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteAccountSetting.html
Reply EcsService::delete_account_setting(const Ctx& ctx, const Doc& in) {
  std::string name = str(in, "name");
  std::string principal = principal_of(ctx, in);
  store::Transaction tx = db_.begin();
  EcsStore st(tx, ctx.account, ctx.region);
  std::optional<std::string> value = st.setting(principal, name);
  if (!value) {
    return errors::invalid_parameter("The specified setting was not found for the principal.");
  }
  st.delete_setting(principal, name);
  tx.commit();
  return json::object{{"setting", setting_doc(name, *value, principal)}};
}

}  // namespace services::ecs
