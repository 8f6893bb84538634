#pragma once
// In-memory STS issuer, SSM and Secrets Manager readers and IAM authority for the ECS tests of
// task-role credentials, secrets and the execution role (task_identity_test.cc).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "services/iam/authority.h"
#include "services/secretsmanager/secret_reader.h"
#include "services/ssm/parameter_reader.h"
#include "services/sts/credential_issuer.h"

namespace services::ecs {

class FakeIssuer final : public sts::CredentialIssuer {
 public:
  explicit FakeIssuer(const core::Clock& clock) : clock_(clock) {}
  protocol::Result<sts::TemporaryCredentials> assume_role(
      const sts::AssumeRoleByService& r) override {
    calls.push_back(r);
    if (!roles.count(r.role_arn)) {
      return protocol::AwsError{"NoSuchEntity", "The role with name x cannot be found.", 404};
    }
    std::string n = std::to_string(++issued);
    std::string name = r.role_arn.substr(r.role_arn.rfind('/') + 1);
    return sts::TemporaryCredentials{
        "ASIAFAKE" + n, "secret-" + n, "token-" + n, clock_.now() + r.duration, r.role_arn,
        "arn:aws:sts::123456789012:assumed-role/" + name + "/" + r.session_name,
        "AROAFAKE:" + r.session_name};
  }
  protocol::Result<void> check_assume_role(const sts::AssumeRoleByService& r) override {
    ++checks;
    if (!roles.count(r.role_arn)) {
      return protocol::AwsError{"NoSuchEntity", "The role with name x cannot be found.", 404};
    }
    return {};
  }
  std::set<std::string> roles;
  std::vector<sts::AssumeRoleByService> calls;
  int checks = 0;
  int issued = 0;

 private:
  const core::Clock& clock_;
};

class FakeParameters final : public ssm::ParameterReader {
 public:
  protocol::Result<ssm::ParameterValue> get(std::string_view, std::string_view,
                                            std::string_view name, bool decrypt) override {
    for (const auto& [n, v] : values) {
      if (n == name || v.arn == name) {
        ssm::ParameterValue out = v;
        if (v.type == "SecureString" && !decrypt) out.value = "ciphertext";
        return out;
      }
    }
    return protocol::AwsError{"ParameterNotFound", ""};
  }
  void put(const std::string& name, const std::string& value, std::string type = "String") {
    std::string path = name.starts_with('/') ? name : "/" + name;
    values[name] = {name, "arn:aws:ssm:us-east-1:123456789012:parameter" + path, type, value, 1,
                    type == "SecureString" ? "arn:aws:kms:us-east-1:123456789012:key/k" : ""};
  }
  std::map<std::string, ssm::ParameterValue> values;
};

class FakeSecrets final : public secretsmanager::SecretReader {
 public:
  protocol::Result<secretsmanager::SecretValue> get(std::string_view, std::string_view,
                                                    std::string_view id, std::string_view,
                                                    std::string_view stage) override {
    last_stage = std::string(stage);
    for (const auto& [arn, v] : values) {
      if (arn == id || v.name == id) return v;
    }
    return protocol::AwsError{"ResourceNotFoundException",
                              "Secrets Manager can't find the specified secret."};
  }
  // Returns the secret's ARN.
  std::string put(const std::string& name, const std::string& value) {
    std::string arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbCdEf";
    values[arn] = {arn, name, "v1", value, "", {"AWSCURRENT"}};
    return arn;
  }
  std::map<std::string, secretsmanager::SecretValue> values;
  std::string last_stage;
};

// Allows everything but the actions in `denied`, with IAM's sentence for those.
class FakeAuthority final : public iam::Authority {
 public:
  iam::AuthzResult authorize(const iam::AuthzRequest& r) const override {
    requests.push_back(r);
    if (!denied.count(r.action)) return {iam::Decision::Allow, "", {}};
    return {iam::Decision::ImplicitDeny,
            "User: " + r.principal_arn + " is not authorized to perform: " + r.action +
                " on resource: " + r.resource + " because no identity-based policy allows the " +
                r.action + " action",
            {}};
  }
  iam::AuthzResult authorize_trust(const iam::RoleInfo&, const iam::AuthzRequest&) const override {
    return {iam::Decision::Allow, "", {}};
  }
  std::set<std::string> denied;
  mutable std::vector<iam::AuthzRequest> requests;
};

}  // namespace services::ecs
