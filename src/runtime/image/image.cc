#include "runtime/image/image.h"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "core/json.h"

namespace runtime::image {
namespace {

namespace json = boost::json;

Result<json::value> read_json_blob(const ImageSource& source, std::string_view digest) {
  std::optional<std::filesystem::path> path = source.blob_path(digest);
  if (!path) {
    return Error(errc::image_not_found, "blob " + std::string(digest) + " not found");
  }
  std::ifstream in(*path, std::ios::binary);
  if (!in) {
    return Error(errc::image_not_found, "cannot read blob " + std::string(digest));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(buffer.str(), ec);
  if (ec) {
    return Error(errc::bad_image, "blob " + std::string(digest) + " is not JSON: " + ec.message());
  }
  return doc;
}

std::optional<std::vector<std::string>> strings_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_array()) {
    return std::nullopt;  // absent or null: not set
  }
  std::vector<std::string> out;
  for (const json::value& e : v->as_array()) {
    if (e.is_string()) {
      out.emplace_back(e.as_string());
    }
  }
  return out;
}

bool is_index(const json::object& doc) {
  std::string media = core::str(doc, "mediaType");
  if (media == "application/vnd.oci.image.index.v1+json" ||
      media == "application/vnd.docker.distribution.manifest.list.v2+json") {
    return true;
  }
  return media.empty() && doc.contains("manifests") && !doc.contains("layers");
}

// Picks linux/amd64 from an index, else the first entry without a platform.
std::optional<std::string> pick_from_index(const json::object& index) {
  const json::value* manifests = index.if_contains("manifests");
  if (!manifests || !manifests->is_array()) {
    return std::nullopt;
  }
  std::optional<std::string> fallback;
  for (const json::value& m : manifests->as_array()) {
    if (!m.is_object()) {
      continue;
    }
    const json::object& entry = m.as_object();
    const json::value* platform = entry.if_contains("platform");
    if (platform && platform->is_object()) {
      if (core::str(platform->as_object(), "os") == "linux" &&
          core::str(platform->as_object(), "architecture") == "amd64") {
        return core::str(entry, "digest");
      }
    } else if (!fallback) {
      fallback = core::str(entry, "digest");
    }
  }
  return fallback;
}

}  // namespace

bool is_sha256_digest(std::string_view digest) {
  if (digest.size() != 71 || digest.substr(0, 7) != "sha256:") {
    return false;
  }
  for (char c : digest.substr(7)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

Result<ImageConfig> parse_image_config(const json::value& doc, std::vector<std::string>* diff_ids) {
  if (!doc.is_object()) {
    return Error(errc::bad_image, "image config is not a JSON object");
  }
  ImageConfig out;
  const json::value* config = doc.as_object().if_contains("config");
  if (config && config->is_object()) {
    const json::object& c = config->as_object();
    out.entrypoint = strings_at(c, "Entrypoint");
    out.cmd = strings_at(c, "Cmd");
    out.env = strings_at(c, "Env").value_or(std::vector<std::string>{});
    out.working_dir = core::str(c, "WorkingDir");
    out.user = core::str(c, "User");
  }
  if (diff_ids) {
    const json::value* rootfs = doc.as_object().if_contains("rootfs");
    if (!rootfs || !rootfs->is_object()) {
      return Error(errc::bad_image, "image config has no rootfs");
    }
    *diff_ids = strings_at(rootfs->as_object(), "diff_ids").value_or(std::vector<std::string>{});
    for (const std::string& d : *diff_ids) {
      if (!is_sha256_digest(d)) {
        return Error(errc::bad_image, "unsupported diff_id " + d);
      }
    }
  }
  return out;
}

Result<Image> load_image(const ImageSource& source, std::string_view reference) {
  Result<std::string> digest = source.resolve(reference);
  if (!digest) {
    return digest.error();
  }
  Image image;
  image.manifest_digest = *digest;
  Result<json::value> doc = read_json_blob(source, image.manifest_digest);
  for (int depth = 0; doc && doc->is_object() && is_index(doc->as_object()); ++depth) {
    std::optional<std::string> picked = pick_from_index(doc->as_object());
    if (!picked || depth > 2) {
      return Error(errc::bad_image, "image index has no linux/amd64 manifest");
    }
    image.manifest_digest = *picked;
    doc = read_json_blob(source, image.manifest_digest);
  }
  if (!doc) {
    return doc.error();
  }
  if (!doc->is_object()) {
    return Error(errc::bad_image, "manifest is not a JSON object");
  }
  const json::object& manifest = doc->as_object();
  const json::value* config = manifest.if_contains("config");
  const json::value* layers = manifest.if_contains("layers");
  if (!config || !config->is_object() || !layers || !layers->is_array()) {
    return Error(errc::bad_image, "unsupported manifest (schema 2 or OCI required)");
  }
  image.config_digest = core::str(config->as_object(), "digest");
  Result<json::value> config_doc = read_json_blob(source, image.config_digest);
  if (!config_doc) {
    return config_doc.error();
  }
  std::vector<std::string> diff_ids;
  Result<ImageConfig> parsed = parse_image_config(*config_doc, &diff_ids);
  if (!parsed) {
    return parsed.error();
  }
  image.config = std::move(*parsed);
  const json::array& layer_array = layers->as_array();
  if (layer_array.size() != diff_ids.size()) {
    return Error(errc::bad_image, "manifest has " + std::to_string(layer_array.size()) +
                                      " layers but config has " + std::to_string(diff_ids.size()) +
                                      " diff_ids");
  }
  for (std::size_t i = 0; i < layer_array.size(); ++i) {
    if (!layer_array[i].is_object()) {
      return Error(errc::bad_image, "manifest layer is not an object");
    }
    Layer layer;
    layer.digest = core::str(layer_array[i].as_object(), "digest");
    layer.media_type = core::str(layer_array[i].as_object(), "mediaType");
    layer.diff_id = diff_ids[i];
    if (!is_sha256_digest(layer.digest)) {
      return Error(errc::bad_image, "unsupported layer digest " + layer.digest);
    }
    image.layers.push_back(std::move(layer));
  }
  return image;
}

}  // namespace runtime::image
