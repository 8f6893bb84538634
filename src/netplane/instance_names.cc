#include "netplane/instance_names.h"

#include <cstdio>
#include <filesystem>

namespace netplane {

uint64_t InstanceNames::fnv1a(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string InstanceNames::hash12(std::string_view text) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(fnv1a(text)));
  return std::string(buf, 12);
}

InstanceNames InstanceNames::for_data_dir(const std::string& data_dir) {
  std::string abs = std::filesystem::absolute(data_dir).lexically_normal().string();
  while (abs.size() > 1 && abs.back() == '/') {
    abs.pop_back();
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(fnv1a(abs)));
  return InstanceNames("gx" + std::string(buf, 6));
}

std::array<uint8_t, 6> InstanceNames::bridge_mac(const std::string& subnet_id) {
  uint64_t h = fnv1a("bridge:" + subnet_id);
  std::array<uint8_t, 6> mac{0x02};  // locally administered, unicast
  for (size_t i = 1; i < 6; ++i) {
    mac[i] = static_cast<uint8_t>(h >> (8 * i));
  }
  return mac;
}

bool InstanceNames::valid_id(std::string_view id) {
  if (id.empty() || id.size() > 200 || id == "." || id == "..") {
    return false;
  }
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace netplane
