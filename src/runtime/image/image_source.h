#pragma once
// Where images come from: resolves a reference to a manifest digest and gives the file path of any
// blob (manifest, index, config, layer) by digest. Gantry's ECR store implements it; tests and
// `gantry image load` use OciLayoutSource. Implementations must be thread-safe.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/result.h"

namespace runtime::image {

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  // "name:tag", "name@sha256:...", a bare "sha256:..." or an ECR URI
  // ("<acct>.dkr.ecr.<region>.amazonaws.com/name:tag"). Returns the digest of a manifest or of an
  // image index ("sha256:<hex>"), or errc::image_not_found.
  virtual Result<std::string> resolve(std::string_view reference) const = 0;
  // The file holding the blob's bytes, or nullopt when the blob is unknown.
  virtual std::optional<std::filesystem::path> blob_path(std::string_view digest) const = 0;
};

}  // namespace runtime::image
