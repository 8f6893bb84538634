#pragma once
// A fake iam::Directory for the authz tests: policies and tags by principal ARN, roles by name.

#include <map>
#include <string>
#include <vector>

#include "services/iam/directory.h"

namespace services::authz::testing {

class FakeDirectory final : public iam::Directory {
 public:
  std::map<std::string, std::vector<iam::PolicyText>> policies;  // by principal ARN
  std::map<std::string, iam::Tags> tags;                          // by principal ARN
  std::map<std::string, iam::RoleInfo> roles;                     // by name
  std::map<std::string, std::string> boundaries;  // boundary policy document by principal ARN

  void allow(const std::string& arn, std::string document) {
    policies[arn].push_back({iam::PolicyText::Kind::Inline,
                             "p" + std::to_string(policies[arn].size()), std::move(document)});
  }

  std::optional<iam::RoleInfo> find_role(std::string_view, std::string_view name) const override {
    auto it = roles.find(std::string(name));
    if (it == roles.end()) return std::nullopt;
    return it->second;
  }
  std::optional<iam::RoleInfo> find_role_by_arn(std::string_view arn) const override {
    for (const auto& [_, r] : roles) {
      if (r.arn == arn) return r;
    }
    return std::nullopt;
  }
  std::optional<iam::AccessKeyInfo> find_access_key(std::string_view) const override {
    return std::nullopt;
  }
  std::optional<iam::OidcProviderInfo> find_oidc_provider(std::string_view,
                                                          std::string_view) const override {
    return std::nullopt;
  }
  std::vector<iam::PolicyText> identity_policies(std::string_view arn) const override {
    auto it = policies.find(std::string(arn));
    return it == policies.end() ? std::vector<iam::PolicyText>{} : it->second;
  }
  std::optional<iam::PolicyText> permissions_boundary(std::string_view arn) const override {
    auto it = boundaries.find(std::string(arn));
    if (it == boundaries.end()) return std::nullopt;
    return iam::PolicyText{iam::PolicyText::Kind::Managed, "boundary", it->second};
  }
  iam::Tags principal_tags(std::string_view arn) const override {
    auto it = tags.find(std::string(arn));
    return it == tags.end() ? iam::Tags{} : it->second;
  }
};

}  // namespace services::authz::testing
