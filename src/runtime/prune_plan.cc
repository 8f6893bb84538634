#include "runtime/prune_plan.h"

#include <sys/stat.h>

#include <algorithm>

namespace runtime {

namespace fs = std::filesystem;

std::vector<std::string> plan_layer_prune(std::vector<LayerEntry> entries, core::TimePoint now,
                                          const PruneLimits& limits) {
  std::uint64_t total = 0;
  for (const LayerEntry& e : entries) {
    total += e.bytes;
  }
  // Least recently used first.
  std::sort(entries.begin(), entries.end(), [](const LayerEntry& a, const LayerEntry& b) {
    return a.last_used != b.last_used ? a.last_used < b.last_used : a.name < b.name;
  });
  std::vector<std::string> out;
  for (const LayerEntry& e : entries) {
    if (e.in_use || now - e.last_used < limits.layer_min_idle) {
      continue;
    }
    if (now - e.last_used >= limits.layer_max_idle || total > limits.layer_cache_max_bytes) {
      out.push_back(e.name);
      total -= e.bytes;
    }
  }
  return out;
}

std::vector<std::string> plan_bundle_prune(std::vector<BundleEntry> stopped, core::TimePoint now,
                                           const PruneLimits& limits) {
  std::uint64_t total = 0;
  for (const BundleEntry& b : stopped) {
    total += b.bytes;
  }
  std::sort(stopped.begin(), stopped.end(), [](const BundleEntry& a, const BundleEntry& b) {
    return a.finished_at != b.finished_at ? a.finished_at < b.finished_at : a.id < b.id;
  });
  std::vector<std::string> out;
  for (const BundleEntry& b : stopped) {
    if (now - b.finished_at >= limits.stopped_bundle_ttl ||
        total > limits.stopped_bundle_max_bytes) {
      out.push_back(b.id);
      total -= b.bytes;
    }
  }
  return out;
}

std::uint64_t directory_bytes(const fs::path& dir, const std::string& skip) {
  std::error_code ec;
  struct stat root {};
  if (::lstat(dir.c_str(), &root) != 0) {
    return 0;
  }
  std::uint64_t total = 0;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) {
      continue;
    }
    if (S_ISDIR(st.st_mode) &&
        (st.st_dev != root.st_dev || (!skip.empty() && it->path().filename() == skip))) {
      it.disable_recursion_pending();
      continue;
    }
    total += static_cast<std::uint64_t>(st.st_blocks) * 512;  // on disk, as du counts
  }
  return total;
}

}  // namespace runtime
