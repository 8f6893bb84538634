#include "services/elbv2/rule_definitions.h"

#include <algorithm>
#include <set>

#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxConditionValues = 5;
constexpr std::size_t kMaxTargetGroupsPerAction = 5;

protocol::Result<json::object> normalize_forward(const json::object& in) {
  std::optional<std::string> single = opt_str(in, "TargetGroupArn");
  const json::object* config = obj(in, "ForwardConfig");
  json::array groups;
  if (config) {
    if (const json::array* tuples = arr(*config, "TargetGroups")) {
      for (const json::value& v : *tuples) {
        if (!v.is_object()) {
          continue;
        }
        std::string arn = str(v.get_object(), "TargetGroupArn");
        if (arn.empty()) {
          return errors::validation("A target group ARN must be specified");
        }
        int64_t weight = opt_int(v.get_object(), "Weight").value_or(1);
        if (weight < 0 || weight > 999) {
          return errors::validation("Target group weight must be between 0 and 999");
        }
        for (const json::value& g : groups) {
          if (str(g.get_object(), "TargetGroupArn") == arn) {
            return errors::validation("Target group '" + arn +
                                      "' cannot be specified more than once in a forward action");
          }
        }
        groups.push_back(json::object{{"TargetGroupArn", arn}, {"Weight", weight}});
      }
    }
  }
  if (single && !groups.empty()) {
    if (groups.size() != 1 || str(groups[0].get_object(), "TargetGroupArn") != *single) {
      return errors::validation(
          "You cannot specify both a target group ARN and a ForwardConfig with different "
          "target groups");
    }
  }
  if (!single && groups.empty()) {
    return errors::validation("A target group ARN must be specified for a forward action");
  }
  if (groups.empty()) {
    groups.push_back(json::object{{"TargetGroupArn", *single}, {"Weight", 1}});
  }
  if (groups.size() > kMaxTargetGroupsPerAction) {
    return errors::validation("A forward action can have at most 5 target groups");
  }
  json::object stickiness{{"Enabled", false}};
  if (config) {
    if (const json::object* s = obj(*config, "TargetGroupStickinessConfig")) {
      bool enabled = opt_bool(*s, "Enabled").value_or(false);
      stickiness["Enabled"] = enabled;
      if (std::optional<int64_t> d = opt_int(*s, "DurationSeconds")) {
        if (*d < 1 || *d > 604800) {
          return errors::validation("Stickiness duration must be between 1 and 604800 seconds");
        }
        stickiness["DurationSeconds"] = *d;
      } else if (enabled) {
        return errors::validation(
            "A duration must be specified when target group stickiness is enabled");
      }
    }
  }
  json::object out{{"Type", "forward"}};
  if (groups.size() == 1) {
    out["TargetGroupArn"] = groups[0].get_object().at("TargetGroupArn");
  }
  out["ForwardConfig"] =
      json::object{{"TargetGroups", groups}, {"TargetGroupStickinessConfig", stickiness}};
  return out;
}

protocol::Result<json::object> normalize_redirect(const json::object& in) {
  const json::object* config = obj(in, "RedirectConfig");
  if (!config) {
    return errors::validation("A redirect configuration must be specified for a redirect action");
  }
  std::string status = str(*config, "StatusCode");
  if (status != "HTTP_301" && status != "HTTP_302") {
    return errors::validation("Redirect status code must be HTTP_301 or HTTP_302");
  }
  json::object out_config{
      {"Protocol", str(*config, "Protocol", "#{protocol}")},
      {"Port", str(*config, "Port", "#{port}")},
      {"Host", str(*config, "Host", "#{host}")},
      {"Path", str(*config, "Path", "/#{path}")},
      {"Query", str(*config, "Query", "#{query}")},
      {"StatusCode", status},
  };
  std::string protocol = str(out_config, "Protocol");
  if (protocol != "#{protocol}" && protocol != "HTTP" && protocol != "HTTPS") {
    return errors::validation("Redirect protocol must be HTTP, HTTPS or #{protocol}");
  }
  std::string path = str(out_config, "Path");
  if (path.empty() || path[0] != '/') {
    return errors::validation("Redirect path must start with '/'");
  }
  if (protocol == "#{protocol}" && str(out_config, "Port") == "#{port}" &&
      str(out_config, "Host") == "#{host}" && path == "/#{path}" &&
      str(out_config, "Query") == "#{query}") {
    return errors::invalid_action(
        "The redirect configuration is not valid: it would redirect to the same location");
  }
  return json::object{{"Type", "redirect"}, {"RedirectConfig", out_config}};
}

