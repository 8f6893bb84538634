#include "runtime/image/oci_layout_source.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/ids.h"
#include "runtime/image/image.h"
#include "runtime/image/sha256.h"

namespace runtime::image {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* kRefName = "org.opencontainers.image.ref.name";
constexpr const char* kContainerdName = "io.containerd.image.name";

json::object read_index(const fs::path& dir) {
  std::ifstream in(dir / "index.json");
  std::stringstream buffer;
  buffer << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(buffer.str(), ec);
  if (ec || !v.is_object()) {
    return json::object{{"schemaVersion", 2}, {"manifests", json::array{}}};
  }
  json::object index = std::move(v.as_object());
  if (!index.contains("manifests") || !index["manifests"].is_array()) {
    index["manifests"] = json::array{};
  }
  return index;
}

Result<void> write_file_atomically(const fs::path& path, std::string_view bytes) {
  fs::path tmp = path;
  tmp += ".tmp-" + core::ids::random_hex(8);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      return Error::from_errno(errno, "write " + tmp.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Error(ec, "rename " + path.string());
  }
  return {};
}

std::string annotation(const json::object& entry, const char* key) {
  const json::value* a = entry.if_contains("annotations");
  if (!a || !a->is_object()) {
    return {};
  }
  const json::value* v = a->as_object().if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::vector<std::string> reference_candidates(std::string_view reference) {
  std::string ref(reference);
  std::vector<std::string> out{ref};
  std::size_t slash = ref.rfind('/');
  std::size_t colon = ref.rfind(':');
  bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (ref.find('@') != std::string::npos) {
    return out;
  }
  std::string with_tag = has_tag ? ref : ref + ":latest";
  out.push_back(with_tag);
  if (with_tag.find('/') == std::string::npos) {
    out.push_back("docker.io/library/" + with_tag);
  } else if (with_tag.find('.') == std::string::npos || with_tag.find('.') > slash) {
    out.push_back("docker.io/" + with_tag);
  }
  // A bare tag ("latest", "v1") as OCI layouts made by skopeo/umoci store them.
  if (has_tag) {
    out.push_back(ref.substr(colon + 1));
  }
  return out;
}

OciLayoutSource::OciLayoutSource(fs::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_ / "blobs" / "sha256", ec);
  if (!fs::exists(dir_ / "oci-layout")) {
    (void)write_file_atomically(dir_ / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  }
  if (!fs::exists(dir_ / "index.json")) {
    (void)write_file_atomically(dir_ / "index.json", R"({"schemaVersion":2,"manifests":[]})");
  }
}

std::optional<fs::path> OciLayoutSource::blob_path(std::string_view digest) const {
  if (!is_sha256_digest(digest)) {
    return std::nullopt;
  }
  fs::path p = dir_ / "blobs" / "sha256" / std::string(digest.substr(7));
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) {
    return std::nullopt;
  }
  return p;
}

Result<std::string> OciLayoutSource::resolve(std::string_view reference) const {
  std::string_view digest_part = reference;
  if (std::size_t at = reference.find('@'); at != std::string_view::npos) {
    digest_part = reference.substr(at + 1);
  }
  if (is_sha256_digest(digest_part)) {
    if (!blob_path(digest_part)) {
      return Error(errc::image_not_found, "manifest " + std::string(digest_part) + " not found");
    }
    return std::string(digest_part);
  }
  json::object index;
  {
    std::lock_guard lock(mu_);
    index = read_index(dir_);
  }
  for (const std::string& candidate : reference_candidates(reference)) {
    for (const json::value& m : index["manifests"].as_array()) {
      if (!m.is_object()) {
        continue;
      }
      const json::object& entry = m.as_object();
      if (annotation(entry, kRefName) == candidate ||
          annotation(entry, kContainerdName) == candidate) {
        const json::value* d = entry.if_contains("digest");
        if (d && d->is_string()) {
          return std::string(d->as_string());
        }
      }
    }
  }
  return Error(errc::image_not_found, std::string(reference) + ": not found");
}

Result<std::string> OciLayoutSource::put_blob(std::string_view bytes) {
  std::string digest = sha256_digest(bytes.data(), bytes.size());
  if (blob_path(digest)) {
    return digest;
  }
  Result<void> r = write_file_atomically(dir_ / "blobs" / "sha256" / digest.substr(7), bytes);
  if (!r) {
    return r.error();
  }
  return digest;
}

Result<void> OciLayoutSource::tag(const std::string& manifest_digest, const std::string& media_type,
                                  std::size_t size, const std::string& ref_name) {
  std::lock_guard lock(mu_);
  json::object index = read_index(dir_);
  json::array kept;
  for (json::value& m : index["manifests"].as_array()) {
    if (m.is_object() && !ref_name.empty() &&
        (annotation(m.as_object(), kRefName) == ref_name ||
         annotation(m.as_object(), kContainerdName) == ref_name)) {
      continue;
    }
    if (m.is_object() && ref_name.empty() && annotation(m.as_object(), kRefName).empty()) {
      const json::value* d = m.as_object().if_contains("digest");
      if (d && d->is_string() && d->as_string() == manifest_digest) {
        continue;
      }
    }
    kept.push_back(std::move(m));
  }
  json::object entry{{"mediaType", media_type},
                     {"digest", manifest_digest},
                     {"size", static_cast<std::int64_t>(size)}};
  if (!ref_name.empty()) {
    entry["annotations"] = json::object{{kRefName, ref_name}};
  }
  kept.push_back(std::move(entry));
  index["manifests"] = std::move(kept);
  return write_file_atomically(dir_ / "index.json", json::serialize(index));
}

}  // namespace runtime::image
