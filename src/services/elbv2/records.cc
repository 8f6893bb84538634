#include "services/elbv2/records.h"

#include "services/elbv2/elbv2_json.h"

namespace services::elbv2 {

TargetGroupRecord target_group_record(const boost::json::object& d) {
  TargetGroupRecord out;
  out.arn = str(d, "TargetGroupArn");
  out.name = str(d, "TargetGroupName");
  out.protocol = str(d, "Protocol");
  out.protocol_version = str(d, "ProtocolVersion");
  out.port = opt_int(d, "Port");
  out.target_type = str(d, "TargetType");
  out.vpc_id = str(d, "VpcId");
  out.health_check_enabled = opt_bool(d, "HealthCheckEnabled").value_or(true);
  out.health_check_protocol = str(d, "HealthCheckProtocol", "HTTP");
  out.health_check_port = str(d, "HealthCheckPort", "traffic-port");
  out.health_check_path = str(d, "HealthCheckPath", "/");
  out.health_check_interval_seconds = opt_int(d, "HealthCheckIntervalSeconds").value_or(30);
  out.health_check_timeout_seconds = opt_int(d, "HealthCheckTimeoutSeconds").value_or(5);
  out.healthy_threshold = opt_int(d, "HealthyThresholdCount").value_or(5);
  out.unhealthy_threshold = opt_int(d, "UnhealthyThresholdCount").value_or(2);
  if (const boost::json::object* matcher = obj(d, "Matcher")) {
    out.matcher_http_code = str(*matcher, "HttpCode", "200");
  }
  return out;
}

}  // namespace services::elbv2
