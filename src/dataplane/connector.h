#pragma once
// How the data plane reaches a target: as the load balancer itself would, from the load
// balancer's own network namespace (so that security groups and routes apply to it). The server
// makes the connection inside the ALB node's namespace (netplane::connect_in_netns); tests connect
// to loopback.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace dataplane {

// Returns a connected, blocking TCP socket fd to ip:port made on behalf of the load balancer
// `load_balancer_arn`, or -1 when the target refused, reset or did not answer within `timeout`;
// then errno is ETIMEDOUT when it did not answer (ALB answers 504) and anything else otherwise
// (502).
// Called on data-plane threads; it may block up to `timeout`.
using Connector = std::function<int(const std::string& load_balancer_arn, const std::string& ip,
                                    uint16_t port, std::chrono::milliseconds timeout)>;

}  // namespace dataplane
