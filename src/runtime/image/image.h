#pragma once
// An image as the runtime needs it: its layers (blob digest + diff_id) and the parts of its config
// that shape the container process. Parsed from an OCI or Docker v2 manifest (an index is followed
// to its linux/amd64 entry).

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/image/image_source.h"
#include "runtime/result.h"

namespace runtime::image {

struct Layer {
  std::string digest;      // of the blob as stored (maybe compressed)
  std::string media_type;  // ...tar, ...tar+gzip, ...tar+zstd, docker rootfs.diff.tar.gzip
  std::string diff_id;     // sha256 of the uncompressed tar, from config.rootfs.diff_ids
};

struct ImageConfig {
  std::optional<std::vector<std::string>> entrypoint;  // nullopt: not set (differs from [])
  std::optional<std::vector<std::string>> cmd;
  std::vector<std::string> env;  // "KEY=value"
  std::string working_dir;
  std::string user;
};

struct Image {
  std::string manifest_digest;
  std::string config_digest;
  std::vector<Layer> layers;  // bottom first
  ImageConfig config;
};

// Resolves `reference` through `source` and parses manifest and config.
Result<Image> load_image(const ImageSource& source, std::string_view reference);

// Parses an image config JSON document (the "config" object: Entrypoint, Cmd, Env, WorkingDir,
// User; and rootfs.diff_ids into *diff_ids when non-null).
Result<ImageConfig> parse_image_config(const boost::json::value& doc,
                                       std::vector<std::string>* diff_ids);

// True for "sha256:<64 lower-case hex>".
bool is_sha256_digest(std::string_view digest);

}  // namespace runtime::image
