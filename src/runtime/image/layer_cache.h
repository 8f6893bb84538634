#pragma once
// The cache of unpacked layers under <data_dir>/runtime/layers: one directory per diff_id
// (layers/<hex>), created by unpacking into layers/<hex>.tmp-<random> and renaming it into place
// once complete and verified, so a directory named <hex> is always whole. Concurrent prepare()s
// of the same layer in this process unpack it once; the others wait for that result.
// Thread-safe.

#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/image/image.h"
#include "runtime/image/layer_unpacker.h"

namespace runtime::image {

class LayerCache {
 public:
  // Creates `dir` and removes leftovers of unpacks interrupted by a crash.
  LayerCache(std::filesystem::path dir, UnpackLimits limits = {});

  // Makes sure every layer of `image` is unpacked; returns their directories, bottom first.
  Result<std::vector<std::filesystem::path>> prepare(const ImageSource& source, const Image& image);

  // One layer: unpacks blob `layer.digest` and checks its stream against `layer.diff_id`.
  Result<std::filesystem::path> ensure(const ImageSource& source, const Layer& layer);

  // Where the layer with this diff_id lives once unpacked.
  std::filesystem::path path_for(const std::string& diff_id) const;

  // An always-empty directory: the lower layer of an image without layers.
  std::filesystem::path empty_layer() const { return dir_ / "empty"; }

  const std::filesystem::path& dir() const { return dir_; }

 private:
  Result<std::filesystem::path> unpack(const ImageSource& source, const Layer& layer);

  std::filesystem::path dir_;
  UnpackLimits limits_;
  std::mutex mu_;
  std::map<std::string, std::shared_future<Result<std::filesystem::path>>> in_flight_;
};

}  // namespace runtime::image
