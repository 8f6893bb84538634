#include "protocol/auth_errors.h"

namespace protocol {
namespace {

enum class Family { Query, Json, Ec2, S3 };

Family family_of(Protocol p) {
  switch (p) {
    case Protocol::Query: return Family::Query;
    case Protocol::Ec2: return Family::Ec2;
    case Protocol::RestXml: return Family::S3;
    default: return Family::Json;
  }
}

}  // namespace

AwsError auth_error(AuthProblem problem, Protocol protocol, std::string message) {
  Family f = family_of(protocol);
  auto pick = [&](const char* query, const char* json, const char* ec2, const char* s3) {
    switch (f) {
      case Family::Query: return std::string(query);
      case Family::Json: return std::string(json);
      case Family::Ec2: return std::string(ec2);
      case Family::S3: return std::string(s3);
    }
    return std::string(json);
  };
  auto with_default = [&](const char* m) { return message.empty() ? std::string(m) : message; };
  switch (problem) {
    case AuthProblem::MissingToken:
      return {pick("MissingAuthenticationToken", "MissingAuthenticationTokenException",
                   "AuthFailure", "AccessDenied"),
              with_default("Request is missing Authentication Token"),
              f == Family::Ec2 ? 401 : 403};
    case AuthProblem::Incomplete:
      return {pick("IncompleteSignature", "IncompleteSignatureException", "IncompleteSignature",
                   "AuthorizationHeaderMalformed"),
              with_default("The request signature does not conform to AWS standards."),
              f == Family::S3 ? 400 : 403};
    case AuthProblem::UnknownKey:
      return {pick("InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure",
                   "InvalidAccessKeyId"),
              f == Family::S3 ? with_default("The AWS Access Key Id you provided does not exist "
                                             "in our records.")
                              : with_default("The security token included in the request is "
                                             "invalid."),
              f == Family::Ec2 ? 401 : 403};
    case AuthProblem::SignatureMismatch:
      return {pick("SignatureDoesNotMatch", "InvalidSignatureException", "AuthFailure",
                   "SignatureDoesNotMatch"),
              with_default("The request signature we calculated does not match the signature "
                           "you provided. Check your AWS Secret Access Key and signing method. "
                           "Consult the service documentation for details."),
              f == Family::Ec2 ? 401 : 403};
    case AuthProblem::SignatureExpired:
      // STS answers SignatureDoesNotMatch (403), JSON services InvalidSignatureException (400),
      // EC2 RequestExpired, S3 RequestTimeTooSkewed.
      return {pick("SignatureDoesNotMatch", "InvalidSignatureException", "RequestExpired",
                   "RequestTimeTooSkewed"),
              with_default("Signature expired"), f == Family::Json || f == Family::Ec2 ? 400 : 403};
    case AuthProblem::NotYetValid:
      return {pick("SignatureDoesNotMatch", "InvalidSignatureException", "RequestExpired",
                   "RequestTimeTooSkewed"),
              with_default("Signature not yet current"),
              f == Family::Json || f == Family::Ec2 ? 400 : 403};
    case AuthProblem::InvalidToken:
      return {pick("InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure",
                   "InvalidToken"),
              with_default("The security token included in the request is invalid."),
              f == Family::Ec2 ? 401 : (f == Family::S3 ? 400 : 403)};
    case AuthProblem::ExpiredToken:
      return {pick("ExpiredToken", "ExpiredTokenException", "RequestExpired", "ExpiredToken"),
              with_default("The security token included in the request is expired"),
              f == Family::Query || f == Family::S3 ? 400 : (f == Family::Ec2 ? 400 : 403)};
  }
  return {"AccessDenied", "Access denied", 403};
}

}  // namespace protocol
