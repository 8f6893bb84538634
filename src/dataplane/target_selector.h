#pragma once
// Chooses the target of a target group for one request, as an ALB node does: round_robin or
// least_outstanding_requests over the healthy targets (healthy, or "unavailable" when health checks
// are disabled); when none is healthy it fails open over every target that is not draining or
// unused; draining targets never get new requests. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "dataplane/alb_config.h"

namespace dataplane {


class TargetSelector {
 public:
  // The target for the next request, or nullopt when the group has no target that may receive one
  // (the proxy answers 503). Does not count the request: call started() once it is sent.
  std::optional<SnapshotTarget> pick(const SnapshotTargetGroup& group);

  // Outstanding-request bookkeeping for least_outstanding_requests and draining.
  void started(const TargetKey& target);
  // Returns the number of requests still in flight on the target after this one.
  int finished(const TargetKey& target);
  int outstanding(const TargetKey& target) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> next_;          // round-robin cursor per target group ARN
  std::map<TargetKey, int> outstanding_;  // requests in flight per target
};

}  // namespace dataplane