protocol::Result<json::object> normalize_fixed_response(const json::object& in) {
  const json::object* config = obj(in, "FixedResponseConfig");
  if (!config) {
    return errors::validation(
        "A fixed response configuration must be specified for a fixed-response action");
  }
  std::string status = str(*config, "StatusCode");
  bool ok = status.size() == 3 && (status[0] == '2' || status[0] == '4' || status[0] == '5') &&
            std::isdigit(static_cast<unsigned char>(status[1])) &&
            std::isdigit(static_cast<unsigned char>(status[2]));
  if (!ok) {
    return errors::validation("Fixed response status code must be 2XX, 4XX or 5XX");
  }
  json::object out_config{{"StatusCode", status}};
  if (std::optional<std::string> type = opt_str(*config, "ContentType")) {
    static const std::set<std::string> kTypes = {"text/plain", "text/css", "text/html",
                                                 "application/javascript", "application/json"};
    if (!kTypes.contains(*type)) {
      return errors::validation("Content type '" + *type + "' is not supported");
    }
    out_config["ContentType"] = *type;
  }
  if (std::optional<std::string> body = opt_str(*config, "MessageBody")) {
    if (body->size() > 1024) {
      return errors::validation("Fixed response message body cannot be longer than 1024 bytes");
    }
    out_config["MessageBody"] = *body;
  }
  return json::object{{"Type", "fixed-response"}, {"FixedResponseConfig", out_config}};
}

bool terminal(std::string_view type) {
  return type == "forward" || type == "redirect" || type == "fixed-response";
}

// One action in normal form, without its Order.
protocol::Result<json::object> normalize_action(const json::object& in,
                                                std::string_view listener_protocol) {
  std::string type = str(in, "Type");
  if (type == "forward") {
    return normalize_forward(in);
  }
  if (type == "redirect") {
    return normalize_redirect(in);
  }
  if (type == "fixed-response") {
    return normalize_fixed_response(in);
  }
  if (type == "authenticate-oidc" || type == "authenticate-cognito" || type == "jwt-validation") {
    if (listener_protocol != "HTTPS") {
      return errors::invalid_action("Authenticate actions are only supported on HTTPS listeners");
    }
    json::object copy = in;
    copy.erase("Order");
    return copy;
  }
  return errors::validation("Action type '" + type + "' is not supported");
}

// A normalized action and where it goes: its Order, or its position (1-based) when none is given.
struct OrderedAction {
  int64_t order;
  json::object action;
};

// The actions in Order; only the last one may be (and must be) terminal.
protocol::Result<NormalizedActions> sequence_actions(std::vector<OrderedAction> entries) {
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const OrderedAction& a, const OrderedAction& b) { return a.order < b.order; });
  NormalizedActions result;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::string type = str(entries[i].action, "Type");
    bool last = i + 1 == entries.size();
    if (last != terminal(type)) {
      return errors::validation(
          last ? "The last action must be one of 'forward', 'redirect' or 'fixed-response'"
               : "Action type '" + type + "' must be the last action");
    }
    if (type == "forward") {
      for (const json::value& g :
           entries[i].action.at("ForwardConfig").get_object().at("TargetGroups").get_array()) {
        std::string arn = str(g.get_object(), "TargetGroupArn");
        if (std::find(result.target_groups.begin(), result.target_groups.end(), arn) ==
            result.target_groups.end()) {
          result.target_groups.push_back(arn);
        }
      }
    }
    result.actions.push_back(std::move(entries[i].action));
  }
  return result;
}

}  // namespace

