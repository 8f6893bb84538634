#include "protocol/api_plane.h"

#include <boost/json/serialize.hpp>
#include <cctype>

#include "core/ids.h"
#include "core/log.h"
#include "protocol/auth_errors.h"
#include "protocol/authorizer.h"
#include "protocol/aws_chunked.h"
#include "protocol/codec.h"
#include "protocol/content_encoding.h"
#include "protocol/document_convert.h"
#include "protocol/route.h"
#include "protocol/sigv4.h"
#include "protocol/validator.h"

namespace protocol {
namespace {

// Inflated request bodies are limited like plain ones (the largest AWS accepts is a few MiB).
constexpr std::size_t kMaxInflatedBody = 32u << 20;

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

// The auth problem a failed signature check is reported as.
AuthProblem signature_problem(sigv4::Failure failure) {
  switch (failure) {
    case sigv4::Failure::Expired:
      return AuthProblem::SignatureExpired;
    case sigv4::Failure::NotYetValid:
      return AuthProblem::NotYetValid;
    case sigv4::Failure::Incomplete:
    case sigv4::Failure::MissingDate:
      return AuthProblem::Incomplete;
    default:
      return AuthProblem::SignatureMismatch;
  }
}

}  // namespace

ApiPlane::ApiPlane(const ServiceRegistry& registry, const IdentityResolver& identities,
                   const core::Clock& clock, ApiOptions options, const Authorizer* authorizer)
    : registry_(registry),
      identities_(identities),
      clock_(clock),
      options_(std::move(options)),
      authorizer_(authorizer) {}

void ApiPlane::handle(const http::Request& req, http::Response& res, CallSummary& summary) const {
  RequestContext ctx = new_context(req);
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
  std::optional<AwsError> error =
      parsed ? serve(req, *parsed, model, codec, ctx, res, summary)
             : auth_error(AuthProblem::Incomplete, ctx.protocol, parsed.error().message);
  if (!error) return;
  // A handler that left the default status gets the one the model gives its error.
  if (error->http_status == 400) {
    if (const ShapeDef* shape = find_error_shape(model, error->code);
        shape != nullptr && shape->error_status != 0) {
      error->http_status = shape->error_status;
    }
  }
  summary.error_code = error->code;
  summary.account = ctx.account;
  summary.region = ctx.region;
  codec.encode_error(model, *error, ctx, res);
}

RequestContext ApiPlane::new_context(const http::Request& req) const {
  RequestContext ctx;
  ctx.request_id = core::ids::uuid4();
  ctx.received_at = clock_.now();
  ctx.host = std::string(req.header("Host"));
  ctx.source_ip = req.remote_address;
  ctx.account = options_.default_account;
  ctx.region = options_.default_region;
  ctx.caller_arn = "arn:aws:iam::" + ctx.account + ":root";
  ctx.caller_user_id = ctx.account;
  return ctx;
}

std::optional<AwsError> ApiPlane::serve(const http::Request& req, const sigv4::ParsedAuth& auth,
                                        const ServiceModel& model, const Codec& codec,
                                        RequestContext& ctx, http::Response& res,
                                        CallSummary& summary) const {
  if (auth.signed_request) {
    if (auto err = authenticate(req, auth, model, ctx)) return err;
  }
  summary.account = ctx.account;
  summary.region = ctx.region;

  // aws-chunked bodies (streaming SigV4) are decoded, and in strict mode verified, before parsing.
  const http::Request* effective = &req;
  http::Request unchunked;
  if (auth.signed_request && is_streaming_payload(req)) {
    if (auto err = unchunk(req, auth, ctx, unchunked)) return err;
    effective = &unchunked;
  }
  // Compressed bodies (requestcompression: PutMetricData) are inflated after the signature check.
  http::Request inflated;
  if (gzip_encoded(effective->header("Content-Encoding"))) {
    std::optional<std::string> body = gunzip(effective->body, kMaxInflatedBody);
    if (!body) return serialization_error("The request body is not valid gzip.");
    inflated = *effective;
    inflated.body = std::move(*body);
    effective = &inflated;
  }

  Result<DecodedRequest> decoded = codec.decode(model, *effective);
  if (!decoded) return decoded.error();
  const OperationDef& op = *decoded->operation;
  ctx.operation = std::string(op.name);
  summary.operation = ctx.operation;
  if (verify_signatures() && !auth.signed_request && !op.auth_none) {
    return auth_error(AuthProblem::MissingToken, ctx.protocol);
  }
  if (auto err = validate_input(model, op, decoded->input, ctx.protocol)) return err;
  if (options_.auth_mode == AuthMode::Enforce && authorizer_ != nullptr && !op.auth_none) {
    if (auto err = authorizer_->authorize(ctx, decoded->input)) return err;
  }
  const Handler* handler = registry_.find(model.name, op.name);
  if (handler == nullptr) {
    return AwsError{"NotImplemented",
                    "Gantry does not implement " + std::string(model.service_id) + " " +
                        std::string(op.name) + " yet.",
                    501, false};
  }
  Result<boost::json::object> output = invoke_handler(*handler, ctx, decoded->input);
  if (!output) return output.error();
  codec.encode_output(model, op, *output, ctx, res);
  return std::nullopt;
}

std::optional<AwsError> ApiPlane::authenticate(const http::Request& req,
                                               const sigv4::ParsedAuth& auth,
                                               const ServiceModel& model,
                                               RequestContext& ctx) const {
  // Identity: who signed, which account and region.
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
  if (!verify_signatures()) return std::nullopt;
  if (!principal) return auth_error(AuthProblem::UnknownKey, ctx.protocol);
  if (!principal->session_token.empty() && principal->session_token != auth.security_token) {
    return auth_error(AuthProblem::InvalidToken, ctx.protocol);
  }
  if (principal->expires_at && *principal->expires_at <= ctx.received_at) {
    return auth_error(AuthProblem::ExpiredToken, ctx.protocol);
  }
  if (auto err = sigv4::verify(req, auth, principal->secret_access_key, ctx.received_at,
                               model.name == "s3")) {
    core::log::info("signature rejected", {{"request_id", ctx.request_id},
                                           {"access_key_id", ctx.access_key_id},
                                           {"reason", err->message}});
    return auth_error(signature_problem(err->failure), ctx.protocol, err->message);
  }
  return std::nullopt;
}

std::optional<AwsError> ApiPlane::unchunk(const http::Request& req, const sigv4::ParsedAuth& auth,
                                          const RequestContext& ctx, http::Request& out) const {
  std::optional<std::string_view> secret;
  std::string secret_storage;
  if (verify_signatures()) {
    if (auto p = identities_.lookup(auth.scope.access_key_id)) {
      secret_storage = p->secret_access_key;
      secret = secret_storage;
    }
  }
  auto body = sigv4::decode_aws_chunked(req.body, auth, secret);
  if (!body) {
    return auth_error(body.error().failure == sigv4::Failure::SignatureMismatch
                          ? AuthProblem::SignatureMismatch
                          : AuthProblem::Incomplete,
                      ctx.protocol, body.error().message);
  }
  out = req;
  out.body = std::move(*body);
  return std::nullopt;
}

}  // namespace protocol
