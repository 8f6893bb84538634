#include "core/ids.h"

#include <openssl/rand.h>

#include <array>

#include "core/check.h"
#include "core/hex.h"

namespace core::ids {
namespace {

void fill_random(unsigned char* buf, std::size_t n) {
  CHECK(RAND_bytes(buf, static_cast<int>(n)) == 1) << "OpenSSL's CSPRNG is seeded by the kernel";
}

std::string random_from(std::string_view alphabet, std::size_t chars) {
  std::string out(chars, '\0');
  std::array<unsigned char, 64> buf{};
  std::size_t used = buf.size();
  for (std::size_t i = 0; i < chars;) {
    if (used == buf.size()) {
      fill_random(buf.data(), buf.size());
      used = 0;
    }
    unsigned char b = buf[used++];
    // Rejection sampling keeps the distribution uniform.
    std::size_t limit = 256 - (256 % alphabet.size());
    if (b < limit) {
      out[i++] = alphabet[b % alphabet.size()];
    }
  }
  return out;
}

}  // namespace

std::string random_hex(std::size_t chars) { return random_from("0123456789abcdef", chars); }

std::string random_upper_alnum(std::size_t chars) {
  return random_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", chars);
}

std::string random_secret(std::size_t chars) {
  return random_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", chars);
}

std::string uuid4() {
  unsigned char b[16];
  fill_random(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  std::string h = hex(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string resource_id(std::string_view prefix) {
  std::string out(prefix);
  out += '-';
  out += random_hex(17);
  return out;
}

std::string_view partition_for_region(std::string_view region) {
  if (region.starts_with("cn-")) return "aws-cn";
  if (region.starts_with("us-gov-")) return "aws-us-gov";
  return "aws";
}

std::string arn(std::string_view service, std::string_view region, std::string_view account,
                std::string_view resource) {
  std::string out = "arn:";
  out += partition_for_region(region.empty() ? "us-east-1" : region);
  out += ':';
  out += service;
  out += ':';
  out += region;
  out += ':';
  out += account;
  out += ':';
  out += resource;
  return out;
}

bool parse_arn(std::string_view text, ParsedArn* out) {
  if (!text.starts_with("arn:")) return false;
  std::string_view rest = text.substr(4);
  std::string* fields[] = {&out->partition, &out->service, &out->region, &out->account};
  for (std::string* f : fields) {
    std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return false;
    f->assign(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
  }
  out->resource.assign(rest);
  return !out->partition.empty() && !out->service.empty() && !out->resource.empty();
}

}  // namespace core::ids
