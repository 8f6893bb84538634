#pragma once
// Dynamic references in property strings, resolved when a resource is created or updated:
//   {{resolve:ssm:parameter-name}}            {{resolve:ssm:parameter-name:version}}
//   {{resolve:ssm-secure:parameter-name[:version]}}
//   {{resolve:secretsmanager:secret-id[:SecretString[:json-key[:version-stage[:version-id]]]]}}
// A string may hold several; the reference is replaced by the value inside the string. The
// secret id may be a name or a full ARN (whose colons are part of it).
//
// CloudFormation accepts ssm-secure only in a list of properties that take secrets; Gantry
// resolves it wherever it appears and marks the result sensitive instead: the caller must not
// show a sensitive value in events, DescribeStackResource or drift output (GetTemplate shows the
// template, where the reference itself stays). secretsmanager results are sensitive too.

#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/aws_error.h"

namespace services::cloudformation::engine {

struct SecretReference {
  std::string secret_id;      // name or ARN
  std::string json_key;       // "" for the whole SecretString
  std::string version_stage;  // "" means AWSCURRENT (unless version_id is set)
  std::string version_id;
};

struct DynamicReferenceHooks {
  // A Parameter Store value (decrypted when `secure`); version nullopt means the latest.
  std::function<protocol::Result<std::string>(std::string_view name, std::optional<int64_t> version,
                                              bool secure)>
      ssm;
  // The whole SecretString of the secret version named; the engine picks json_key from it.
  std::function<protocol::Result<std::string>(const SecretReference& ref)> secret_string;
};

struct ResolvedValue {
  boost::json::value value;
  bool sensitive = false;  // holds an ssm-secure or secretsmanager value
};

bool has_dynamic_references(const boost::json::value& v);

// Errors: a hook's own error (ParameterNotFound, ResourceNotFoundException, ...) passes through;
// a malformed reference or a missing JSON key is a ValidationError naming the reference.
protocol::Result<ResolvedValue> resolve_dynamic_references(const boost::json::value& v,
                                                           const DynamicReferenceHooks& hooks);

}  // namespace services::cloudformation::engine
