#pragma once
// An ImageSource over an OCI image layout directory (oci-layout, index.json, blobs/sha256/<hex>).
// References resolve through index.json's "org.opencontainers.image.ref.name" (and containerd's
// "io.containerd.image.name") annotations, or are digests. import_archive() adds images to the
// layout: `gantry image load` of another OCI layout (directory or tar) or of a `docker save` tar.

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/image/image_source.h"

namespace runtime::image {

class OciLayoutSource final : public ImageSource {
 public:
  // Creates the layout (oci-layout, empty index.json, blobs/sha256) when `dir` does not hold one.
  explicit OciLayoutSource(std::filesystem::path dir);

  Result<std::string> resolve(std::string_view reference) const override;
  std::optional<std::filesystem::path> blob_path(std::string_view digest) const override;

  // Imports every image of `archive` (a directory or a tar, possibly compressed, in OCI layout or
  // `docker save` format). Blobs are verified against their digests. Returns the ref names added
  // (or manifest digests of untagged images).
  Result<std::vector<std::string>> import_archive(const std::filesystem::path& archive);

  // Adds `manifest_digest` to index.json under `ref_name` (replacing an entry with that name).
  Result<void> tag(const std::string& manifest_digest, const std::string& media_type,
                   std::size_t size, const std::string& ref_name);

  // Stores `bytes` as a blob and returns its digest.
  Result<std::string> put_blob(std::string_view bytes);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  mutable std::mutex mu_;  // index.json read-modify-write
};

// "busybox" → {"busybox:latest", "docker.io/library/busybox:latest", ...}: names under which
// `reference` may be stored.
std::vector<std::string> reference_candidates(std::string_view reference);

}  // namespace runtime::image
