#include "services/elbv2/attributes.h"

#include <charconv>
#include <string>
#include <vector>

#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

namespace {

enum class Kind { Bool, Int, Enum, Text };

struct Spec {
  std::string_view key;
  std::string_view default_value;
  Kind kind = Kind::Text;
  int64_t min = 0;
  int64_t max = 0;
  std::vector<std::string_view> choices;
  bool zero_allowed = false;  // Int: 0 is valid besides [min, max] (slow start)
};

const std::vector<Spec>& load_balancer_specs() {
  static const std::vector<Spec> kSpecs = {
      {"access_logs.s3.enabled", "false", Kind::Bool},
      {"access_logs.s3.bucket", ""},
      {"access_logs.s3.prefix", ""},
      {"client_keep_alive.seconds", "3600", Kind::Int, 60, 604800},
      {"connection_logs.s3.enabled", "false", Kind::Bool},
      {"connection_logs.s3.bucket", ""},
      {"connection_logs.s3.prefix", ""},
      {"deletion_protection.enabled", "false", Kind::Bool},
      {"health_check_logs.s3.enabled", "false", Kind::Bool},
      {"health_check_logs.s3.bucket", ""},
      {"health_check_logs.s3.prefix", ""},
      {"idle_timeout.timeout_seconds", "60", Kind::Int, 1, 4000},
      {"load_balancing.cross_zone.enabled", "true", Kind::Bool},
      {"routing.http.desync_mitigation_mode",
       "defensive",
       Kind::Enum,
       0,
       0,
       {"monitor", "defensive", "strictest"}},
      {"routing.http.drop_invalid_header_fields.enabled", "false", Kind::Bool},
      {"routing.http.preserve_host_header.enabled", "false", Kind::Bool},
      {"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false", Kind::Bool},
      {"routing.http.xff_client_port.enabled", "false", Kind::Bool},
      {"routing.http.xff_header_processing.mode",
       "append",
       Kind::Enum,
       0,
       0,
       {"append", "preserve", "remove"}},
      {"routing.http2.enabled", "true", Kind::Bool},
      {"waf.fail_open.enabled", "false", Kind::Bool},
      {"zonal_shift.config.enabled", "false", Kind::Bool},
  };
  return kSpecs;
}

const std::vector<Spec>& target_group_specs() {
  static const std::vector<Spec> kSpecs = {
      {"deregistration_delay.timeout_seconds", "300", Kind::Int, 0, 3600},
      {"load_balancing.algorithm.anomaly_mitigation", "off", Kind::Enum, 0, 0, {"on", "off"}},
      {"load_balancing.algorithm.type",
       "round_robin",
       Kind::Enum,
       0,
       0,
       {"round_robin", "least_outstanding_requests", "weighted_random"}},
      {"load_balancing.cross_zone.enabled",
       "use_load_balancer_configuration",
       Kind::Enum,
       0,
       0,
       {"true", "false", "use_load_balancer_configuration"}},
      {"slow_start.duration_seconds", "0", Kind::Int, 30, 900, {}, true},
      {"stickiness.app_cookie.cookie_name", ""},
      {"stickiness.app_cookie.duration_seconds", "86400", Kind::Int, 1, 604800},
      {"stickiness.enabled", "false", Kind::Bool},
      {"stickiness.lb_cookie.duration_seconds", "86400", Kind::Int, 1, 604800},
      {"stickiness.type", "lb_cookie", Kind::Enum, 0, 0, {"lb_cookie", "app_cookie"}},
      {"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
      {"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
      {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
      {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
  };
  return kSpecs;
}

const std::vector<Spec>& lambda_target_group_specs() {
  static const std::vector<Spec> kSpecs = {
      {"lambda.multi_value_headers.enabled", "false", Kind::Bool},
  };
  return kSpecs;
}

const std::vector<Spec>& listener_specs() {
  static const std::vector<Spec> kSpecs = {
      {"routing.http.response.server.enabled", "true", Kind::Bool},
  };
  return kSpecs;
}

json::object defaults(const std::vector<Spec>& specs) {
  json::object out;
  for (const Spec& s : specs) {
    out[s.key] = s.default_value;
  }
  return out;
}

std::optional<protocol::AwsError> check_value(const Spec& spec, const std::string& value) {
  auto invalid = [&] {
    return errors::validation("'" + value + "' is not a valid value for attribute '" +
                              std::string(spec.key) + "'");
  };
  switch (spec.kind) {
    case Kind::Bool:
      if (value != "true" && value != "false") {
        return invalid();
      }
      return std::nullopt;
    case Kind::Int: {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
        return invalid();
      }
      if (spec.zero_allowed && n == 0) {
        return std::nullopt;
      }
      if (n < spec.min || n > spec.max) {
        return errors::validation("The value of '" + std::string(spec.key) + "' must be between " +
                                  std::to_string(spec.min) + " and " + std::to_string(spec.max) +
                                  (spec.zero_allowed ? ", or 0 to disable" : ""));
      }
      return std::nullopt;
    }
    case Kind::Enum:
      for (std::string_view c : spec.choices) {
        if (c == value) {
          return std::nullopt;
        }
      }
      return invalid();
    case Kind::Text:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<protocol::AwsError> apply(json::object& attributes, const json::array& changes,
                                        std::string_view what) {
  json::object staged = attributes;
  for (const json::value& v : changes) {
    if (!v.is_object()) {
      continue;
    }
    std::string key = str(v.get_object(), "Key");
    std::string value = str(v.get_object(), "Value");
    if (!attributes.contains(key)) {
      return errors::validation(std::string(what) + " attribute key '" + key +
                                "' is not recognized");
    }
    staged[key] = value;
  }
  attributes = std::move(staged);
  return std::nullopt;
}

std::optional<protocol::AwsError> check_all(const std::vector<Spec>& specs,
                                            const json::array& changes) {
  for (const json::value& v : changes) {
    if (!v.is_object()) {
      continue;
    }
    std::string key = str(v.get_object(), "Key");
    for (const Spec& s : specs) {
      if (s.key == key) {
        if (auto e = check_value(s, str(v.get_object(), "Value"))) {
          return e;
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

json::object default_load_balancer_attributes() { return defaults(load_balancer_specs()); }

json::object default_target_group_attributes(std::string_view target_type) {
  return defaults(target_type == "lambda" ? lambda_target_group_specs() : target_group_specs());
}

json::object default_listener_attributes() { return defaults(listener_specs()); }

std::optional<protocol::AwsError> apply_load_balancer_attributes(json::object& attributes,
                                                                 const json::array& changes) {
  if (auto e = check_all(load_balancer_specs(), changes)) {
    return e;
  }
  return apply(attributes, changes, "Load balancer");
}

std::optional<protocol::AwsError> apply_target_group_attributes(json::object& attributes,
                                                                const json::array& changes) {
  if (auto e = check_all(target_group_specs(), changes)) {
    return e;
  }
  if (auto e = check_all(lambda_target_group_specs(), changes)) {
    return e;
  }
  return apply(attributes, changes, "Target group");
}

std::optional<protocol::AwsError> apply_listener_attributes(json::object& attributes,
                                                            const json::array& changes) {
  if (auto e = check_all(listener_specs(), changes)) {
    return e;
  }
  return apply(attributes, changes, "Listener");
}

}  // namespace services::elbv2
