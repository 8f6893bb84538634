#pragma once
// AWS Systems Manager Parameter Store: parameters (String, StringList, SecureString under KMS),
// versions, labels, tags, queries by path and filters, and the public /aws/service/ parameters.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/Welcome.html
//
// Handlers validate, run one transaction and return; KMS calls (SecureString) run before or after
// it, never inside (ParameterVault). Every parameter is scoped by the caller's account and region.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/ssm/parameter_vault.h"

namespace services::ssm {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

class SsmService {
 public:
  SsmService(ParameterVault& vault, const core::Clock& clock) : vault_(vault), clock_(clock) {}

  void register_operations(protocol::ServiceRegistry& registry);

  // parameter_handlers.cc
  Reply put_parameter(const Ctx& ctx, const Doc& in);
  Reply get_parameter(const Ctx& ctx, const Doc& in);
  Reply get_parameters(const Ctx& ctx, const Doc& in);
  Reply delete_parameter(const Ctx& ctx, const Doc& in);
  Reply delete_parameters(const Ctx& ctx, const Doc& in);

  // query_handlers.cc
  Reply get_parameters_by_path(const Ctx& ctx, const Doc& in);
  Reply describe_parameters(const Ctx& ctx, const Doc& in);
  Reply get_parameter_history(const Ctx& ctx, const Doc& in);

  // label_handlers.cc
  Reply label_parameter_version(const Ctx& ctx, const Doc& in);
  Reply unlabel_parameter_version(const Ctx& ctx, const Doc& in);
  Reply add_tags_to_resource(const Ctx& ctx, const Doc& in);
  Reply remove_tags_from_resource(const Ctx& ctx, const Doc& in);
  Reply list_tags_for_resource(const Ctx& ctx, const Doc& in);

 private:
  using Step = std::function<Reply(SsmStore&, ParameterRow&)>;
  // Runs `step` on the parameter in[member] names, in one write transaction that commits when
  // the step succeeds; ParameterNotFound when there is none.
  Reply with_parameter(const Ctx& ctx, std::string_view name, const Step& step);

  ParameterVault& vault_;
  const core::Clock& clock_;
};

}  // namespace services::ssm
