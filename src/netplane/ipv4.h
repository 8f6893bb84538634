#pragma once
// IPv4 addresses and CIDR blocks as plain values (host byte order).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netplane {

std::optional<uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(uint32_t addr);

struct Ipv4Cidr {
  uint32_t network = 0;  // masked
  int prefix = 0;

  // "10.0.1.0/24"; host bits set ("10.0.1.7/24") are cleared. A bare address is a /32.
  static std::optional<Ipv4Cidr> parse(std::string_view text);
  std::string to_string() const { return format_ipv4(network) + "/" + std::to_string(prefix); }
  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  bool contains(uint32_t addr) const { return (addr & mask()) == network; }
  // The subnet's gateway as AWS places it (the VPC router): network + 1.
  uint32_t first_host() const { return network + 1; }
};

// "02:ab:..." → 6 bytes; nullopt when malformed.
std::optional<std::array<uint8_t, 6>> parse_mac(std::string_view text);

}  // namespace netplane