protocol::Result<NormalizedActions> normalize_actions(const json::array* actions,
                                                      std::string_view listener_protocol) {
  if (!actions || actions->empty()) {
    return errors::validation("At least one action must be specified");
  }
  std::vector<OrderedAction> entries;
  std::set<int64_t> orders;
  for (std::size_t i = 0; i < actions->size(); ++i) {
    const json::value& v = (*actions)[i];
    if (!v.is_object()) {
      continue;
    }
    const json::object& in = v.get_object();
    protocol::Result<json::object> out = normalize_action(in, listener_protocol);
    if (!out) {
      return out.error();
    }
    std::optional<int64_t> order = opt_int(in, "Order");
    if (order) {
      if (*order < 1 || *order > 50000) {
        return errors::validation("Action order must be between 1 and 50000");
      }
      if (!orders.insert(*order).second) {
        return errors::validation("Action order '" + std::to_string(*order) +
                                  "' cannot be specified more than once");
      }
      (*out)["Order"] = *order;
    }
    entries.push_back({order.value_or(static_cast<int64_t>(i) + 1), std::move(*out)});
  }
  if (entries.size() > 5) {
    return errors::too_many_actions();
  }
  return sequence_actions(std::move(entries));
}

namespace {

bool valid_path_pattern(const std::string& v) {
  if (v.empty() || v.size() > 128) {
    return false;
  }
  static const std::string kExtra = "_-.$/~\"'@:+&*?=%;,!()[]{}";
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string::npos;
  });
}

bool valid_host_pattern(const std::string& v) {
  if (v.empty() || v.size() > 128) {
    return false;
  }
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '*' ||
           c == '?' || c == ':';
  });
}

bool valid_cidr(const std::string& v) {
  std::size_t slash = v.find('/');
  if (slash == std::string::npos) {
    return false;
  }
  std::string ip = v.substr(0, slash);
  std::string bits = v.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), ::isdigit)) {
    return false;
  }
  int n = std::stoi(bits);
  if (ip.find(':') != std::string::npos) {
    return n <= 128;
  }
  int parts = 0;
  std::size_t pos = 0;
  while (pos <= ip.size()) {
    std::size_t dot = ip.find('.', pos);
    std::string part = ip.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), ::isdigit) ||
        std::stoi(part) > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string::npos) {
      break;
    }
    pos = dot + 1;
  }
  return parts == 4 && n <= 32;
}

// The values of a condition given either as Values or in its *Config.
std::vector<std::string> condition_values(const json::object& in, std::string_view config_name) {
  if (const json::object* config = obj(in, config_name)) {
    return strings(*config, "Values");
  }
  return strings(in, "Values");
}

// The values of a condition given only in its *Config.
std::vector<std::string> config_values(const json::object& in, std::string_view config_name) {
  const json::object* config = obj(in, config_name);
  return config ? strings(*config, "Values") : std::vector<std::string>{};
}

// One condition in normal form and how many values it counts toward the rule's limit.
struct Condition {
  json::object normal;
  int64_t values = 0;
};

// path-pattern and host-header: Values or their *Config, never both.
protocol::Result<Condition> normalize_pattern(const json::object& in, const std::string& field) {
  std::string config_name = field == "path-pattern" ? "PathPatternConfig" : "HostHeaderConfig";
  if (obj(in, config_name) && arr(in, "Values")) {
    return errors::validation("You cannot specify both 'Values' and '" + config_name +
                              "' for a condition");
  }
  std::vector<std::string> values = condition_values(in, config_name);
  if (values.empty()) {
    return errors::validation("A '" + field + "' condition must have at least one value");
  }
  for (const std::string& value : values) {
    bool ok = field == "path-pattern" ? valid_path_pattern(value) : valid_host_pattern(value);
    if (!ok) {
      return errors::validation("Condition value '" + value + "' is not valid for '" + field + "'");
    }
  }
  json::object c{{"Field", field}};
  c["Values"] = to_array(values);
  c[config_name] = json::object{{"Values", to_array(values)}};
  return Condition{std::move(c), static_cast<int64_t>(values.size())};
}

protocol::Result<Condition> normalize_http_header(const json::object& in) {
  const json::object* config = obj(in, "HttpHeaderConfig");
  std::string name = config ? str(*config, "HttpHeaderName") : "";
  std::vector<std::string> values = config_values(in, "HttpHeaderConfig");
  if (name.empty() || name.size() > 40) {
    return errors::validation(
        "An HTTP header name must be specified for an 'http-header' condition");
  }
  if (values.empty()) {
    return errors::validation("An 'http-header' condition must have at least one value");
  }
  json::object c{{"Field", "http-header"}};
  c["HttpHeaderConfig"] = json::object{{"HttpHeaderName", name}, {"Values", to_array(values)}};
  return Condition{std::move(c), static_cast<int64_t>(values.size())};
}

