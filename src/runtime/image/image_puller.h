#pragma once
// Pull = resolve a reference through an ImageSource, parse the manifest (an index is followed to
// linux/amd64) and config, and make sure every layer is unpacked in the LayerCache under
// <data_dir>/runtime/layers. Thread-safe; pulls of shared layers unpack them once.

#include <filesystem>
#include <string_view>
#include <vector>

#include "runtime/image/image.h"
#include "runtime/image/layer_cache.h"

namespace runtime::image {

struct PreparedImage {
  Image image;                                // digests and config (Entrypoint, Cmd, Env, ...)
  std::vector<std::filesystem::path> layers;  // unpacked, bottom first: ContainerSpec::layers
};

class ImagePuller {
 public:
  explicit ImagePuller(const std::filesystem::path& data_dir, UnpackLimits limits = {});

  // Errors carry a message ECS shows after "CannotPullContainerError: ": an unknown reference is
  // errc::image_not_found ("pull image manifest has been retried 1 time(s): failed to resolve
  // ref <ref>: not found"); a rejected layer is errc::bad_layer / layer_too_large /
  // digest_mismatch.
  Result<PreparedImage> pull(const ImageSource& source, std::string_view reference);

  LayerCache& cache() { return cache_; }

 private:
  LayerCache cache_;
};

}  // namespace runtime::image
