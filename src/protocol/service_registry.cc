#include "protocol/service_registry.h"

#include <exception>

#include "core/check.h"
#include "core/log.h"
#include "protocol/validator.h"

namespace protocol {

void ServiceRegistry::add(std::string_view model_name, OperationTable operations) {
  const ServiceModel* model = find_model(model_name);
  CHECK(model != nullptr) << "service model '" << model_name << "' is generated at build time";
  auto& table = services_[std::string(model_name)];
  for (auto& [name, handler] : operations) {
    if (model->find_operation(name) == nullptr) {
      // Built from a model older than the operation (Debian 12's botocore 1.29 has no ECS
      // DeleteTaskDefinitions): no request can reach it, so the rest of the service still runs.
      core::log::warn("operation is not in the model; its handler is left out",
                      {{"service", std::string(model_name)},
                       {"operation", std::string(name)},
                       {"models", std::string(models_source())}});
      continue;
    }
    table.emplace(std::string(name), std::move(handler));
  }
}

const Handler* ServiceRegistry::find(std::string_view service, std::string_view operation) const {
  auto s = services_.find(service);
  if (s == services_.end()) return nullptr;
  auto op = s->second.find(operation);
  return op == s->second.end() ? nullptr : &op->second;
}

namespace {

constexpr std::string_view kInternalCandidates[] = {
    "ServerException", "InternalServerError",         "InternalServerException",
    "InternalFailure", "ServiceUnavailableException", "InternalServiceError"};

// The server error the operation itself lists, if any: CloudWatch Logs defines both
// InternalServerException (newer operations) and ServiceUnavailableException, and PutLogEvents
// lists only the latter, which is what its clients branch on.
std::string operation_internal_error_code(const ServiceModel& model, std::string_view operation) {
  const OperationDef* op = model.find_operation(operation);
  if (op == nullptr) return internal_error_code(model);
  for (std::string_view c : kInternalCandidates) {
    for (uint32_t ref : model.error_refs.subspan(op->errors_begin, op->errors_count)) {
      const ShapeDef& s = model.shape(ref);
      if (s.exception && s.name == c) return std::string(s.error_code.empty() ? c : s.error_code);
    }
  }
  return internal_error_code(model);
}

}  // namespace

std::string internal_error_code(const ServiceModel& model) {
  for (std::string_view c : kInternalCandidates) {
    for (const ShapeDef& s : model.shapes) {
      if (s.exception && s.name == c) return std::string(s.error_code.empty() ? c : s.error_code);
    }
  }
  return "InternalFailure";
}

Result<boost::json::object> invoke_handler(const Handler& handler, const RequestContext& ctx,
                                           const boost::json::object& input) {
  try {
    return handler(ctx, input);
  } catch (const AwsError& e) {
    return e;
  } catch (const std::exception& e) {
    core::log::error("handler failed", {{"request_id", ctx.request_id},
                                        {"service", ctx.service},
                                        {"operation", ctx.operation},
                                        {"what", e.what()}});
  } catch (...) {
    core::log::error("handler failed", {{"request_id", ctx.request_id},
                                        {"service", ctx.service},
                                        {"operation", ctx.operation}});
  }
  const ServiceModel* model = find_model(ctx.service);
  return errors::internal(model ? operation_internal_error_code(*model, ctx.operation)
                                : "InternalFailure");
}

Result<boost::json::object> ServiceRegistry::call(RequestContext ctx, std::string_view service,
                                                  std::string_view operation,
                                                  const boost::json::object& input) const {
  const ServiceModel* model = find_model(service);
  const OperationDef* op = model ? model->find_operation(operation) : nullptr;
  const Handler* handler = find(service, operation);
  if (op == nullptr || handler == nullptr) {
    return AwsError{"UnknownOperationException",
                    std::string(service) + "." + std::string(operation) + " is not implemented"};
  }
  ctx.service = std::string(service);
  ctx.operation = std::string(operation);
  if (auto err = validate_input(*model, *op, input, model->protocols.front())) {
    return *err;
  }
  return invoke_handler(*handler, ctx, input);
}

std::vector<ServiceHealth> ServiceRegistry::health() const {
  std::vector<ServiceHealth> out;
  for (const auto& [name, ops] : services_) {
    const ServiceModel* model = find_model(name);
    out.push_back({name, "running", ops.size(), model ? model->operations.size() : 0});
  }
  return out;
}

}  // namespace protocol
