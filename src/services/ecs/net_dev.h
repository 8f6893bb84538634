#pragma once
// A task's interface counters, as the kernel keeps them for the network namespace a container
// runs in: /proc/<pid>/net/dev of one of its processes. The task metadata endpoint's /stats
// serves them as Docker's "networks", and Container Insights' NetworkRxBytes/NetworkTxBytes
// are their rates.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace services::ecs {

// One interface's line of /proc/net/dev, named as Docker's stats name them.
struct InterfaceCounters {
  std::string name;
  std::uint64_t rx_bytes = 0, rx_packets = 0, rx_errors = 0, rx_dropped = 0;
  std::uint64_t tx_bytes = 0, tx_packets = 0, tx_errors = 0, tx_dropped = 0;
  bool operator==(const InterfaceCounters&) const = default;
};

// The kernel's table (two header lines, then "iface: 8 receive columns, 8 transmit columns"),
// loopback left out; nullopt when the text holds no table.
std::optional<std::vector<InterfaceCounters>> parse_net_dev(std::string_view text);

// /proc/<pid>/net/dev parsed; nullopt when the process is gone.
std::optional<std::vector<InterfaceCounters>> read_net_dev(int pid);

}  // namespace services::ecs
