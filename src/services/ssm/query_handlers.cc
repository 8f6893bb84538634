// Queries: GetParametersByPath, DescribeParameters, GetParameterHistory.

#include <boost/json.hpp>

#include "core/ids.h"
#include "core/json.h"
#include "services/ssm/errors.h"
#include "services/ssm/parameter_filters.h"
#include "services/ssm/parameter_names.h"
#include "services/ssm/public_parameters.h"
#include "services/ssm/ssm_json.h"
#include "services/ssm/ssm_service.h"

namespace services::ssm {

namespace json = boost::json;

namespace {

// The sort key after which a page starts: its NextToken decoded, "" without one.
protocol::Result<std::string> page_after(const Doc& in) {
  std::optional<std::string> token = core::opt_str(in, "NextToken");
  if (!token) return std::string();
  std::optional<std::string> after = parse_token(*token);
  if (!after || after->empty()) return errors::invalid_next_token();
  return std::move(*after);
}

// A path with one trailing slash ("/" stays "/").
std::string as_prefix(std::string path) {
  while (path.size() > 1 && path.ends_with('/')) path.pop_back();
  return path == "/" ? path : path + "/";
}

// Public parameters under a path: one page of their values, paged by name.
Reply public_page(const Ctx& ctx, const std::string& prefix, bool recursive,
                  const std::string& after, std::size_t limit) {
  json::array out;
  std::optional<std::string> last;
  bool more = false;
  for (const PublicParameter& p : public_under(ctx.region, prefix, recursive)) {
    if (!after.empty() && p.name <= after) continue;
    if (out.size() == limit) {
      more = true;
      break;
    }
    VersionRow v;
    v.type = "String";
    v.data_type = p.data_type;
    v.modified_at_ms = kPublicModifiedMs;
    std::string arn = core::ids::arn("ssm", ctx.region, "", "parameter" + p.name);
    out.push_back(parameter_json(p.name, arn, v, p.value));
    last = p.name;
  }
  json::object reply{{"Parameters", std::move(out)}};
  if (more && last) reply["NextToken"] = next_token(*last);
  return reply;
}

}  // namespace

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
Reply SsmService::get_parameters_by_path(const Ctx& ctx, const Doc& in) {
  std::string path = core::str(in, "Path");
  if (auto ok = check_path(path); !ok) return ok.error();
  bool recursive = core::opt_bool(in, "Recursive").value_or(false);
  bool decrypt = core::opt_bool(in, "WithDecryption").value_or(false);
  auto limit = static_cast<std::size_t>(core::opt_int(in, "MaxResults").value_or(10));
  protocol::Result<std::vector<StringFilter>> filters =
      parse_filters(core::arr(in, "ParameterFilters"), FilterUse::ByPath);
  if (!filters) return filters.error();
  protocol::Result<std::string> after = page_after(in);
  if (!after) return after.error();
  std::string prefix = as_prefix(path);
  if (prefix.starts_with("/aws/service/")) {
    return public_page(ctx, prefix, recursive, *after, limit);
  }
  std::string key_prefix = name_key(prefix);
  std::vector<ParameterRow> rows;
  {
    store::Transaction tx = vault_.db().read();
    rows = SsmStore(tx).list(ctx.account, ctx.region, key_prefix, *after);
    tx.commit();
  }
  json::array out;
  std::optional<std::string> last;
  for (const ParameterRow& p : rows) {
    std::string key = name_key(p.name);
    if (!recursive && key.find('/', key_prefix.size()) != std::string::npos) continue;
    const VersionRow* v = select_version(*filters, p);
    if (!v) continue;
    if (out.size() == limit) {
      json::object reply{{"Parameters", std::move(out)}};
      reply["NextToken"] = next_token(*last);
      return reply;
    }
    std::string arn = parameter_arn(ctx.account, ctx.region, p.name);
    protocol::Result<std::string> value = vault_.shown(ctx.account, ctx.region, arn, *v, decrypt);
    if (!value) return value.error();
    out.push_back(parameter_json(p.name, arn, *v, *value));
    last = key;
  }
  return json::object{{"Parameters", std::move(out)}};
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html
Reply SsmService::describe_parameters(const Ctx& ctx, const Doc& in) {
  const json::array* legacy = core::arr(in, "Filters");
  const json::array* string_filters = core::arr(in, "ParameterFilters");
  if (legacy && string_filters) {
    return errors::validation(
        "You can use either Filters or ParameterFilters in a single request.");
  }
  protocol::Result<std::vector<StringFilter>> filters =
      legacy ? legacy_filters(*legacy) : parse_filters(string_filters, FilterUse::Describe);
  if (!filters) return filters.error();
  protocol::Result<std::string> after = page_after(in);
  if (!after) return after.error();
  auto limit = static_cast<std::size_t>(core::opt_int(in, "MaxResults").value_or(10));
  std::vector<ParameterRow> rows;
  {
    store::Transaction tx = vault_.db().read();
    rows = SsmStore(tx).list(ctx.account, ctx.region, "", *after);
    tx.commit();
  }
  json::array out;
  std::string last;
  for (const ParameterRow& p : rows) {
    if (!select_version(*filters, p)) continue;
    if (out.size() == limit) {
      return json::object{{"Parameters", std::move(out)}, {"NextToken", next_token(last)}};
    }
    out.push_back(metadata_json(p, parameter_arn(ctx.account, ctx.region, p.name)));
    last = name_key(p.name);
  }
  return json::object{{"Parameters", std::move(out)}};
}

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameterHistory.html
Reply SsmService::get_parameter_history(const Ctx& ctx, const Doc& in) {
  std::optional<Selector> s = parse_selector(core::str(in, "Name"));
  if (!s) return errors::parameter_not_found();
  bool decrypt = core::opt_bool(in, "WithDecryption").value_or(false);
  auto limit = static_cast<std::size_t>(core::opt_int(in, "MaxResults").value_or(50));
  protocol::Result<std::string> after = page_after(in);
  if (!after) return after.error();
  int64_t after_version = 0;
  if (!after->empty()) {
    try {
      after_version = std::stoll(*after);
    } catch (const std::exception&) {
      return errors::invalid_next_token();
    }
  }
  std::optional<ParameterRow> p;
  {
    store::Transaction tx = vault_.db().read();
    p = SsmStore(tx).find(ctx.account, ctx.region, s->name);
    tx.commit();
  }
  if (!p) return errors::parameter_not_found();
  std::string arn = parameter_arn(ctx.account, ctx.region, p->name);
  json::array out;
  for (const VersionRow& v : p->versions) {
    if (v.version <= after_version) continue;
    if (out.size() == limit) {
      return json::object{{"Parameters", std::move(out)},
                          {"NextToken", next_token(std::to_string(after_version))}};
    }
    protocol::Result<std::string> value = vault_.shown(ctx.account, ctx.region, arn, v, decrypt);
    if (!value) return value.error();
    out.push_back(history_json(p->name, v, *value));
    after_version = v.version;
  }
  return json::object{{"Parameters", std::move(out)}};
}

}  // namespace services::ssm
