#pragma once
// Plain structs for the settings that code other than Describe* reads from stored ELBv2
// documents: the target handlers, the forward checks and the snapshot builder. Each is converted
// from its stored document in one place (records.cc), with AWS's defaults for absent members.
// The stored documents keep the wire shape that Describe* returns; these are read-only views.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace services::elbv2 {

struct TargetGroupRecord {
  std::string arn;
  std::string name;
  std::string protocol;          // HTTP, HTTPS; empty for lambda groups
  std::string protocol_version;  // HTTP1, HTTP2, GRPC; empty for lambda groups
  std::optional<int64_t> port;   // none for lambda groups
  std::string target_type;       // instance, ip, lambda
  std::string vpc_id;
  bool health_check_enabled = true;
  std::string health_check_protocol;  // "HTTP" when absent
  std::string health_check_port;      // "traffic-port" or a port number as text
  std::string health_check_path;      // "/" when absent
  int64_t health_check_interval_seconds = 30;
  int64_t health_check_timeout_seconds = 5;
  int64_t healthy_threshold = 5;
  int64_t unhealthy_threshold = 2;
  std::optional<std::string> matcher_http_code;  // when the group has a Matcher ("200" for gRPC)
};

// From a stored TargetGroup document (TargetGroupRow::doc).
TargetGroupRecord target_group_record(const boost::json::object& doc);

}  // namespace services::elbv2
