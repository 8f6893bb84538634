#include "runtime/image/layer_cache.h"

#include <chrono>

#include "core/ids.h"
#include "core/log.h"
#include "runtime/prune_plan.h"

namespace runtime::image {
namespace {

namespace fs = std::filesystem;

}  // namespace

const core::Clock& LayerCache::system_clock() {
  static const core::SystemClock clock;
  return clock;
}

LayerCache::LayerCache(fs::path dir, UnpackLimits limits, const core::Clock& clock)
    : dir_(std::move(dir)), limits_(limits), clock_(clock) {
  std::error_code ec;
  fs::create_directories(dir_ / "empty", ec);
  for (const fs::directory_entry& e : fs::directory_iterator(dir_, ec)) {
    if (e.path().filename().string().find(".tmp-") != std::string::npos) {
      fs::remove_all(e.path(), ec);
    }
  }
}

fs::path LayerCache::path_for(const std::string& diff_id) const {
  return dir_ / diff_id.substr(diff_id.find(':') + 1);
}

Result<std::vector<fs::path>> LayerCache::prepare(const ImageSource& source, const Image& image) {
  std::vector<fs::path> out;
  for (const Layer& layer : image.layers) {
    Result<fs::path> dir = ensure(source, layer);
    if (!dir) {
      return dir.error();
    }
    out.push_back(std::move(*dir));
  }
  return out;
}

Result<fs::path> LayerCache::ensure(const ImageSource& source, const Layer& layer) {
  if (!is_sha256_digest(layer.diff_id)) {
    return Error(errc::bad_image, "unsupported diff_id " + layer.diff_id);
  }
  fs::path final_dir = path_for(layer.diff_id);
  std::error_code ec;
  {
    // Marked used and checked under the lock that remove() holds: a layer seen whole here is
    // not pruned before its container starts (remove() skips recently used layers).
    std::lock_guard lock(mu_);
    last_used_[final_dir.filename().string()] = clock_.now();
    if (fs::is_directory(final_dir, ec)) {
      return final_dir;
    }
  }
  std::shared_future<Result<fs::path>> wait;
  std::promise<Result<fs::path>> mine;
  {
    std::lock_guard lock(mu_);
    auto it = in_flight_.find(layer.diff_id);
    if (it != in_flight_.end()) {
      wait = it->second;
    } else {
      in_flight_.emplace(layer.diff_id, mine.get_future().share());
    }
  }
  if (wait.valid()) {
    return wait.get();
  }
  Result<fs::path> result = unpack(source, layer);
  mine.set_value(result);
  std::lock_guard lock(mu_);
  in_flight_.erase(layer.diff_id);
  last_used_[final_dir.filename().string()] = clock_.now();
  return result;
}

std::vector<LayerCache::Entry> LayerCache::entries() {
  std::vector<Entry> out;
  std::error_code ec;
  for (const fs::directory_entry& d : fs::directory_iterator(dir_, ec)) {
    std::string name = d.path().filename().string();
    if (name == "empty" || name.find(".tmp-") != std::string::npos || !d.is_directory(ec)) {
      continue;
    }
    Entry e{name, 0, {}};
    {
      std::lock_guard lock(mu_);
      // A layer not used since start-up counts as used now: its age is not on disk (a layer
      // directory's mtime is the image's), and a restart must not empty the cache.
      e.last_used = last_used_.try_emplace(name, clock_.now()).first->second;
      auto bytes = bytes_.find(name);
      if (bytes != bytes_.end()) {
        e.bytes = bytes->second;
        out.push_back(std::move(e));
        continue;
      }
    }
    e.bytes = directory_bytes(d.path());
    std::lock_guard lock(mu_);
    bytes_[name] = e.bytes;
    out.push_back(std::move(e));
  }
  return out;
}

bool LayerCache::remove(const std::string& name, core::TimePoint used_before) {
  fs::path dir = dir_ / name;
  fs::path doomed = dir;
  doomed += ".tmp-" + core::ids::random_hex(8);
  std::error_code ec;
  {
    std::lock_guard lock(mu_);
    auto used = last_used_.find(name);
    if (used != last_used_.end() && used->second >= used_before) {
      return false;
    }
    fs::rename(dir, doomed, ec);
    if (ec) {
      return false;
    }
    last_used_.erase(name);
    bytes_.erase(name);
  }
  fs::remove_all(doomed, ec);  // a crash here leaves a .tmp- that the next start-up removes
  core::log::debug("layer pruned", {{"layer", name}});
  return true;
}

Result<fs::path> LayerCache::unpack(const ImageSource& source, const Layer& layer) {
  fs::path final_dir = path_for(layer.diff_id);
  std::error_code ec;
  if (fs::is_directory(final_dir, ec)) {
    return final_dir;  // finished by another caller between our check and our claim
  }
  std::optional<fs::path> blob = source.blob_path(layer.digest);
  if (!blob) {
    return Error(errc::image_not_found, "layer " + layer.digest + " not found");
  }
  fs::path tmp = final_dir;
  tmp += ".tmp-" + core::ids::random_hex(8);
  fs::create_directory(tmp, ec);
  if (ec) {
    return Error(ec, "mkdir " + tmp.string());
  }
  Result<std::string> digest = unpack_layer(*blob, tmp, limits_);
  if (digest && *digest != layer.diff_id) {
    digest = Error(errc::digest_mismatch, "layer " + layer.digest + " unpacks to " + *digest +
                                              ", expected " + layer.diff_id);
  }
  if (!digest) {
    core::log::warn(
        "layer rejected",
        {{"layer", layer.digest}, {"diff_id", layer.diff_id}, {"error", digest.error().message}});
    fs::remove_all(tmp, ec);
    return digest.error();
  }
  fs::rename(tmp, final_dir, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    if (fs::is_directory(final_dir, ignored)) {
      return final_dir;  // another process won the race
    }
    return Error(ec, "rename " + final_dir.string());
  }
  core::log::debug("layer unpacked", {{"diff_id", layer.diff_id}});
  return final_dir;
}

}  // namespace runtime::image
