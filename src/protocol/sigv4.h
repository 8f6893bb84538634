#pragma once
// AWS Signature Version 4, server side: parse the Authorization header or the presigned query
// string, rebuild the canonical request from the raw request bytes, and check the signature and
// its time window. aws-chunked bodies (S3-style streaming uploads) and their chunk signature chain
// are in aws_chunked.h.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// The canonical forms follow botocore/auth.py (SigV4Auth, SigV4QueryAuth, S3SigV4Auth) exactly,
// because the AWS CLI and boto3 are the clients that must verify.
//
// Everything here is a pure function of its arguments; any thread may call it.

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "http/message.h"

namespace protocol::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingSignedPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedPayloadTrailer =
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

// Credential=<access_key_id>/<date>/<region>/<service>/<terminator>
struct CredentialScope {
  std::string access_key_id;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string terminator;  // aws4_request
};

// "<date>/<region>/<service>/<terminator>", the scope line of the string to sign.
std::string scope_string(const CredentialScope& scope);

struct ParsedAuth {
  bool signed_request = false;
  bool presigned = false;  // query-string form (X-Amz-Signature in the URL)
  CredentialScope scope;
  std::vector<std::string> signed_headers;  // lowercase, in the order the client listed them
  std::string signature;                    // hex, as sent
  std::string amz_date;         // basic form (20150830T123600Z), from X-Amz-Date or the Date header
  std::string payload_hash;     // x-amz-content-sha256 value if any, else empty
  std::string security_token;   // X-Amz-Security-Token (header or query), else empty
  int64_t expires_seconds = 0;  // X-Amz-Expires; 0 when absent
};

enum class Failure { Incomplete, MissingDate, SignatureMismatch, Expired, NotYetValid, BadChunk };

struct AuthError {
  Failure failure;
  std::string message;  // AWS's wording
};

inline constexpr std::string_view kSignatureMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

// Reads the signing parameters. A request with neither an Authorization header nor X-Amz-* auth
// query parameters yields ParsedAuth{.signed_request = false}, which is not an error: the caller
// decides whether anonymous access is allowed. Malformed parameters yield Incomplete; a header
// signature without X-Amz-Date or Date yields MissingDate.
boost::system::result<ParsedAuth, AuthError> parse(const http::Request& req);

// The SigV4 canonical request. With s3_style false (every service but S3) the path is normalized
// (dot segments and empty segments removed) and percent-encoded once more, as botocore does; with
// s3_style true the raw path is used as sent. The payload line is auth.payload_hash when the
// client sent x-amz-content-sha256, UNSIGNED-PAYLOAD for an S3 presigned URL, and otherwise the
// hex SHA-256 of the body (what botocore's SigV4QueryAuth signs for other services too).
std::string canonical_request(const http::Request& req, const ParsedAuth& auth,
                              bool s3_style = false);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical_request)>"
std::string string_to_sign(const ParsedAuth& auth, std::string_view canonical_request);

// HMAC chain over "AWS4"+secret, date, region, service, terminator. Raw 32 bytes.
std::string signing_key(std::string_view secret, const CredentialScope& scope);

// Lowercase hex signature the client should have sent.
std::string compute_signature(std::string_view secret, const ParsedAuth& auth,
                              const http::Request& req, bool s3_style = false);

// Checks time, then the signature (in constant time). Header form: Expired when X-Amz-Date is more
// than 15 minutes before `now`, NotYetValid when more than 15 minutes after. Presigned form:
// Expired when now > date + X-Amz-Expires, NotYetValid when the date is more than 15 minutes
// ahead. A hex x-amz-content-sha256 that does not match the body is a SignatureMismatch.
// Returns nullopt when the request is authentic. Precondition: auth.signed_request.
std::optional<AuthError> verify(const http::Request& req, const ParsedAuth& auth,
                                std::string_view secret, core::TimePoint now,
                                bool s3_style = false);

// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace protocol::sigv4
