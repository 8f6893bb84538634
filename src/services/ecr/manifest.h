#pragma once
// Parsing and validation of the manifests ECR stores: Docker image manifest schema 2 and manifest
// list, OCI image manifest and image index (1.0 and 1.1, with `subject` and `artifactType`).
// The bytes are never rewritten: callers store exactly what the client sent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace services::ecr {

inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";

// ECR rejects larger manifests (4 MiB, as distribution does).
inline constexpr std::size_t kMaxManifestBytes = 4 * 1024 * 1024;

struct Descriptor {
  std::string media_type;
  std::string digest;
  int64_t size = 0;
  std::string architecture;  // index entries' platform, when given
  std::string os;
};

struct Manifest {
  std::string media_type;  // the effective media type (declared, else Content-Type, else inferred)
  bool is_index = false;
  std::optional<Descriptor> config;   // image manifests
  std::vector<Descriptor> layers;     // image manifests
  std::vector<Descriptor> manifests;  // indexes
  std::optional<Descriptor> subject;  // OCI 1.1 referrers
  std::string artifact_type;          // artifactType, else an artifact's config media type
  // Every blob the manifest needs in the repository (config and layers).
  std::vector<const Descriptor*> blobs() const;
  // Sum of layer sizes, what ECR reports as imageSizeInBytes.
  int64_t layers_size() const;
};

struct ManifestParse {
  std::optional<Manifest> manifest;
  std::string error;  // for MANIFEST_INVALID when manifest is empty
};

// `content_type` is the request's Content-Type (may be empty or a non-manifest type).
ManifestParse parse_manifest(std::string_view bytes, std::string_view content_type);

bool is_manifest_media_type(std::string_view media_type);

}  // namespace services::ecr
