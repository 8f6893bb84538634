#include "services/ec2/cidr.h"

#include <charconv>

namespace services::ec2 {

namespace {

// A decimal number without sign or surplus leading zeros, at most `max`.
std::optional<uint32_t> parse_decimal(std::string_view text, uint32_t max) {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) {
    return std::nullopt;
  }
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  uint32_t address = 0;
  for (int octet = 0; octet < 4; ++octet) {
    std::size_t dot = octet < 3 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) {
      return std::nullopt;
    }
    std::optional<uint32_t> value = parse_decimal(text.substr(0, dot), 255);
    if (!value) {
      return std::nullopt;
    }
    address = (address << 8) | *value;
    text.remove_prefix(octet < 3 ? dot + 1 : dot);
  }
  return text.empty() ? std::optional<uint32_t>(address) : std::nullopt;
}

std::string format_ipv4(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." +
         std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
}

std::string Cidr::str() const { return format_ipv4(network) + "/" + std::to_string(prefix); }

std::optional<Cidr> parse_cidr(std::string_view text, bool strict) {
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<uint32_t> address = parse_ipv4(text.substr(0, slash));
  std::optional<uint32_t> prefix = parse_decimal(text.substr(slash + 1), 32);
  if (!address || !prefix) {
    return std::nullopt;
  }
  Cidr cidr{*address, static_cast<int>(*prefix)};
  if (cidr.first() != *address) {
    if (strict) {
      return std::nullopt;
    }
    cidr.network = cidr.first();
  }
  return cidr;
}

bool is_reserved_in_subnet(const Cidr& subnet, uint32_t address) {
  uint32_t offset = address - subnet.first();
  return offset <= 3 || address == subnet.last();
}

}  // namespace services::ec2
