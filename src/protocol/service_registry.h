#pragma once
// The operation tables of every service, callable over HTTP (through ApiPlane) and in process
// (CloudFormation, the console, tests) with the same validation.
//
// A service registers plain data, one line per operation, each bound to the member function
// named after it (docs/handlers.md):
//   registry.add("ecs", {{"CreateCluster", protocol::method(this, &EcsService::create_cluster)},
//                        ...});
// Handlers take and return model documents (see model.h). They must be thread-safe: requests run
// concurrently on the server's I/O threads.

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/aws_error.h"
#include "protocol/model.h"
#include "protocol/request_context.h"

namespace protocol {

using Handler =
    std::function<Result<boost::json::object>(const RequestContext&, const boost::json::object&)>;
using OperationTable = std::vector<std::pair<std::string_view, Handler>>;

// A service's member function as a Handler (the one way operation tables are written).
template <class Service>
Handler method(Service* self,
               Result<boost::json::object> (Service::*fn)(const RequestContext&,
                                                          const boost::json::object&)) {
  return [self, fn](const RequestContext& ctx, const boost::json::object& in) {
    return (self->*fn)(ctx, in);
  };
}

// Readiness of one service, as /_gantry/health reports it.
struct ServiceHealth {
  std::string name;
  std::string state;  // "running", "available" (model only), "error"
  std::size_t operations_implemented = 0;
  std::size_t operations_in_model = 0;
};

class ServiceRegistry {
 public:
  // Registers handlers for the model called `model_name`. CHECKs that the model exists; a
  // handler whose operation the model lacks (built from an older model) is logged and left out.
  void add(std::string_view model_name, OperationTable operations);

  // nullptr when the service has no handler for `operation`.
  const Handler* find(std::string_view service, std::string_view operation) const;

  // In-process call with the HTTP path's semantics: validates `input` against the model, runs
  // the handler, converts a thrown AwsError into an error result and any other exception into
  // an internal error. ctx.service/operation are filled in.
  Result<boost::json::object> call(RequestContext ctx, std::string_view service,
                                   std::string_view operation,
                                   const boost::json::object& input) const;

  std::vector<ServiceHealth> health() const;

 private:
  std::map<std::string, std::map<std::string, Handler, std::less<>>, std::less<>> services_;
};

// Runs `handler`, turning exceptions into errors: a thrown AwsError is returned as is; any other
// exception becomes the service's internal error, logged with the request id.
Result<boost::json::object> invoke_handler(const Handler& handler, const RequestContext& ctx,
                                           const boost::json::object& input);

// The internal-error code a service's model defines ("ServerException" for ECS/ECR,
// "InternalServerError" for DynamoDB), else "InternalFailure".
std::string internal_error_code(const ServiceModel& model);

}  // namespace protocol
