#pragma once
// Calls one service's operation table the way the HTTP path calls it (model validation
// included), for handler tests: ok() expects success, err() expects an AWS error, each records a
// test failure otherwise. Service fixtures derive from it next to their in-memory store:
//
//   class LogsHandlersTest : public ::testing::Test, protected fakes::RegistryCalls {
//     LogsHandlersTest() : RegistryCalls(registry_, "logs") { ... }
//   };

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "protocol/service_registry.h"

namespace fakes {

inline boost::json::object J(std::string_view text) { return boost::json::parse(text).as_object(); }

class RegistryCalls {
 public:
  // `registry` may still be under construction: it is only used by the calls.
  RegistryCalls(protocol::ServiceRegistry& registry, std::string service)
      : calls_registry_(registry), calls_service_(std::move(service)) {}

  protocol::RequestContext ctx(std::string region = "us-east-1",
                               std::string account = "123456789012") const {
    protocol::RequestContext c;
    c.request_id = "req";
    c.account = std::move(account);
    c.region = std::move(region);
    c.caller_arn = "arn:aws:iam::" + c.account + ":root";
    return c;
  }

  // A successful call's output; records a failure and returns {} otherwise.
  boost::json::object ok(std::string_view op, const boost::json::object& in,
                         const protocol::RequestContext& c) {
    protocol::Result<boost::json::object> r = calls_registry_.call(c, calls_service_, op, in);
    if (!r) {
      ADD_FAILURE() << op << " failed: " << r.error().code << ": " << r.error().message;
      return {};
    }
    return *r;
  }
  boost::json::object ok(std::string_view op, const boost::json::object& in) {
    return ok(op, in, ctx());
  }
  boost::json::object ok(std::string_view op, std::string_view in = "{}") { return ok(op, J(in)); }

  // A failed call's error; records a failure and returns {} when the call succeeded.
  protocol::AwsError err(std::string_view op, const boost::json::object& in,
                         const protocol::RequestContext& c) {
    protocol::Result<boost::json::object> r = calls_registry_.call(c, calls_service_, op, in);
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

 private:
  protocol::ServiceRegistry& calls_registry_;
  std::string calls_service_;
};

}  // namespace fakes
