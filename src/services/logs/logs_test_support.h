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
#include "testing/registry_calls.h"

namespace services::logs {

using fakes::J;

class LogsHandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
 protected:
  LogsHandlersTest() : RegistryCalls(registry_, "logs") { logs_.register_operations(registry_); }

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
