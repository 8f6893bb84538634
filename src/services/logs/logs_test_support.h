#pragma once
// Shared by the CloudWatch Logs handler tests: an in-memory store, a ManualClock and the
// operation table, called the way the HTTP path calls it (model validation included).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "protocol/service_registry.h"
#include "services/logs/logs_service.h"
#include "store/db.h"
#include "testing/manual_clock.h"

namespace services::logs {

inline boost::json::object J(std::string_view text) { return boost::json::parse(text).as_object(); }

class LogsHandlersTest : public ::testing::Test {
 protected:
  LogsHandlersTest() { logs_.register_operations(registry_); }

  protocol::RequestContext ctx(std::string region = "us-east-1",
                               std::string account = "123456789012") const {
    protocol::RequestContext c;
    c.request_id = "req";
    c.account = std::move(account);
    c.region = std::move(region);
    return c;
  }

  // A successful call's output; records a failure and returns {} otherwise.
  boost::json::object ok(std::string_view op, const boost::json::object& in,
                         const protocol::RequestContext& c) {
    protocol::Result<boost::json::object> r = registry_.call(c, "logs", op, in);
    if (!r) {
      ADD_FAILURE() << op << " failed: " << r.error().code << ": " << r.error().message;
      return {};
    }
    return *r;
  }
  boost::json::object ok(std::string_view op, const boost::json::object& in) {
    return ok(op, in, ctx());
  }
  boost::json::object ok(std::string_view op, std::string_view in) { return ok(op, J(in)); }

  protocol::AwsError err(std::string_view op, const boost::json::object& in,
                         const protocol::RequestContext& c) {
    protocol::Result<boost::json::object> r = registry_.call(c, "logs", op, in);
    if (r) {
      ADD_FAILURE() << op << " succeeded: " << boost::json::serialize(*r);
      return {};
    }
    return r.error();
  }
  protocol::AwsError err(std::string_view op, const boost::json::object& in) {
    return err(op, in, ctx());
  }
  protocol::AwsError err(std::string_view op, std::string_view in) { return err(op, J(in)); }

  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }

  // Creates group `g` with stream `s` and puts one event per message, 1 ms apart, ending now.
  void put(const std::string& g, const std::string& s, const std::vector<std::string>& messages,
           int64_t start_ms = -1) {
    boost::json::array events;
    int64_t t = start_ms >= 0 ? start_ms : now_ms() - static_cast<int64_t>(messages.size());
    for (const std::string& m : messages) {
      events.push_back(boost::json::object{{"timestamp", t++}, {"message", m}});
    }
    ok("PutLogEvents",
       boost::json::object{{"logGroupName", g}, {"logStreamName", s}, {"logEvents", events}});
  }
  void group(const std::string& g) {
    ok("CreateLogGroup", boost::json::object{{"logGroupName", g}});
  }
  void stream(const std::string& g, const std::string& s) {
    ok("CreateLogStream", boost::json::object{{"logGroupName", g}, {"logStreamName", s}});
  }

  static std::vector<std::string> messages(const boost::json::object& reply) {
    std::vector<std::string> out;
    for (const boost::json::value& e : reply.at("events").as_array()) {
      out.emplace_back(e.at("message").as_string());
    }
    return out;
  }

  fakes::ManualClock clock_;
  store::Db db_ = store::Db::open_in_memory();
  protocol::ServiceRegistry registry_;
  LogsService logs_{db_, clock_};
};

}  // namespace services::logs
