#include "netplane/ipv4.h"

#include <arpa/inet.h>

#include <charconv>

namespace netplane {

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  std::string s(text);
  in_addr a{};
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) {
    return std::nullopt;
  }
  return ntohl(a.s_addr);
}

std::string format_ipv4(uint32_t addr) {
  in_addr a{htonl(addr)};
  char buf[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &a, buf, sizeof(buf));
  return buf;
}

std::optional<Ipv4Cidr> Ipv4Cidr::parse(std::string_view text) {
  int prefix = 32;
  std::string_view addr = text;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view p = text.substr(slash + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || ptr != p.data() + p.size() || prefix < 0 || prefix > 32) {
      return std::nullopt;
    }
  }
  std::optional<uint32_t> a = parse_ipv4(addr);
  if (!a) {
    return std::nullopt;
  }
  Ipv4Cidr c;
  c.prefix = prefix;
  c.network = *a & c.mask();
  return c;
}

std::optional<std::array<uint8_t, 6>> parse_mac(std::string_view text) {
  std::array<uint8_t, 6> out{};
  if (text.size() != 17) {
    return std::nullopt;
  }
  for (size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[i * 3 - 1] != ':') {
      return std::nullopt;
    }
    std::string_view byte = text.substr(i * 3, 2);
    auto [ptr, ec] = std::from_chars(byte.data(), byte.data() + 2, out[i], 16);
    if (ec != std::errc() || ptr != byte.data() + 2) {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace netplane
