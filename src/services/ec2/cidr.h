#pragma once
// IPv4 addresses and CIDR blocks as EC2 uses them: VPC and subnet ranges, security-group peers,
// route destinations and the addresses AWS reserves in every subnet.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace services::ec2 {

// "10.0.0.1" → host-order value; nullopt unless exactly four decimal octets 0..255 (no leading
// zeros beyond a single "0", no spaces).
std::optional<uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(uint32_t address);

struct Cidr {
  uint32_t network = 0;  // host order, host bits zero when made by parse_cidr(..., strict=true)
  int prefix = 0;        // 0..32

  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  uint32_t first() const { return network & mask(); }
  uint32_t last() const { return first() | ~mask(); }
  bool contains(uint32_t address) const { return (address & mask()) == first(); }
  // True when every address of `inner` is inside this block.
  bool contains(const Cidr& inner) const {
    return inner.prefix >= prefix && contains(inner.first());
  }
  bool overlaps(const Cidr& other) const {
    return contains(other.first()) || other.contains(first());
  }
  std::string str() const;  // "10.0.0.0/16"
  bool operator==(const Cidr&) const = default;
};

// "a.b.c.d/n". With strict, host bits must be zero ("10.0.0.1/16" is rejected), as EC2 requires
// for VPC and subnet blocks; without it they are cleared, as security-group rules accept them.
std::optional<Cidr> parse_cidr(std::string_view text, bool strict = true);

// The five addresses AWS reserves in every subnet: network, +1 (VPC router), +2 (DNS), +3
// (future use) and the broadcast address.
// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
inline constexpr int kReservedAddressesPerSubnet = 5;
bool is_reserved_in_subnet(const Cidr& subnet, uint32_t address);
// The subnet's router: network + 1.
inline uint32_t gateway_address(const Cidr& subnet) { return subnet.first() + 1; }

}  // namespace services::ec2
