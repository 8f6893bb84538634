#pragma once
// An in-memory Netplane for tests of the layers above (ECS task launcher, ELBv2 nodes): records
// VPC specs and endpoints, never touches the kernel. Errors can be injected per operation.
// Thread-safe. (Header-only so that it can move to src/testing/ unchanged.)

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "netplane/netplane.h"

namespace fakes {

class FakeNetplane final : public netplane::Netplane {
 public:
  netplane::Result<void> ensure_vpc(const netplane::VpcSpec& spec) override {
    std::lock_guard lock(mu_);
    ++ensure_calls_;
    if (fail_ensure_) {
      return *fail_ensure_;
    }
    vpcs_[spec.vpc_id] = spec;
    return {};
  }
  netplane::Result<void> remove_vpc(const std::string& vpc_id) override {
    std::lock_guard lock(mu_);
    vpcs_.erase(vpc_id);
    return {};
  }
  netplane::Result<netplane::EndpointInfo> attach(const netplane::EndpointSpec& spec) override {
    std::lock_guard lock(mu_);
    if (fail_attach_) {
      return *fail_attach_;
    }
    if (!vpcs_.count(spec.vpc_id)) {
      return netplane::Error(netplane::errc::not_found, "VPC " + spec.vpc_id + " not ensured");
    }
    endpoints_[spec.endpoint_id] = spec;
    netplane::EndpointInfo info{endpoint_netns_path(spec.endpoint_id), {}};
    for (size_t i = 0; i < spec.interfaces.size(); ++i) {
      info.interface_names.push_back("eth" + std::to_string(i));
    }
    return info;
  }
  netplane::Result<void> detach(const std::string& endpoint_id) override {
    std::lock_guard lock(mu_);
    endpoints_.erase(endpoint_id);
    return {};
  }
  netplane::Result<void> recover(const netplane::ExpectedState& expected) override {
    std::lock_guard lock(mu_);
    std::map<std::string, netplane::EndpointSpec> kept;
    for (const std::string& id : expected.endpoint_ids) {
      if (auto it = endpoints_.find(id); it != endpoints_.end()) {
        kept.insert(*it);
      }
    }
    endpoints_ = std::move(kept);
    return {};
  }
  std::string vpc_netns_path(const std::string& vpc_id) const override {
    return "/run/netns/fake-v-" + vpc_id;
  }
  std::string endpoint_netns_path(const std::string& endpoint_id) const override {
    return "/run/netns/fake-e-" + endpoint_id;
  }

  // Inspection and error injection for tests.
  std::optional<netplane::VpcSpec> vpc(const std::string& vpc_id) const {
    std::lock_guard lock(mu_);
    auto it = vpcs_.find(vpc_id);
    return it == vpcs_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<netplane::EndpointSpec> endpoint(const std::string& endpoint_id) const {
    std::lock_guard lock(mu_);
    auto it = endpoints_.find(endpoint_id);
    return it == endpoints_.end() ? std::nullopt : std::optional(it->second);
  }
  size_t endpoint_count() const {
    std::lock_guard lock(mu_);
    return endpoints_.size();
  }
  int ensure_calls() const {
    std::lock_guard lock(mu_);
    return ensure_calls_;
  }
  void fail_ensure(std::optional<netplane::Error> e) {
    std::lock_guard lock(mu_);
    fail_ensure_ = std::move(e);
  }
  void fail_attach(std::optional<netplane::Error> e) {
    std::lock_guard lock(mu_);
    fail_attach_ = std::move(e);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, netplane::VpcSpec> vpcs_;
  std::map<std::string, netplane::EndpointSpec> endpoints_;
  int ensure_calls_ = 0;
  std::optional<netplane::Error> fail_ensure_;
  std::optional<netplane::Error> fail_attach_;
};

}  // namespace fakes
