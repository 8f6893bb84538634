#pragma once
// ServiceCapacity and PolicyAlarms over the in-process client (protocol::ServiceRegistry): ECS's
// and CloudWatch's own operations, called as the account's root in the target's region.
// Thread-safe.

#include "protocol/service_registry.h"
#include "services/autoscaling/ports.h"

namespace services::autoscaling {

class EcsServiceCapacity final : public ServiceCapacity {
 public:
  explicit EcsServiceCapacity(const protocol::ServiceRegistry& registry) : registry_(registry) {}
  protocol::Result<ServiceCapacityState> get(const std::string& account, const std::string& region,
                                             const std::string& cluster,
                                             const std::string& service) override;
  protocol::Result<void> set_desired(const std::string& account, const std::string& region,
                                     const std::string& cluster, const std::string& service,
                                     int64_t desired) override;

 private:
  const protocol::ServiceRegistry& registry_;
};

class CloudWatchPolicyAlarms final : public PolicyAlarms {
 public:
  explicit CloudWatchPolicyAlarms(const protocol::ServiceRegistry& registry)
      : registry_(registry) {}
  protocol::Result<void> put(const std::string& account, const std::string& region,
                             const boost::json::object& input) override;
  void remove(const std::string& account, const std::string& region,
              const std::vector<std::string>& names) override;
  AlarmReading reading(const std::string& account, const std::string& region,
                       const std::string& name) override;

 private:
  const protocol::ServiceRegistry& registry_;
};

}  // namespace services::autoscaling
