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

#include "services/elbv2/alb_snapshot.h"

namespace dataplane {

namespace elbv2 = services::elbv2;

class TargetSelector {
 public:
  // The target for the next request, or nullopt when the group has no target that may receive one
  // (the proxy answers 503). Does not count the request: call started() once it is sent.
  std::optional<elbv2::SnapshotTarget> pick(const elbv2::SnapshotTargetGroup& group);

  // Outstanding-request bookkeeping for least_outstanding_requests and draining.
  void started(const elbv2::TargetKey& target);
  // Returns the number of requests still in flight on the target after this one.
  int finished(const elbv2::TargetKey& target);
  int outstanding(const elbv2::TargetKey& target) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> next_;          // round-robin cursor per target group ARN
  std::map<elbv2::TargetKey, int> outstanding_;  // requests in flight per target
};

}  // namespace dataplane
