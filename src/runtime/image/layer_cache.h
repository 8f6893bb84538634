#pragma once
// The cache of unpacked layers under <data_dir>/runtime/layers: one directory per diff_id
// (layers/<hex>), created by unpacking into layers/<hex>.tmp-<random> and renaming it into place
// once complete and verified, so a directory named <hex> is always whole. Concurrent prepare()s
// of the same layer in this process unpack it once; the others wait for that result.
// Layers are pruned (runtime/prune_plan.h) by renaming them out of the way before deleting them:
// an ensure() either sees a layer whole, and marks it used, or unpacks it again.
// Thread-safe.

#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "runtime/image/image.h"
#include "runtime/image/layer_unpacker.h"

namespace runtime::image {

class LayerCache {
 public:
  // Creates `dir` and removes leftovers of unpacks interrupted by a crash. `clock` (the system
  // clock by default) stamps each layer's last use; it must outlive the cache.
  LayerCache(std::filesystem::path dir, UnpackLimits limits = {},
             const core::Clock& clock = system_clock());

  static const core::Clock& system_clock();

  // Makes sure every layer of `image` is unpacked; returns their directories, bottom first.
  Result<std::vector<std::filesystem::path>> prepare(const ImageSource& source, const Image& image);

  // One layer: unpacks blob `layer.digest` and checks its stream against `layer.diff_id`.
  Result<std::filesystem::path> ensure(const ImageSource& source, const Layer& layer);

  // Where the layer with this diff_id lives once unpacked.
  std::filesystem::path path_for(const std::string& diff_id) const;

  // An always-empty directory: the lower layer of an image without layers.
  std::filesystem::path empty_layer() const { return dir_ / "empty"; }

  const std::filesystem::path& dir() const { return dir_; }

  struct Entry {
    std::string name;  // the directory's name: the diff_id's hex
    std::uint64_t bytes = 0;
    core::TimePoint last_used{};  // the last ensure(), or when entries() first saw it
  };
  // Every whole layer in the cache. Sizes are measured once per layer (a walk of its files).
  std::vector<Entry> entries();

  // Deletes the layer unless an ensure() used it after `used_before`; true when it went.
  bool remove(const std::string& name, core::TimePoint used_before);

 private:
  Result<std::filesystem::path> unpack(const ImageSource& source, const Layer& layer);
  void mark_used(const std::string& diff_id);

  std::filesystem::path dir_;
  UnpackLimits limits_;
  const core::Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::shared_future<Result<std::filesystem::path>>> in_flight_;
  std::map<std::string, core::TimePoint> last_used_;  // by name
  std::map<std::string, std::uint64_t> bytes_;        // by name
};

}  // namespace runtime::image
