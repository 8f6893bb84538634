#pragma once
// The AWS managed policies Gantry knows (managed_policies/*.json, embedded at build time),
// present in every account at arn:aws:iam::aws:policy<path><name> without being stored.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace services::iam {

struct ManagedPolicy {
  std::string name;
  std::string path;  // "/", "/service-role/", "/aws-service-role/"
  std::string arn;
  std::string policy_id;  // ANPA..., stable for the name
  std::string default_version_id;
  std::string document;     // the default version's JSON text
  int64_t create_date = 0;  // epoch seconds
  int64_t update_date = 0;
};

// Every AWS managed policy, by name. Parsed once; thread-safe.
const std::vector<ManagedPolicy>& aws_managed_policies();
// The AWS managed policy with this ARN, or null.
const ManagedPolicy* find_aws_managed(std::string_view arn);

}  // namespace services::iam
