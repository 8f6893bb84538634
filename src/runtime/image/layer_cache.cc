#include "runtime/image/layer_cache.h"

#include "core/ids.h"
#include "core/log.h"

namespace runtime::image {
namespace {

namespace fs = std::filesystem;

}  // namespace

LayerCache::LayerCache(fs::path dir, UnpackLimits limits) : dir_(std::move(dir)), limits_(limits) {
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
  if (fs::is_directory(final_dir, ec)) {
    return final_dir;
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
  return result;
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
