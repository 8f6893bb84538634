// PutDashboard, GetDashboard, ListDashboards and DeleteDashboards.

#include <boost/json.hpp>
#include <cctype>

#include "core/json.h"
#include "services/cloudwatch/cloudwatch_json.h"
#include "services/cloudwatch/cloudwatch_service.h"
#include "services/cloudwatch/errors.h"

namespace services::cloudwatch {

namespace json = boost::json;

namespace {

constexpr size_t kListPage = 1000;

bool valid_dashboard_name(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// The body's validation errors as (dataPath, message), in CloudWatch's JSON-schema wording.
std::vector<std::pair<std::string, std::string>> body_errors(const std::string& body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return {{"", "Invalid JSON: " + ec.message()}};
  if (!v.is_object()) return {{"", "Should be object"}};
  const json::value* widgets = v.as_object().if_contains("widgets");
  if (!widgets) return {{"", "Should have required property 'widgets'"}};
  if (!widgets->is_array()) return {{"/widgets", "Should be array"}};
  std::vector<std::pair<std::string, std::string>> out;
  const json::array& list = widgets->as_array();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = "/widgets/" + std::to_string(i);
    if (!list[i].is_object()) {
      out.emplace_back(path, "Should be object");
      continue;
    }
    const json::object& w = list[i].as_object();
    const json::value* type = w.if_contains("type");
    if (!type || !type->is_string()) {
      out.emplace_back(path, "Should have required property 'type'");
    } else if (*type != "text" && *type != "explorer" && !w.contains("properties")) {
      out.emplace_back(path, "Should have required property 'properties'");
    }
  }
  return out;
}

protocol::AwsError invalid_body(const std::vector<std::pair<std::string, std::string>>& errs) {
  json::array details;
  json::array messages;
  for (const auto& [path, message] : errs) {
    details.push_back(json::object{{"dataPath", path}, {"message", message}});
    messages.push_back(json::object{{"DataPath", path}, {"Message", message}});
  }
  protocol::AwsError e = errors::dashboard_invalid(
      "The dashboard body is invalid, there are " + std::to_string(errs.size()) +
      " validation errors:\n" + json::serialize(details));
  e.fields["dashboardValidationMessages"] = std::move(messages);
  return e;
}

}  // namespace

// PutDashboard —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
Reply CloudWatchService::put_dashboard(const Ctx& ctx, const Doc& in) {
  std::string name = *opt_string(in, "DashboardName");
  if (!valid_dashboard_name(name)) {
    return errors::dashboard_invalid(
        "The value for field DashboardName contains invalid characters. It can only contain "
        "alphanumerics, dash (-) and underscore (_).");
  }
  std::string body = *opt_string(in, "DashboardBody");
  if (auto errs = body_errors(body); !errs.empty()) {
    return invalid_body(errs);
  }
  store::Transaction tx = db_.begin();
  CloudWatchStore(tx).put_dashboard(ctx.account, ctx.region, {name, body, now_ms()});
  tx.commit();
  return json::object{{"DashboardValidationMessages", json::array{}}};
}

// GetDashboard —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetDashboard.html
Reply CloudWatchService::get_dashboard(const Ctx& ctx, const Doc& in) {
  std::string name = *opt_string(in, "DashboardName");
  store::Transaction tx = db_.read();
  std::optional<DashboardRow> d = CloudWatchStore(tx).dashboard(ctx.account, ctx.region, name);
  tx.commit();
  if (!d) {
    return errors::dashboard_not_found("Dashboard " + name + " does not exist");
  }
  return json::object{{"DashboardArn", dashboard_arn(ctx.account, d->name)},
                      {"DashboardBody", d->body},
                      {"DashboardName", d->name}};
}

// ListDashboards —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListDashboards.html
Reply CloudWatchService::list_dashboards(const Ctx& ctx, const Doc& in) {
  std::string prefix = opt_string(in, "DashboardNamePrefix").value_or("");
  std::string after;
  if (std::optional<std::string> token = opt_string(in, "NextToken")) {
    CW_ASSIGN(std::string, pos, read_token(*token));
    after = pos;
  }
  store::Transaction tx = db_.read();
  std::vector<DashboardRow> rows = CloudWatchStore(tx).dashboards(ctx.account, ctx.region);
  tx.commit();
  json::array entries;
  json::object out;
  for (const DashboardRow& d : rows) {
    if (!d.name.starts_with(prefix) || d.name <= after) continue;
    if (entries.size() == kListPage) {
      out["NextToken"] = make_token(entries.back().as_object().at("DashboardName").as_string());
      break;
    }
    entries.push_back(json::object{{"DashboardName", d.name},
                                   {"DashboardArn", dashboard_arn(ctx.account, d.name)},
                                   {"LastModified", epoch_seconds(d.modified_ms)},
                                   {"Size", static_cast<int64_t>(d.body.size())}});
  }
  out["DashboardEntries"] = std::move(entries);
  return out;
}

// DeleteDashboards —
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteDashboards.html
Reply CloudWatchService::delete_dashboards(const Ctx& ctx, const Doc& in) {
  std::vector<std::string> names = core::strings(in, "DashboardNames");
  store::Transaction tx = db_.begin();
  CloudWatchStore st(tx);
  std::vector<std::string> missing;
  for (const std::string& n : names) {
    if (!st.dashboard(ctx.account, ctx.region, n)) missing.push_back(n);
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& n : missing) list += (list.empty() ? "" : ", ") + n;
    return errors::dashboard_not_found("The specified dashboard does not exist. [" + list + "]");
  }
  for (const std::string& n : names) st.delete_dashboard(ctx.account, ctx.region, n);
  tx.commit();
  return json::object{};
}

}  // namespace services::cloudwatch
