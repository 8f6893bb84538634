#include "protocol/api_plane.h"

#include <boost/json/serialize.hpp>
#include <cctype>

#include "core/ids.h"
#include "core/log.h"
#include "protocol/auth_errors.h"
#include "protocol/aws_chunked.h"
#include "protocol/codec.h"
#include "protocol/document_convert.h"
#include "protocol/route.h"
#include "protocol/sigv4.h"
#include "protocol/validator.h"

namespace protocol {
namespace {

bool is_account_id(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool is_streaming_payload(const http::Request& req) {
  return req.header("x-amz-content-sha256").starts_with("STREAMING-");
}

// A request that matched no service: answer in the most common dialect (JSON) with a 400,
// the way AWS front ends answer an unknown X-Amz-Target.
void unknown_service(const RequestContext& ctx, http::Response& res) {
  res.status = 400;
  res.set_header("Content-Type", "application/x-amz-json-1.1");
  res.set_header("x-amzn-RequestId", ctx.request_id);
  res.set_header("x-amzn-ErrorType", "UnknownOperationException");
  res.body = R"({"__type":"UnknownOperationException","message":"No AWS service matches this request (X-Amz-Target, Action/Version or the SigV4 credential scope)."})";
}

}  // namespace

ApiPlane::ApiPlane(const ServiceRegistry& registry, const IdentityResolver& identities,
                   const core::Clock& clock, ApiOptions options)
    : registry_(registry), identities_(identities), clock_(clock), options_(std::move(options)) {}

void ApiPlane::handle(const http::Request& req, http::Response& res, CallSummary& summary) const {
  RequestContext ctx;
  ctx.request_id = core::ids::uuid4();
  ctx.received_at = clock_.now();
  ctx.host = std::string(req.header("Host"));
  ctx.account = options_.default_account;
  ctx.region = options_.default_region;
  ctx.caller_arn = "arn:aws:iam::" + ctx.account + ":root";
  ctx.caller_user_id = ctx.account;
  summary.request_id = ctx.request_id;

  auto parsed = sigv4::parse(req);
  std::string scope_service = parsed ? parsed->scope.service : std::string();
  std::optional<Route> route = route_request(req, scope_service);
  if (!route) {
    summary.error_code = "UnknownOperationException";
    unknown_service(ctx, res);
    return;
  }
  const ServiceModel& model = *route->model;
  const Codec& codec = codec_for(route->protocol);
  ctx.service = std::string(model.name);
  ctx.protocol = route->protocol;
  summary.service = ctx.service;
  auto fail = [&](AwsError e) {
    // A handler that left the default status gets the one the model gives its error.
    if (e.http_status == 400) {
      if (const ShapeDef* shape = find_error_shape(model, e.code);
          shape != nullptr && shape->error_status != 0) {
        e.http_status = shape->error_status;
      }
    }
    summary.error_code = e.code;
    summary.account = ctx.account;
    summary.region = ctx.region;
    codec.encode_error(model, e, ctx, res);
  };
  if (!parsed) {
    fail(auth_error(AuthProblem::Incomplete, ctx.protocol, parsed.error().message));
    return;
  }

  // Identity: who signed, which account and region.
  const sigv4::ParsedAuth& auth = *parsed;
  const bool strict = options_.auth_mode == AuthMode::Strict;
  if (auth.signed_request) {
    if (!auth.scope.region.empty()) ctx.region = auth.scope.region;
    ctx.access_key_id = auth.scope.access_key_id;
    std::optional<Principal> principal = identities_.lookup(auth.scope.access_key_id);
    if (principal) {
      ctx.account = principal->account;
      ctx.caller_arn = principal->arn;
      ctx.caller_user_id = principal->user_id;
    } else if (is_account_id(auth.scope.access_key_id)) {
      ctx.account = auth.scope.access_key_id;
      ctx.caller_arn = "arn:aws:iam::" + ctx.account + ":root";
      ctx.caller_user_id = ctx.account;
    } else {
      ctx.caller_user_id = ctx.access_key_id.empty() ? ctx.account : ctx.access_key_id;
    }
    if (strict) {
      if (!principal) {
        fail(auth_error(AuthProblem::UnknownKey, ctx.protocol));
        return;
      }
      if (!principal->session_token.empty() && principal->session_token != auth.security_token) {
        fail(auth_error(AuthProblem::InvalidToken, ctx.protocol));
        return;
      }
      if (principal->expires_at && *principal->expires_at <= ctx.received_at) {
        fail(auth_error(AuthProblem::ExpiredToken, ctx.protocol));
        return;
      }
      if (auto err = sigv4::verify(req, auth, principal->secret_access_key, ctx.received_at,
                                   model.name == "s3")) {
        AuthProblem p = AuthProblem::SignatureMismatch;
        if (err->failure == sigv4::Failure::Expired) p = AuthProblem::SignatureExpired;
        if (err->failure == sigv4::Failure::NotYetValid) p = AuthProblem::NotYetValid;
        if (err->failure == sigv4::Failure::Incomplete ||
            err->failure == sigv4::Failure::MissingDate) {
          p = AuthProblem::Incomplete;
        }
        core::log::info("signature rejected", {{"request_id", ctx.request_id},
                                               {"access_key_id", ctx.access_key_id},
                                               {"reason", err->message}});
        fail(auth_error(p, ctx.protocol, err->message));
        return;
      }
    }
  }
  summary.account = ctx.account;
  summary.region = ctx.region;

  // aws-chunked bodies (streaming SigV4) are decoded, and in strict mode verified, before parsing.
  const http::Request* effective = &req;
  http::Request unchunked;
  if (auth.signed_request && is_streaming_payload(req)) {
    std::optional<std::string_view> secret;
    std::string secret_storage;
    if (strict) {
      if (auto p = identities_.lookup(auth.scope.access_key_id)) {
        secret_storage = p->secret_access_key;
        secret = secret_storage;
      }
    }
    auto body = sigv4::decode_aws_chunked(req.body, auth, secret);
    if (!body) {
      fail(auth_error(body.error().failure == sigv4::Failure::SignatureMismatch
                          ? AuthProblem::SignatureMismatch
                          : AuthProblem::Incomplete,
                      ctx.protocol, body.error().message));
      return;
    }
    unchunked = req;
    unchunked.body = std::move(*body);
    effective = &unchunked;
  }

  Result<DecodedRequest> decoded = codec.decode(model, *effective);
  if (!decoded) {
    fail(decoded.error());
    return;
  }
  const OperationDef& op = *decoded->operation;
  ctx.operation = std::string(op.name);
  summary.operation = ctx.operation;
  if (strict && !auth.signed_request && !op.auth_none) {
    fail(auth_error(AuthProblem::MissingToken, ctx.protocol));
    return;
  }
  if (auto err = validate_input(model, op, decoded->input, ctx.protocol)) {
    fail(*err);
    return;
  }
  const Handler* handler = registry_.find(model.name, op.name);
  if (handler == nullptr) {
    fail(AwsError{"NotImplemented",
                  "Gantry does not implement " + std::string(model.service_id) + " " +
                      std::string(op.name) + " yet.",
                  501, false});
    return;
  }
  Result<boost::json::object> output = invoke_handler(*handler, ctx, decoded->input);
  if (!output) {
    fail(output.error());
    return;
  }
  codec.encode_output(model, op, *output, ctx, res);
}

}  // namespace protocol
