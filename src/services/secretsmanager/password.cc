#include "services/secretsmanager/password.h"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "services/secretsmanager/errors.h"

namespace services::secretsmanager {

namespace {

constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kDigits = "0123456789";

// A uniform integer in [0, n) from RAND_bytes, by rejection sampling.
uint32_t uniform(uint32_t n) {
  uint32_t limit = UINT32_MAX - (UINT32_MAX % n);
  for (;;) {
    uint32_t r = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&r), sizeof r) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    if (r < limit) return r % n;
  }
}

std::string without(std::string_view chars, std::string_view excluded) {
  std::string out;
  for (char c : chars) {
    if (excluded.find(c) == std::string_view::npos) out.push_back(c);
  }
  return out;
}

}  // namespace

protocol::Result<std::string> random_password(const PasswordRules& rules) {
  std::vector<std::string> types;  // the character types that must each appear
  auto include = [&](bool excluded, std::string_view chars) {
    if (excluded) return;
    std::string left = without(chars, rules.exclude_characters);
    if (!left.empty()) types.push_back(std::move(left));
  };
  include(rules.exclude_lowercase, kLower);
  include(rules.exclude_uppercase, kUpper);
  include(rules.exclude_numbers, kDigits);
  include(rules.exclude_punctuation, kPunctuation);
  std::string all;
  for (const std::string& t : types) all += t;
  if (rules.include_space && rules.exclude_characters.find(' ') == std::string::npos) {
    all.push_back(' ');
  }
  if (all.empty()) {
    return errors::invalid_parameter(
        "The password can't be generated because every character type is excluded.");
  }
  auto length = static_cast<std::size_t>(rules.length);
  if (rules.require_each_included_type && length < types.size()) {
    return errors::invalid_parameter("Password length is too short based on the required types.");
  }
  std::string out;
  out.reserve(length);
  if (rules.require_each_included_type) {
    for (const std::string& t : types) out.push_back(t[uniform(static_cast<uint32_t>(t.size()))]);
  }
  while (out.size() < length) out.push_back(all[uniform(static_cast<uint32_t>(all.size()))]);
  // Fisher-Yates, so that the required characters sit anywhere.
  for (std::size_t i = out.size(); i > 1; --i) {
    std::swap(out[i - 1], out[uniform(static_cast<uint32_t>(i))]);
  }
  return out;
}

}  // namespace services::secretsmanager