protocol::Result<Condition> normalize_request_method(const json::object& in) {
  std::vector<std::string> values = config_values(in, "HttpRequestMethodConfig");
  if (values.empty()) {
    return errors::validation("An 'http-request-method' condition must have at least one value");
  }
  for (const std::string& m : values) {
    bool ok = !m.empty() && m.size() <= 40 && std::all_of(m.begin(), m.end(), [](char ch) {
      return (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-';
    });
    if (!ok) {
      return errors::validation("HTTP request method '" + m + "' is not valid");
    }
  }
  json::object c{{"Field", "http-request-method"}};
  c["HttpRequestMethodConfig"] = json::object{{"Values", to_array(values)}};
  return Condition{std::move(c), static_cast<int64_t>(values.size())};
}

protocol::Result<Condition> normalize_query_string(const json::object& in) {
  const json::object* config = obj(in, "QueryStringConfig");
  const json::array* pairs = config ? arr(*config, "Values") : nullptr;
  if (!pairs || pairs->empty()) {
    return errors::validation("A 'query-string' condition must have at least one value");
  }
  json::array values;
  for (const json::value& p : *pairs) {
    if (!p.is_object()) {
      continue;
    }
    json::object pair;
    if (std::optional<std::string> key = opt_str(p.get_object(), "Key")) {
      pair["Key"] = *key;
    }
    std::string value = str(p.get_object(), "Value");
    if (value.empty()) {
      return errors::validation("A query string condition value must be specified");
    }
    pair["Value"] = value;
    values.push_back(std::move(pair));
  }
  int64_t count = static_cast<int64_t>(values.size());
  json::object c{{"Field", "query-string"}};
  c["QueryStringConfig"] = json::object{{"Values", std::move(values)}};
  return Condition{std::move(c), count};
}

protocol::Result<Condition> normalize_source_ip(const json::object& in) {
  std::vector<std::string> values = config_values(in, "SourceIpConfig");
  if (values.empty()) {
    return errors::validation("A 'source-ip' condition must have at least one value");
  }
  for (const std::string& cidr : values) {
    if (!valid_cidr(cidr)) {
      return errors::validation("Source IP '" + cidr + "' is not a valid CIDR block");
    }
  }
  json::object c{{"Field", "source-ip"}};
  c["SourceIpConfig"] = json::object{{"Values", to_array(values)}};
  return Condition{std::move(c), static_cast<int64_t>(values.size())};
}

protocol::Result<Condition> normalize_condition(const json::object& in, const std::string& field) {
  if (field == "path-pattern" || field == "host-header") {
    return normalize_pattern(in, field);
  }
  if (field == "http-header") {
    return normalize_http_header(in);
  }
  if (field == "http-request-method") {
    return normalize_request_method(in);
  }
  if (field == "query-string") {
    return normalize_query_string(in);
  }
  if (field == "source-ip") {
    return normalize_source_ip(in);
  }
  return errors::validation("Condition field '" + field + "' is not supported");
}

}  // namespace

protocol::Result<json::array> normalize_conditions(const json::array* conditions) {
  json::array out;
  int64_t total_values = 0;
  std::set<std::string> single_fields;
  if (!conditions) {
    return out;
  }
  for (const json::value& v : *conditions) {
    if (!v.is_object()) {
      continue;
    }
    const json::object& in = v.get_object();
    std::string field = str(in, "Field");
    if (field != "http-header" && field != "query-string" && !single_fields.insert(field).second) {
      return errors::validation("A rule can only have one '" + field + "' condition");
    }
    protocol::Result<Condition> c = normalize_condition(in, field);
    if (!c) {
      return c.error();
    }
    total_values += c->values;
    out.push_back(std::move(c->normal));
  }
  if (total_values > kMaxConditionValues) {
    return errors::validation("A rule can only have '5' condition values");
  }
  return out;
}

}  // namespace services::elbv2
