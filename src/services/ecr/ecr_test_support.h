#pragma once
// Shared by the ECR unit tests: a temporary directory, a migrated in-memory database, and the
// stores wired the way the module wires them.

#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/ids.h"
#include "services/ecr/blob_store.h"
#include "services/ecr/digest.h"
#include "services/ecr/ecr_store.h"
#include "services/ecr/upload_store.h"
#include "store/db.h"
#include "testing/manual_clock.h"

namespace services::ecr::testing_support {

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("gantry-ecr-test-" + std::to_string(::getpid()) + "-" + core::ids::random_hex(8))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline constexpr char kAccount[] = "123456789012";
inline constexpr char kRegion[] = "us-east-1";

inline RepoKey repo(std::string name) { return RepoKey{kAccount, kRegion, std::move(name)}; }

inline Repository new_repository(const RepoKey& key, std::string mutability = "MUTABLE") {
  Repository r;
  r.account = key.account;
  r.region = key.region;
  r.name = key.name;
  r.tag_mutability = std::move(mutability);
  return r;
}

// An OCI image manifest over a config and layers that the caller stored.
inline std::string oci_manifest(const std::string& config_digest, int64_t config_size,
                                const std::vector<std::pair<std::string, int64_t>>& layers,
                                const std::string& extra = "") {
  std::string out =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" +
      config_digest + "\",\"size\":" + std::to_string(config_size) + "},\"layers\":[";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    out += (i ? "," : "") +
           std::string("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                       "\"digest\":\"") +
           layers[i].first + "\",\"size\":" + std::to_string(layers[i].second) + "}";
  }
  return out + "]" + extra + "}";
}

// Stores and links a config and one layer in `key`, returns a manifest over them.
inline std::string push_blobs(EcrStore& store, const RepoKey& key, const std::string& seed) {
  std::string config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}";
  std::string layer = "layer bytes of " + seed;
  std::string cd = store.blobs().put(config);
  std::string ld = store.blobs().put(layer);
  store.link_blob(key, cd, config.size());
  store.link_blob(key, ld, layer.size());
  return oci_manifest(cd, static_cast<int64_t>(config.size()),
                      {{ld, static_cast<int64_t>(layer.size())}});
}

}  // namespace services::ecr::testing_support
