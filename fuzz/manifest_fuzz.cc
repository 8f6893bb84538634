// OCI/Docker manifests and indexes from untrusted pushes and pulls: ECR's parse_manifest (what
// PutImage and the registry's PUT /v2/<name>/manifests/<ref> accept) and the runtime's
// load_image (manifest → index → config), whose image source serves the same bytes for every
// digest, so that an index, its manifest and the config are all the fuzzer's document.
// Input: one byte choosing the request's Content-Type, then the document.

#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "fuzz/fuzz_support.h"
#include "runtime/image/image.h"
#include "services/ecr/manifest.h"

namespace {

constexpr std::string_view kContentTypes[] = {
    "",
    services::ecr::kDockerManifest,
    services::ecr::kDockerManifestList,
    services::ecr::kOciManifest,
    services::ecr::kOciIndex,
    "application/json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
};

// Every digest is the current input, held in a memfd (no disk I/O per run).
class MemSource : public runtime::image::ImageSource {
 public:
  MemSource() : fd_(memfd_create("manifest_fuzz", 0)) {}
  void set(std::string_view bytes) {
    (void)ftruncate(fd_, 0);
    (void)pwrite(fd_, bytes.data(), bytes.size(), 0);
  }
  runtime::Result<std::string> resolve(std::string_view) const override {
    return std::string("sha256:") + std::string(64, 'a');
  }
  std::optional<std::filesystem::path> blob_path(std::string_view) const override {
    return "/proc/self/fd/" + std::to_string(fd_);
  }

 private:
  int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view content_type = kContentTypes[data[0] % std::size(kContentTypes)];
  std::string_view doc = fuzz::as_view(data + 1, size - 1);
  services::ecr::ManifestParse parsed = services::ecr::parse_manifest(doc, content_type);
  if (parsed.manifest) {
    (void)parsed.manifest->blobs();
    (void)parsed.manifest->layers_size();
  }
  static MemSource source;
  source.set(doc);
  (void)runtime::image::load_image(source, "fuzz:latest");
  return 0;
}
