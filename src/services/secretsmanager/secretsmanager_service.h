#pragma once
// AWS Secrets Manager: secrets, their versions and staging labels, tags, resource policies,
// rotation settings and random passwords.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/Welcome.html
//
// Handlers validate, run short transactions and return; how a SecretId names a secret and how
// values are sealed under KMS live in SecretVault, which ECS (and later CloudFormation) use in
// process. Every secret is scoped by the caller's account and region.
//
// Rotation: Gantry runs no Lambda functions, so RotateSecret answers what AWS answers for a
// function it cannot invoke (AccessDeniedException) and stores nothing, as AWS does when its
// check of the function fails.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "protocol/service_registry.h"
#include "services/secretsmanager/secret_vault.h"

namespace services::secretsmanager {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

class SecretsManagerService {
 public:
  explicit SecretsManagerService(SecretVault& vault) : vault_(vault) {}

  void register_operations(protocol::ServiceRegistry& registry);

  // secret_handlers.cc
  Reply create_secret(const Ctx& ctx, const Doc& in);
  Reply update_secret(const Ctx& ctx, const Doc& in);
  Reply describe_secret(const Ctx& ctx, const Doc& in);
  Reply delete_secret(const Ctx& ctx, const Doc& in);
  Reply restore_secret(const Ctx& ctx, const Doc& in);
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply rotate_secret(const Ctx& ctx, const Doc& in);
  Reply cancel_rotate_secret(const Ctx& ctx, const Doc& in);

  // value_handlers.cc
  Reply get_secret_value(const Ctx& ctx, const Doc& in);
  Reply batch_get_secret_value(const Ctx& ctx, const Doc& in);
  Reply put_secret_value(const Ctx& ctx, const Doc& in);
  Reply list_secret_version_ids(const Ctx& ctx, const Doc& in);
  Reply update_secret_version_stage(const Ctx& ctx, const Doc& in);

  // list_handlers.cc
  Reply list_secrets(const Ctx& ctx, const Doc& in);
  Reply get_random_password(const Ctx& ctx, const Doc& in);

  // policy_handlers.cc
  Reply put_resource_policy(const Ctx& ctx, const Doc& in);
  Reply get_resource_policy(const Ctx& ctx, const Doc& in);
  Reply delete_resource_policy(const Ctx& ctx, const Doc& in);
  Reply validate_resource_policy(const Ctx& ctx, const Doc& in);

 private:
  using SecretStep = std::function<Reply(SmStore&, SecretRow&)>;
  // Runs `step` on the secret in["SecretId"] names (any state, or only a live one), in one write
  // transaction that commits when the step succeeds.
  Reply with_secret(const Ctx& ctx, const Doc& in, bool live_only, const SecretStep& step);
  // The live secret in["SecretId"] names, read in its own transaction.
  protocol::Result<SecretRow> live_secret(const Ctx& ctx, const Doc& in);
  // UpdateSecret with a new KmsKeyId: "Secrets Manager uses [it] to encrypt new secret versions
  // as well as any existing versions with the staging labels AWSCURRENT, AWSPENDING, or
  // AWSPREVIOUS." The labelled versions of `before`, opened and sealed again for `after`; a
  // version its old key no longer opens keeps its old seal. EncryptionFailure from the new key.
  protocol::Result<std::vector<VersionRow>> reseal_labelled(const SecretRow& before,
                                                            const SecretRow& after);
  // Stores `version` (already sealed) as a new version of `secret` with `stages` moved onto it,
  // prunes deprecated versions and stamps LastChangedDate. Returns the new version's labels.
  protocol::Result<std::vector<std::string>> commit_version(const SecretRow& secret,
                                                            VersionRow version,
                                                            std::vector<std::string> stages);
  // ClientRequestToken idempotency against an existing version: the version when it holds the
  // same value, ResourceExistsException when it holds another, nullopt when there is none.
  protocol::Result<std::optional<VersionRow>> same_version(const SecretRow& secret,
                                                           const std::string& token,
                                                           const Plain& value);
  // The secrets of the caller's account and region that `filters` match (live ones, and those
  // scheduled for deletion when `include_deleted`), with their versions.
  std::vector<std::pair<SecretRow, std::vector<VersionRow>>> find_secrets(const Ctx& ctx,
                                                                          const Doc& in,
                                                                          bool include_deleted);

  SecretVault& vault_;
};

// SecretString or SecretBinary of a request (nullopt: neither); InvalidParameterException for
// both.
protocol::Result<std::optional<Plain>> value_of(const Doc& in);
// ClientRequestToken, else a fresh UUID (what an SDK sends).
std::string token_of(const Doc& in);

}  // namespace services::secretsmanager
