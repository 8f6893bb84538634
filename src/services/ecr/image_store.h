#pragma once
// In-process access to ECR images for the task runtime: resolve an image reference as a task
// definition writes it to an image of this server's store, then read its manifest and blobs.
//
// Accepted references (tag defaults to "latest" when neither :tag nor @digest is given):
//   <account>.dkr.ecr.<region>.localhost[:<port>]/<name>[:tag|@digest]   (repositoryUri)
//   <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>[:tag|@digest]   (real AWS form)
//   localhost[:<port>]/<name>...  and  127.0.0.1[:<port>]/<name>...      (default account/region)
// A host with a port must name this server's port. Anything else (docker.io/library/nginx) is
// not ours: parse_image_reference() returns nullopt and the caller pulls it elsewhere.
//
// Contract: ImageStore is cheap to construct from the server's Db and data directory, keeps no
// state of its own, and is thread-safe. Blob paths stay valid until the image is deleted and
// garbage-collected; a reader that needs a blob for long should open it first (an open fd keeps
// the bytes alive across GC).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/ecr/blob_store.h"
#include "services/ecr/ecr_store.h"
#include "services/ecr/manifest.h"
#include "store/db.h"

namespace services::ecr {

struct ReferenceContext {
  uint16_t port = 0;  // 0: accept any port on local hosts
  std::string default_account;
  std::string default_region;
};

struct ImageReference {
  std::string account;
  std::string region;
  std::string repository;
  std::string tag;     // empty when digest is set
  std::string digest;  // "sha256:..." when the reference pinned one
};

std::optional<ImageReference> parse_image_reference(std::string_view reference,
                                                    const ReferenceContext& ctx);
// "<account>.dkr.ecr.<region>.localhost" or ".amazonaws.com[.cn]", with or without ":port".
bool parse_registry_host(std::string_view host, std::string* account, std::string* region);

struct ResolvedImage {
  ImageReference reference;  // with digest filled in
  std::string media_type;
  std::string manifest;  // bytes as pushed
  Manifest parsed;
};

// Where ECR keeps its files under the server's data directory: <data_dir>/ecr (blobs/,
// uploads/, token.key).
std::filesystem::path ecr_dir(const std::filesystem::path& data_dir);

class ImageStore {
 public:
  // `data_dir` is the server's data directory (--data-dir), not ecr_dir().
  ImageStore(store::Db& db, const std::filesystem::path& data_dir, ReferenceContext ctx);

  // nullopt with *error set ("repository ... does not exist", "image not found", "not an ECR
  // reference of this server").
  std::optional<ResolvedImage> resolve(std::string_view reference, std::string* error);
  // The manifest of another image of the same repository (a child of an index).
  std::optional<ResolvedImage> manifest(const ImageReference& repo, std::string_view digest);
  // A blob the repository may serve (config, layer), read whole up to max_bytes.
  std::optional<std::string> read_blob(const ImageReference& repo, std::string_view digest,
                                       uint64_t max_bytes = 64 << 20);
  // The file holding a blob the repository may serve.
  std::optional<std::filesystem::path> blob_path(const ImageReference& repo,
                                                 std::string_view digest);

 private:
  ReferenceContext ctx_;
  BlobStore blobs_;
  EcrStore store_;
};

}  // namespace services::ecr
