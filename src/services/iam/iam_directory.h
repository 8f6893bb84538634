#pragma once
// iam::Directory over the IAM store (directory.h says the contract), plus what
// SimulateCustomPolicy needs: a short-lived principal whose identity policies are given
// documents, so that the policy evaluator (iam::Authority) can judge them like any principal's.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "services/iam/directory.h"
#include "store/db.h"

namespace services::iam {

class IamDirectory final : public Directory {
 public:
  explicit IamDirectory(store::Db& db) : db_(db) {}

  std::optional<RoleInfo> find_role(std::string_view account,
                                    std::string_view role_name) const override;
  std::optional<RoleInfo> find_role_by_arn(std::string_view role_arn) const override;
  std::optional<AccessKeyInfo> find_access_key(std::string_view access_key_id) const override;
  std::optional<OidcProviderInfo> find_oidc_provider(std::string_view account,
                                                     std::string_view issuer_url) const override;
  std::vector<PolicyText> identity_policies(std::string_view principal_arn) const override;
  Tags principal_tags(std::string_view principal_arn) const override;
  std::optional<PolicyText> permissions_boundary(std::string_view principal_arn) const override;

  // A principal of `account` whose identity policies are exactly `policies` while the returned
  // object lives. Thread-safe.
  class Simulation {
   public:
    Simulation(const IamDirectory& dir, std::string arn) : dir_(&dir), arn_(std::move(arn)) {}
    Simulation(Simulation&& o) noexcept : dir_(std::exchange(o.dir_, nullptr)), arn_(o.arn_) {}
    Simulation(const Simulation&) = delete;
    ~Simulation();
    const std::string& arn() const { return arn_; }

   private:
    const IamDirectory* dir_;
    std::string arn_;
  };
  Simulation simulate(std::string_view account, std::vector<PolicyText> policies) const;

  // The identity policies of a group by its ARN (SimulatePrincipalPolicy accepts groups).
  std::vector<PolicyText> group_policies(std::string_view group_arn) const;

 private:
  store::Db& db_;
  mutable std::mutex simulations_mu_;
  mutable std::map<std::string, std::vector<PolicyText>, std::less<>> simulations_;
};

}  // namespace services::iam
