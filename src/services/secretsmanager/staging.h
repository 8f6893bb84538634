#pragma once
// How staging labels move between the versions of one secret, as Secrets Manager moves them.
// Pure functions over a secret's versions (oldest first); the handlers store what changed.
//
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html#term_version
// "Each staging label can be attached to only one version at a time." "Whenever you move
// AWSCURRENT, Secrets Manager automatically moves the label AWSPREVIOUS to the version that
// AWSCURRENT was removed from." "Versions that don't have staging labels are considered
// deprecated and Secrets Manager can delete them."

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/aws_error.h"
#include "services/secretsmanager/sm_store.h"

namespace services::secretsmanager {

// The version holding `stage`, or nullptr.
VersionRow* holder(std::vector<VersionRow>& versions, std::string_view stage);
const VersionRow* holder(const std::vector<VersionRow>& versions, std::string_view stage);

// Attaches `stages` to versions[target], taking each from the version that held it; when
// AWSCURRENT moves, AWSPREVIOUS goes to the version it left.
void attach_stages(std::vector<VersionRow>& versions, std::size_t target,
                   const std::vector<std::string>& stages);

// UpdateSecretVersionStage: moves `stage` to `move_to` (empty: only removes it) from
// `remove_from` (required when another version holds the label). InvalidParameterException or
// ResourceNotFoundException when the request does not match where the label is.
protocol::Result<void> move_stage(std::vector<VersionRow>& versions, const std::string& stage,
                                  const std::string& remove_from, const std::string& move_to);

// The deprecated versions Secrets Manager removes: "Secrets Manager keeps 100 of the most recent
// versions, but it keeps all secret versions created in the last 24 hours." Oldest first.
std::vector<VersionRow> versions_to_prune(const std::vector<VersionRow>& versions, int64_t now_ms);

inline constexpr std::size_t kKeptVersions = 100;

}  // namespace services::secretsmanager
