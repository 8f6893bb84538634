#include "services/ecr/manifest.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "services/ecr/digest.h"

namespace services::ecr {
namespace {

namespace json = boost::json;

// A descriptor object; empty error when valid.
std::string parse_descriptor(const json::value& v, std::string_view where, Descriptor* out) {
  const json::object* o = v.if_object();
  if (!o) {
    return std::string(where) + " must be an object";
  }
  const json::value* media = o->if_contains("mediaType");
  const json::value* digest = o->if_contains("digest");
  const json::value* size = o->if_contains("size");
  if (!media || !media->is_string() || media->get_string().empty()) {
    return std::string(where) + ".mediaType must be a non-empty string";
  }
  if (!digest || !digest->is_string() || !is_valid_digest(digest->get_string())) {
    return std::string(where) + ".digest must be a sha256 digest";
  }
  if (!size || !(size->is_int64() || size->is_uint64()) ||
      (size->is_int64() && size->get_int64() < 0)) {
    return std::string(where) + ".size must be a non-negative integer";
  }
  out->media_type = std::string(media->get_string());
  out->digest = std::string(digest->get_string());
  out->size = size->is_int64() ? size->get_int64() : static_cast<int64_t>(size->get_uint64());
  if (const json::value* p = o->if_contains("platform"); p && p->is_object()) {
    const json::object& platform = p->get_object();
    if (const json::value* a = platform.if_contains("architecture"); a && a->is_string()) {
      out->architecture = std::string(a->get_string());
    }
    if (const json::value* s = platform.if_contains("os"); s && s->is_string()) {
      out->os = std::string(s->get_string());
    }
  }
  return {};
}

std::string parse_descriptors(const json::value* v, std::string_view where,
                              std::vector<Descriptor>* out) {
  if (!v || !v->is_array()) {
    return std::string(where) + " must be an array";
  }
  std::size_t i = 0;
  for (const json::value& item : v->get_array()) {
    Descriptor d;
    std::string err = parse_descriptor(item, std::string(where) + "[" + std::to_string(i++) + "]",
                                       &d);
    if (!err.empty()) {
      return err;
    }
    out->push_back(std::move(d));
  }
  return {};
}

}  // namespace

bool is_manifest_media_type(std::string_view t) {
  return t == kDockerManifest || t == kDockerManifestList || t == kOciManifest || t == kOciIndex;
}

std::vector<const Descriptor*> Manifest::blobs() const {
  std::vector<const Descriptor*> out;
  if (config) {
    out.push_back(&*config);
  }
  for (const Descriptor& d : layers) {
    out.push_back(&d);
  }
  return out;
}

int64_t Manifest::layers_size() const {
  int64_t total = 0;
  for (const Descriptor& d : layers) {
    total += d.size;
  }
  return total;
}

ManifestParse parse_manifest(std::string_view bytes, std::string_view content_type) {
  ManifestParse result;
  if (bytes.size() > kMaxManifestBytes) {
    result.error = "manifest is larger than 4 MiB";
    return result;
  }
  boost::system::error_code ec;
  json::value doc = json::parse(bytes, ec);
  if (ec || !doc.is_object()) {
    result.error = "manifest is not a JSON object";
    return result;
  }
  const json::object& o = doc.get_object();
  const json::value* version = o.if_contains("schemaVersion");
  if (!version || !version->is_int64() || version->get_int64() != 2) {
    result.error = "schemaVersion must be 2";
    return result;
  }
  Manifest m;
  const json::value* declared = o.if_contains("mediaType");
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  if (declared) {
    if (!declared->is_string()) {
      result.error = "mediaType must be a string";
      return result;
    }
    std::string_view d = declared->get_string();
    if (is_manifest_media_type(type) && type != d) {
      result.error = "mediaType '" + std::string(d) + "' does not match Content-Type '" +
                     std::string(type) + "'";
      return result;
    }
    m.media_type = std::string(d);
  } else if (is_manifest_media_type(type)) {
    m.media_type = std::string(type);
  } else {
    m.media_type = std::string(o.contains("manifests") ? kOciIndex : kOciManifest);
  }
  if (!is_manifest_media_type(m.media_type)) {
    result.error = "unsupported manifest media type '" + m.media_type + "'";
    return result;
  }
  std::string err;
  m.is_index = m.media_type == kDockerManifestList || m.media_type == kOciIndex;
  if (m.is_index) {
    err = parse_descriptors(o.if_contains("manifests"), "manifests", &m.manifests);
  } else {
    Descriptor config;
    const json::value* c = o.if_contains("config");
    err = c ? parse_descriptor(*c, "config", &config) : "config is required";
    if (err.empty()) {
      m.config = std::move(config);
      err = parse_descriptors(o.if_contains("layers"), "layers", &m.layers);
    }
  }
  if (err.empty()) {
    if (const json::value* s = o.if_contains("subject")) {
      Descriptor subject;
      err = parse_descriptor(*s, "subject", &subject);
      m.subject = std::move(subject);
    }
  }
  if (!err.empty()) {
    result.error = std::move(err);
    return result;
  }
  if (const json::value* a = o.if_contains("artifactType"); a && a->is_string()) {
    m.artifact_type = std::string(a->get_string());
  } else if (m.config && m.media_type == kOciManifest &&
             m.config->media_type != "application/vnd.oci.image.config.v1+json") {
    m.artifact_type = m.config->media_type;
  }
  result.manifest = std::move(m);
  return result;
}

}  // namespace services::ecr
