#include "services/authz/api_authorizer.h"

#include <boost/json/serialize.hpp>

#include "core/base64.h"
#include "services/authz/catalog.h"

namespace services::authz {
namespace {

namespace json = boost::json;

bool is_root_of(std::string_view arn, std::string_view account) {
  return arn == "arn:aws:iam::" + std::string(account) + ":root";
}

}  // namespace

std::string encode_authorization_message(const iam::AuthzRequest& request,
                                         const iam::AuthzResult& result) {
  json::array matched;
  for (const auto& [source, index] : result.matched) {
    matched.push_back(json::object{{"statementId", std::to_string(index)}, {"sourcePolicyId", source}});
  }
  json::array conditions;
  for (const auto& [key, values] : request.keys) {
    json::array items;
    for (const std::string& v : values) items.push_back(json::object{{"value", v}});
    conditions.push_back(json::object{{"key", key}, {"values", json::object{{"items", items}}}});
  }
  json::object decision{
      {"allowed", result.allowed()},
      {"explicitDeny", result.decision == iam::Decision::ExplicitDeny},
      {"matchedStatements", json::object{{"items", matched}}},
      {"failures", json::object{{"items", json::array{}}}},
      {"context", json::object{{"principal", json::object{{"arn", request.principal_arn}}},
                               {"action", request.action},
                               {"resource", request.resource},
                               {"conditions", json::object{{"items", conditions}}}}},
  };
  return core::base64_encode(json::serialize(decision));
}

protocol::AwsError denial_error(std::string_view service, const iam::AuthzRequest& request,
                                const iam::AuthzResult& result) {
  if (service == "ec2") {
    return {"UnauthorizedOperation",
            "You are not authorized to perform this operation. " + result.message +
                ". Encoded authorization failure message: " +
                encode_authorization_message(request, result),
            403};
  }
  if (service == "iam" || service == "sts" || service == "elbv2" || service == "cloudwatch") {
    return {"AccessDenied", result.message, 403};
  }
  return {"AccessDeniedException", result.message, 400};
}

std::optional<protocol::AwsError> ApiAuthorizer::authorize(const protocol::RequestContext& ctx,
                                                           const json::object& input) const {
  if (is_root_of(ctx.caller_arn, ctx.account)) return std::nullopt;
  if (needs_no_permission(ctx.service, ctx.operation)) return std::nullopt;
  ActionTarget target =
      describe_action(ctx.service, ctx.operation, input, {ctx.account, ctx.region, ctx.caller_arn});
  iam::AuthzRequest request{.principal_arn = ctx.caller_arn,
                            .action = std::move(target.action),
                            .resource = "",
                            .account = ctx.account,
                            .region = ctx.region,
                            .keys = std::move(target.keys)};
  if (!ctx.source_ip.empty()) request.keys["aws:SourceIp"] = {ctx.source_ip};
  if (!ctx.caller_user_id.empty()) request.keys["aws:userid"] = {ctx.caller_user_id};
  request.keys["aws:SecureTransport"] = {"false"};  // Gantry's API is plain HTTP
  // Session tags exist only on STS sessions; a user's key needs no second lookup.
  if (identities_ && ctx.caller_arn.find(":assumed-role/") != std::string::npos) {
    if (std::optional<protocol::Principal> p = identities_->lookup(ctx.access_key_id)) {
      for (const auto& [k, v] : p->session_tags) request.keys["aws:PrincipalTag/" + k] = {v};
    }
  }
  iam::AuthzResult result = authority_.authorize_each(request, target.resources);
  if (!result.allowed()) return denial_error(ctx.service, request, result);
  return std::nullopt;
}

}  // namespace services::authz
