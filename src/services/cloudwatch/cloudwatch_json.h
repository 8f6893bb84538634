#pragma once
// CloudWatch wire helpers: input accessors, dimensions, ARNs, paging tokens and the MetricAlarm
// shape. The only place that spells the wire names of rows.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"
#include "services/cloudwatch/cloudwatch_store.h"

// Early return of a failed protocol::Result in a handler.
#define CW_CHECK(expr)               \
  if (auto cw_r_ = (expr); !cw_r_) { \
    return cw_r_.error();            \
  }
#define CW_ASSIGN(type, name, expr) \
  auto name##_result = (expr);      \
  if (!name##_result) {             \
    return name##_result.error();   \
  }                                 \
  type name = std::move(*name##_result)

namespace services::cloudwatch {

std::optional<std::string> opt_string(const boost::json::object& in, std::string_view key);
std::optional<int64_t> opt_int(const boost::json::object& in, std::string_view key);
std::optional<double> opt_double(const boost::json::object& in, std::string_view key);
// A timestamp member (model documents hold epoch seconds) in epoch milliseconds.
std::optional<int64_t> opt_time_ms(const boost::json::object& in, std::string_view key);
double epoch_seconds(int64_t ms);

// Dimensions [{Name, Value}] sorted by name; InvalidParameterValue on a repeated name or more
// than 30. `field` names the list in errors ("MetricData.member.1.Dimensions").
protocol::Result<Dimensions> parse_dimensions(const boost::json::object& in, std::string_view key,
                                              const std::string& field);
boost::json::array dimensions_json(const Dimensions& dims);

bool valid_unit(std::string_view unit);

std::string alarm_arn(std::string_view account, std::string_view region, std::string_view name);
std::string dashboard_arn(std::string_view account, std::string_view name);

// The MetricAlarm shape of DescribeAlarms.
boost::json::object alarm_json(const AlarmRow& a);

// Opaque NextToken: base64 of a position.
std::string make_token(std::string_view position);
protocol::Result<std::string> read_token(std::string_view token);
// A token made by make_token(std::to_string(n)).
protocol::Result<int64_t> read_number_token(std::string_view token);

}  // namespace services::cloudwatch
