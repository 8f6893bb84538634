#include "services/ecr/lifecycle_runner.h"

#include "core/log.h"
#include "services/ecr/lifecycle_policy.h"

namespace services::ecr {

LifecycleRunner::LifecycleRunner(EcrStore& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

std::size_t LifecycleRunner::run(const RepoKey& key) {
  std::optional<Repository> repo = store_.find_repository(key);
  if (!repo || !repo->lifecycle_policy) {
    return 0;
  }
  std::string error;
  std::optional<LifecyclePolicy> policy = parse_lifecycle_policy(*repo->lifecycle_policy, &error);
  if (!policy) {
    return 0;  // PutLifecyclePolicy validated it; a policy stored by an older version may not be
  }
  std::vector<LifecycleCandidate> candidates;
  for (const Image& image : store_.list_images(key)) {
    candidates.push_back({image.digest, image.tags, core::from_epoch_millis(image.pushed_at_ms)});
  }
  core::TimePoint now = clock_.now();
  std::size_t deleted = 0;
  for (const LifecycleExpiry& e : evaluate_lifecycle_policy(*policy, candidates, now)) {
    if (store_.delete_image(key, e.digest) == DeleteStatus::Deleted) {
      ++deleted;
      core::log::info("ecr lifecycle expired image",
                      {{"repository", key.name},
                       {"account", key.account},
                       {"digest", e.digest},
                       {"rule_priority", std::to_string(e.rule_priority)}});
    }
  }
  store_.set_lifecycle_evaluated_at(key, core::to_epoch_millis(now));
  return deleted;
}

}  // namespace services::ecr
