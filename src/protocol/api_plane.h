#pragma once
// The AWS API plane: one HTTP request in, one response out.
//   SigV4 parse (and verify in strict mode) → route to a service model and protocol → decode →
//   validate → handler → encode.
// Thread-safe; called concurrently from the server's I/O threads.

#include <optional>
#include <string>

#include "core/clock.h"
#include "http/message.h"
#include "protocol/identity.h"
#include "protocol/service_registry.h"

namespace protocol {

class Authorizer;
class Codec;
namespace sigv4 {
struct ParsedAuth;
}  // namespace sigv4

// Default: signatures parsed, not checked. Strict: SigV4 verified against known keys.
// Enforce: Strict plus IAM: every call by a principal other than its account's root is
// authorized by its identity policies (protocol::Authorizer) after decode and validation.
enum class AuthMode { Default, Strict, Enforce };

struct ApiOptions {
  std::string default_account = "000000000000";
  std::string default_region = "us-east-1";
  AuthMode auth_mode = AuthMode::Default;
};

// What the server logs about a call.
struct CallSummary {
  std::string request_id;
  std::string service;    // empty if the request matched no service
  std::string operation;
  std::string account;
  std::string region;
  std::string error_code;  // empty on success
};

class ApiPlane {
 public:
  // `authorizer` is called in Enforce mode only; null there lets every verified caller through.
  ApiPlane(const ServiceRegistry& registry, const IdentityResolver& identities,
           const core::Clock& clock, ApiOptions options, const Authorizer* authorizer = nullptr);

  void handle(const http::Request& req, http::Response& res, CallSummary& summary) const;

 private:
  // handle()'s steps. Each returns the error to answer with, nullopt when it went on.
  RequestContext new_context(const http::Request& req) const;  // the defaults, before auth
  // Authenticate, decode, validate, call the handler and encode its output into `res`.
  std::optional<AwsError> serve(const http::Request& req, const sigv4::ParsedAuth& auth,
                                const ServiceModel& model, const Codec& codec, RequestContext& ctx,
                                http::Response& res, CallSummary& summary) const;
  // Sets the caller (account, ARN, region) from a signed request; in strict mode also checks
  // the key, its session token and expiry, and the signature.
  std::optional<AwsError> authenticate(const http::Request& req, const sigv4::ParsedAuth& auth,
                                       const ServiceModel& model, RequestContext& ctx) const;
  // `req` with its aws-chunked body decoded into `out` (chunk signatures checked in strict mode).
  std::optional<AwsError> unchunk(const http::Request& req, const sigv4::ParsedAuth& auth,
                                  const RequestContext& ctx, http::Request& out) const;

  const ServiceRegistry& registry_;
  const IdentityResolver& identities_;
  const core::Clock& clock_;
  ApiOptions options_;
  const Authorizer* authorizer_;
  bool verify_signatures() const { return options_.auth_mode != AuthMode::Default; }
};

}  // namespace protocol
