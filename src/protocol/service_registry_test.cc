#include "protocol/service_registry.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <system_error>

namespace protocol {
namespace {

Result<boost::json::object> fails_inside(const RequestContext&, const boost::json::object&) {
  // What a handler sees when SQLite cannot write (disk full): an exception from below.
  throw std::system_error(std::make_error_code(std::errc::no_space_on_device), "store");
}

Result<boost::json::object> invoke(std::string service, std::string operation) {
  RequestContext ctx = RequestContext::internal("000000000000", "us-east-1");
  ctx.service = std::move(service);
  ctx.operation = std::move(operation);
  return invoke_handler(Handler(fails_inside), ctx, boost::json::object{});
}

// ECS and ECR name their server error ServerException; a failure below a handler is that 500.
TEST(InvokeHandlerTest, ExceptionBecomesTheServicesServerError) {
  Result<boost::json::object> r = invoke("ecs", "CreateService");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "ServerException");
  EXPECT_EQ(r.error().http_status, 500);
  EXPECT_FALSE(r.error().sender_fault);
}

// CloudWatch Logs defines InternalServerException (newer operations) and
// ServiceUnavailableException; PutLogEvents lists only ServiceUnavailableException, which is then
// the error its clients can expect.
TEST(InvokeHandlerTest, ServerErrorIsTheOneTheOperationLists) {
  Result<boost::json::object> put = invoke("logs", "PutLogEvents");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, "ServiceUnavailableException");
  EXPECT_EQ(put.error().http_status, 500);
  Result<boost::json::object> unknown = invoke("logs", "NoSuchOperation");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "InternalServerException");
}

}  // namespace
}  // namespace protocol
