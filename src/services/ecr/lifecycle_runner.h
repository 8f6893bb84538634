#pragma once
// Applies a repository's lifecycle policy: evaluates it against the repository's images now and
// deletes the images it expires. Run by the module's ecr-lifecycle controller (level-triggered:
// running it twice does no harm) and directly by tests.

#include <cstddef>

#include "core/clock.h"
#include "services/ecr/ecr_store.h"

namespace services::ecr {

class LifecycleRunner {
 public:
  LifecycleRunner(EcrStore& store, const core::Clock& clock);
  // How many images it deleted. A repository without a (valid) policy is left alone. Images an
  // index still references are kept until the index goes.
  std::size_t run(const RepoKey& key);

 private:
  EcrStore& store_;
  const core::Clock& clock_;
};

}  // namespace services::ecr
