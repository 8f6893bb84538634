// Fn::Cidr [ipBlock, count, cidrBits] (intrinsics.h): `count` consecutive blocks from the start
// of `ipBlock`, each with `cidrBits` host bits, i.e. a prefix of 32 - cidrBits (IPv4) or
// 128 - cidrBits (IPv6). AWS's own example: ["192.168.0.0/24", 6, 5] gives 192.168.0.0/27,
// 192.168.0.32/27, ... 192.168.0.160/27; ["10.0.0.0/16", 2, 8] gives 10.0.0.0/24, 10.0.1.0/24.

#include <arpa/inet.h>

#include <boost/json/array.hpp>
#include <cstring>

#include "services/cloudformation/engine/errors.h"
#include "services/cloudformation/engine/intrinsics.h"
#include "services/cloudformation/engine/values.h"

namespace services::cloudformation::engine {

namespace json = boost::json;

namespace {

using u128 = unsigned __int128;

struct Block {
  bool v6 = false;
  u128 address = 0;
  int prefix = 0;
  int bits() const { return v6 ? 128 : 32; }
};

Block parse_block(const std::string& text) {
  size_t slash = text.find('/');
  Block b;
  if (slash == std::string::npos) {
    fail("Template error: Fn::Cidr requires an ipBlock in CIDR notation, got " + text);
  }
  std::string ip = text.substr(0, slash);
  unsigned char buf[16] = {};
  b.v6 = ip.find(':') != std::string::npos;
  if (inet_pton(b.v6 ? AF_INET6 : AF_INET, ip.c_str(), buf) != 1) {
    fail("Template error: Fn::Cidr requires an ipBlock in CIDR notation, got " + text);
  }
  for (int i = 0; i < (b.v6 ? 16 : 4); ++i) {
    b.address = (b.address << 8) | buf[i];
  }
  try {
    b.prefix = std::stoi(text.substr(slash + 1));
  } catch (const std::exception&) {
    b.prefix = -1;
  }
  if (b.prefix < 0 || b.prefix > b.bits()) {
    fail("Template error: Fn::Cidr requires an ipBlock in CIDR notation, got " + text);
  }
  int host = b.bits() - b.prefix;
  if (host > 0) {
    b.address &= ~((host == 128 ? ~u128(0) : (u128(1) << host) - 1));  // the network address
  }
  return b;
}

std::string format_block(const Block& b, u128 address, int prefix) {
  unsigned char buf[16] = {};
  int n = b.v6 ? 16 : 4;
  for (int i = n - 1; i >= 0; --i) {
    buf[i] = static_cast<unsigned char>(address & 0xff);
    address >>= 8;
  }
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(b.v6 ? AF_INET6 : AF_INET, buf, text, sizeof text);
  return std::string(text) + "/" + std::to_string(prefix);
}

int64_t integer(const std::string& s, const char* what) {
  std::optional<int64_t> v = parse_integer(s);
  if (!v) {
    fail(std::string("Template error: Fn::Cidr requires ") + what + " to be an integer, got " + s);
  }
  return *v;
}

}  // namespace

std::optional<json::value> Evaluator::cidr(const json::value& arg) const {
  const char* shape =
      "Template error: every Fn::Cidr object requires three parameters, (1) an ipBlock, (2) the "
      "count of subnets and (3) the cidrBits";
  const json::array* args = arg.if_array();
  if (!args || args->size() != 3) {
    fail(shape);
  }
  Block block = parse_block(resolve_string((*args)[0], shape));
  int64_t count = integer(resolve_string((*args)[1], shape), "count");
  int64_t cidr_bits = integer(resolve_string((*args)[2], shape), "cidrBits");
  if (count < 1 || count > 256) {
    fail("Template error: Fn::Cidr count must be between 1 and 256, got " + std::to_string(count));
  }
  int prefix = block.bits() - static_cast<int>(cidr_bits);
  if (cidr_bits < 1 || prefix < block.prefix) {
    fail("Template error: Fn::Cidr cidrBits " + std::to_string(cidr_bits) +
         " does not fit in the ipBlock " + format_block(block, block.address, block.prefix));
  }
  // Blocks available: 2^(prefix - block.prefix); more than 256 whenever the gap exceeds 8 bits.
  int gap = prefix - block.prefix;
  if (gap < 9 && count > (int64_t(1) << gap)) {
    fail("Template error: Fn::Cidr cannot make " + std::to_string(count) + " blocks of /" +
         std::to_string(prefix) + " in " + format_block(block, block.address, block.prefix));
  }
  json::array out;
  int host_bits = block.bits() - prefix;  // 128 only for ::/0 split into one block
  u128 step = host_bits >= 128 ? 0 : u128(1) << host_bits;
  for (int64_t i = 0; i < count; ++i) {
    out.emplace_back(format_block(block, block.address + step * u128(i), prefix));
  }
  return out;
}

}  // namespace services::cloudformation::engine
