#include "services/cloudwatch/cloudwatch_json.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>

#include "core/base64.h"
#include "core/json.h"
#include "services/cloudwatch/errors.h"

namespace services::cloudwatch {

namespace json = boost::json;

std::optional<std::string> opt_string(const json::object& in, std::string_view key) {
  return core::opt_str(in, key);
}

std::optional<int64_t> opt_int(const json::object& in, std::string_view key) {
  return core::opt_int(in, key);
}

std::optional<double> opt_double(const json::object& in, std::string_view key) {
  const json::value* v = in.if_contains(key);
  if (!v || !v->is_number()) {
    return std::nullopt;
  }
  return v->to_number<double>();
}

std::optional<int64_t> opt_time_ms(const json::object& in, std::string_view key) {
  std::optional<double> s = opt_double(in, key);
  if (!s) {
    return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(*s * 1000.0));
}

double epoch_seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

protocol::Result<Dimensions> parse_dimensions(const json::object& in, std::string_view key,
                                              const std::string& field) {
  Dimensions dims;
  const json::array* list = core::arr(in, key);
  if (!list) {
    return dims;
  }
  if (list->size() > 30) {
    return errors::invalid_value("The collection " + field +
                                 " must not have a size greater than 30.");
  }
  for (const json::value& v : *list) {
    const json::object& d = v.as_object();
    dims.push_back({core::str(d, "Name"), core::str(d, "Value")});
  }
  std::sort(dims.begin(), dims.end());
  for (size_t i = 1; i < dims.size(); ++i) {
    if (dims[i].name == dims[i - 1].name) {
      return errors::invalid_value("No metric may have duplicate dimension names: " + dims[i].name);
    }
  }
  return dims;
}

json::array dimensions_json(const Dimensions& dims) {
  json::array out;
  for (const Dimension& d : dims) {
    out.push_back(json::object{{"Name", d.name}, {"Value", d.value}});
  }
  return out;
}

bool valid_unit(std::string_view unit) {
  static constexpr std::array<std::string_view, 27> kUnits = {"Seconds",
                                                              "Microseconds",
                                                              "Milliseconds",
                                                              "Bytes",
                                                              "Kilobytes",
                                                              "Megabytes",
                                                              "Gigabytes",
                                                              "Terabytes",
                                                              "Bits",
                                                              "Kilobits",
                                                              "Megabits",
                                                              "Gigabits",
                                                              "Terabits",
                                                              "Percent",
                                                              "Count",
                                                              "Bytes/Second",
                                                              "Kilobytes/Second",
                                                              "Megabytes/Second",
                                                              "Gigabytes/Second",
                                                              "Terabytes/Second",
                                                              "Bits/Second",
                                                              "Kilobits/Second",
                                                              "Megabits/Second",
                                                              "Gigabits/Second",
                                                              "Terabits/Second",
                                                              "Count/Second",
                                                              "None"};
  return std::find(kUnits.begin(), kUnits.end(), unit) != kUnits.end();
}

std::string alarm_arn(std::string_view account, std::string_view region, std::string_view name) {
  return "arn:aws:cloudwatch:" + std::string(region) + ":" + std::string(account) +
         ":alarm:" + std::string(name);
}

std::string dashboard_arn(std::string_view account, std::string_view name) {
  return "arn:aws:cloudwatch::" + std::string(account) + ":dashboard/" + std::string(name);
}

json::object alarm_json(const AlarmRow& a) {
  json::object out = a.definition;
  out["AlarmName"] = a.name;
  out["AlarmArn"] = alarm_arn(a.account, a.region, a.name);
  out["ActionsEnabled"] = a.actions_enabled;
  for (const char* list : {"OKActions", "AlarmActions", "InsufficientDataActions"}) {
    if (!out.contains(list)) out[list] = json::array{};
  }
  if (!out.contains("Dimensions") && out.contains("MetricName")) out["Dimensions"] = json::array{};
  out["AlarmConfigurationUpdatedTimestamp"] = epoch_seconds(a.config_updated_ms);
  out["StateValue"] = a.state;
  out["StateReason"] = a.state_reason;
  if (a.state_reason_data) out["StateReasonData"] = *a.state_reason_data;
  out["StateUpdatedTimestamp"] = epoch_seconds(a.state_updated_ms);
  out["StateTransitionedTimestamp"] = epoch_seconds(a.state_transitioned_ms);
  return out;
}

std::string make_token(std::string_view position) { return core::base64_encode(position); }

protocol::Result<std::string> read_token(std::string_view token) {
  std::optional<std::string> s = core::base64_decode(token);
  if (!s || s->empty()) {
    return errors::invalid_next_token();
  }
  return *s;
}

protocol::Result<int64_t> read_number_token(std::string_view token) {
  CW_ASSIGN(std::string, pos, read_token(token));
  try {
    return std::stoll(pos);
  } catch (const std::exception&) {
    return errors::invalid_next_token();
  }
}

}  // namespace services::cloudwatch
