#include "services/elbv2/records.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace services::elbv2 {
namespace {

boost::json::object doc(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(TargetGroupRecordTest, ReadsEverySettingOfAnHttpGroup) {
  TargetGroupRecord tg = target_group_record(doc(R"({
    "TargetGroupArn": "arn:tg", "TargetGroupName": "web", "Protocol": "HTTP",
    "ProtocolVersion": "HTTP1", "Port": 8080, "TargetType": "ip", "VpcId": "vpc-1",
    "HealthCheckEnabled": true, "HealthCheckProtocol": "HTTPS", "HealthCheckPort": "9000",
    "HealthCheckPath": "/health", "HealthCheckIntervalSeconds": 10,
    "HealthCheckTimeoutSeconds": 3, "HealthyThresholdCount": 2, "UnhealthyThresholdCount": 4,
    "Matcher": {"HttpCode": "200-299"}})"));
  EXPECT_EQ(tg.arn, "arn:tg");
  EXPECT_EQ(tg.name, "web");
  EXPECT_EQ(tg.protocol, "HTTP");
  EXPECT_EQ(tg.protocol_version, "HTTP1");
  EXPECT_EQ(tg.port, 8080);
  EXPECT_EQ(tg.target_type, "ip");
  EXPECT_EQ(tg.vpc_id, "vpc-1");
  EXPECT_TRUE(tg.health_check_enabled);
  EXPECT_EQ(tg.health_check_protocol, "HTTPS");
  EXPECT_EQ(tg.health_check_port, "9000");
  EXPECT_EQ(tg.health_check_path, "/health");
  EXPECT_EQ(tg.health_check_interval_seconds, 10);
  EXPECT_EQ(tg.health_check_timeout_seconds, 3);
  EXPECT_EQ(tg.healthy_threshold, 2);
  EXPECT_EQ(tg.unhealthy_threshold, 4);
  EXPECT_EQ(tg.matcher_http_code, "200-299");
}

TEST(TargetGroupRecordTest, AbsentMembersTakeAwsDefaults) {
  TargetGroupRecord tg = target_group_record(doc(R"({"TargetType": "lambda"})"));
  EXPECT_FALSE(tg.port.has_value());
  EXPECT_TRUE(tg.health_check_enabled);
  EXPECT_EQ(tg.health_check_protocol, "HTTP");
  EXPECT_EQ(tg.health_check_port, "traffic-port");
  EXPECT_EQ(tg.health_check_path, "/");
  EXPECT_EQ(tg.health_check_interval_seconds, 30);
  EXPECT_EQ(tg.health_check_timeout_seconds, 5);
  EXPECT_EQ(tg.healthy_threshold, 5);
  EXPECT_EQ(tg.unhealthy_threshold, 2);
  EXPECT_FALSE(tg.matcher_http_code.has_value());
}

TEST(TargetGroupRecordTest, AGrpcMatcherReadsAsTheDefaultHttpCode) {
  TargetGroupRecord tg = target_group_record(doc(R"({"Matcher": {"GrpcCode": "12"}})"));
  EXPECT_EQ(tg.matcher_http_code, "200");
}

}  // namespace
}  // namespace services::elbv2
