#include "services/ecs/net_dev.h"

#include <fstream>
#include <sstream>

namespace services::ecs {

std::optional<std::vector<InterfaceCounters>> parse_net_dev(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  std::vector<InterfaceCounters> out;
  bool table = false;
  while (std::getline(in, line)) {
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;  // the two header lines
    InterfaceCounters c;
    c.name = line.substr(0, colon);
    c.name.erase(0, c.name.find_first_not_of(' '));
    std::istringstream fields(line.substr(colon + 1));
    std::uint64_t f[16] = {};
    for (std::uint64_t& x : f) {
      if (!(fields >> x)) break;
    }
    if (!fields) continue;
    table = true;
    if (c.name == "lo") continue;
    // Receive: bytes packets errs drop fifo frame compressed multicast; transmit from column 8.
    c.rx_bytes = f[0], c.rx_packets = f[1], c.rx_errors = f[2], c.rx_dropped = f[3];
    c.tx_bytes = f[8], c.tx_packets = f[9], c.tx_errors = f[10], c.tx_dropped = f[11];
    out.push_back(std::move(c));
  }
  if (!table) return std::nullopt;
  return out;
}

std::optional<std::vector<InterfaceCounters>> read_net_dev(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/net/dev");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return parse_net_dev(text.str());
}

}  // namespace services::ecs
