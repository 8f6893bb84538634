// OciLayoutSource::import_archive: `gantry image load` of an OCI layout (directory or tar) or a
// `docker save` tar (legacy manifest.json + <id>/layer.tar, or Docker 25+'s OCI layout inside).
// Every regular file of the archive is staged with its sha256; files under blobs/sha256/ must
// match their names. Then index.json (OCI) or manifest.json (legacy Docker) decides what is kept.

#include <archive.h>
#include <archive_entry.h>

#include <boost/json.hpp>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>

#include "core/ids.h"
#include "core/json.h"
#include "runtime/image/image.h"
#include "runtime/image/oci_layout_source.h"
#include "runtime/image/sha256.h"

namespace runtime::image {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::size_t kMaxJsonFile = 4 << 20;

struct Staged {
  fs::path path;
  std::string digest;
  std::size_t size = 0;
};

// A chunk reader: returns bytes read, 0 at end, -1 on error.
using ReadChunk = std::function<long(char* buf, std::size_t cap)>;

class Stager {
 public:
  explicit Stager(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
  ~Stager() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Result<void> add(std::string name, const ReadChunk& read) {
    while (name.starts_with("./")) {
      name.erase(0, 2);
    }
    Staged s;
    s.path = dir_ / std::to_string(files_.size());
    std::ofstream out(s.path, std::ios::binary);
    Sha256 hash;
    char buf[1 << 16];
    for (;;) {
      long n = read(buf, sizeof buf);
      if (n < 0) {
        return Error(errc::bad_image, "cannot read " + name + " from the archive");
      }
      if (n == 0) {
        break;
      }
      hash.update(buf, static_cast<std::size_t>(n));
      out.write(buf, n);
      s.size += static_cast<std::size_t>(n);
    }
    if (!out.flush()) {
      return Error::from_errno(errno, "write " + s.path.string());
    }
    s.digest = hash.digest();
    if (name.starts_with("blobs/sha256/") && s.digest.substr(7) != name.substr(13)) {
      return Error(errc::digest_mismatch, "blob " + name + " does not match its digest");
    }
    files_[name] = std::move(s);
    return {};
  }

  const Staged* find(const std::string& name) const {
    auto it = files_.find(name);
    return it == files_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, Staged>& files() const { return files_; }

  Result<json::value> read_json(const std::string& name) const {
    const Staged* s = find(name);
    if (!s || s->size > kMaxJsonFile) {
      return Error(errc::bad_image, name + " missing or too large");
    }
    std::ifstream in(s->path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(buffer.str(), ec);
    if (ec) {
      return Error(errc::bad_image, name + " is not JSON");
    }
    return v;
  }

 private:
  fs::path dir_;
  std::map<std::string, Staged> files_;
};

Result<void> stage_tar(const fs::path& archive_path, Stager& stager) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), &archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return Error(errc::bad_image,
                 "cannot open " + archive_path.string() + ": " + archive_error_string(a.get()));
  }
  archive_entry* entry = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) {
      return {};
    }
    if (r < ARCHIVE_WARN) {
      return Error(errc::bad_image, std::string("bad archive: ") + archive_error_string(a.get()));
    }
    if (archive_entry_filetype(entry) != AE_IFREG) {
      continue;
    }
    archive* raw = a.get();
    Result<void> added =
        stager.add(archive_entry_pathname(entry), [raw](char* buf, std::size_t cap) {
          return static_cast<long>(archive_read_data(raw, buf, cap));
        });
    if (!added) {
      return added;
    }
  }
}

Result<void> stage_dir(const fs::path& dir, Stager& stager) {
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.is_symlink()) {
      continue;
    }
    std::ifstream in(e.path(), std::ios::binary);
    Result<void> added =
        stager.add(fs::relative(e.path(), dir).string(), [&in](char* buf, std::size_t cap) {
          in.read(buf, static_cast<std::streamsize>(cap));
          return in.bad() ? -1L : static_cast<long>(in.gcount());
        });
    if (!added) {
      return added;
    }
  }
  return {};
}

// Copies a staged blob into the layout's blobs/sha256/ unless it is there already.
Result<void> keep_blob(const fs::path& layout_dir, const Staged& s) {
  fs::path dest = layout_dir / "blobs" / "sha256" / s.digest.substr(7);
  std::error_code e;
  if (!fs::exists(dest, e)) {
    fs::copy_file(s.path, dest, fs::copy_options::overwrite_existing, e);
    if (e) {
      return Error(e, "store blob " + s.digest);
    }
  }
  return {};
}

// The name an index.json entry gives its image: containerd's annotation, else the OCI ref name.
std::string index_entry_name(const json::object& entry) {
  std::string name;
  if (const json::value* a = entry.if_contains("annotations"); a && a->is_object()) {
    name = core::str(a->as_object(), "io.containerd.image.name");
    if (name.empty()) {
      name = core::str(a->as_object(), "org.opencontainers.image.ref.name");
    }
  }
  return name;
}

// An OCI layout (also what Docker 25+ saves): every blob is kept and every index.json entry
// tagged. Docker 25+ also writes manifest.json with RepoTags per config; index annotations win.
Result<std::vector<std::string>> import_oci_index(OciLayoutSource& layout, const Stager& stager) {
  for (const auto& [name, s] : stager.files()) {
    if (name.starts_with("blobs/sha256/")) {
      if (Result<void> r = keep_blob(layout.dir(), s); !r) {
        return r.error();
      }
    }
  }
  Result<json::value> index = stager.read_json("index.json");
  if (!index || !index->is_object() || !index->as_object().contains("manifests")) {
    return Error(errc::bad_image, "index.json has no manifests");
  }
  std::vector<std::string> added;
  for (const json::value& m : index->as_object().at("manifests").as_array()) {
    if (!m.is_object()) {
      continue;
    }
    const json::object& entry = m.as_object();
    std::string digest = core::str(entry, "digest");
    if (!layout.blob_path(digest)) {
      return Error(errc::bad_image, "index.json names missing blob " + digest);
    }
    std::string name = index_entry_name(entry);
    const json::value* size = entry.if_contains("size");
    Result<void> t =
        layout.tag(digest, core::str(entry, "mediaType"),
                   size && size->is_int64() ? static_cast<std::size_t>(size->as_int64()) : 0, name);
    if (!t) {
      return t.error();
    }
    added.push_back(name.empty() ? digest : name);
  }
  return added;
}

// The OCI descriptor of a docker save layer. docker save writes layers uncompressed; a gzip one
// starts with 1f 8b.
json::object layer_descriptor(const Staged& layer) {
  std::ifstream in(layer.path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  bool gzip = magic[0] == 0x1f && magic[1] == 0x8b;
  return json::object{{"mediaType", gzip ? "application/vnd.oci.image.layer.v1.tar+gzip"
                                         : "application/vnd.oci.image.layer.v1.tar"},
                      {"digest", layer.digest},
                      {"size", static_cast<std::int64_t>(layer.size)}};
}

// The OCI manifest for one manifest.json entry of a docker save archive; its config and layers
// are kept in the layout.
Result<json::object> oci_manifest_of(const fs::path& layout_dir, const Stager& stager,
                                     const json::object& entry) {
  const Staged* config = stager.find(core::str(entry, "Config"));
  if (!config) {
    return Error(errc::bad_image, "manifest.json names a missing config");
  }
  if (Result<void> r = keep_blob(layout_dir, *config); !r) {
    return r.error();
  }
  json::array layers;
  const json::value* layer_names = entry.if_contains("Layers");
  if (!layer_names || !layer_names->is_array()) {
    return Error(errc::bad_image, "manifest.json entry has no Layers");
  }
  for (const json::value& l : layer_names->as_array()) {
    const Staged* layer = l.is_string() ? stager.find(std::string(l.as_string())) : nullptr;
    if (!layer) {
      return Error(errc::bad_image, "manifest.json names a missing layer");
    }
    if (Result<void> r = keep_blob(layout_dir, *layer); !r) {
      return r.error();
    }
    layers.push_back(layer_descriptor(*layer));
  }
  return json::object{
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
      {"config", json::object{{"mediaType", "application/vnd.oci.image.config.v1+json"},
                              {"digest", config->digest},
                              {"size", static_cast<std::int64_t>(config->size)}}},
      {"layers", std::move(layers)}};
}

// An entry's RepoTags; one empty name (untagged) when it has none.
std::vector<std::string> repo_tags(const json::object& entry) {
  std::vector<std::string> names;
  if (const json::value* tags = entry.if_contains("RepoTags"); tags && tags->is_array()) {
    for (const json::value& t : tags->as_array()) {
      if (t.is_string()) {
        names.emplace_back(t.as_string());
      }
    }
  }
  if (names.empty()) {
    names.emplace_back();
  }
  return names;
}

// A legacy docker save archive: manifest.json lists config and layer tars per image, which
// become an OCI manifest tagged with the image's RepoTags.
Result<std::vector<std::string>> import_docker_save(OciLayoutSource& layout, const Stager& stager) {
  Result<json::value> manifest = stager.read_json("manifest.json");
  if (!manifest || !manifest->is_array()) {
    return Error(errc::bad_image, "neither an OCI layout nor a docker save archive");
  }
  std::vector<std::string> added;
  for (const json::value& m : manifest->as_array()) {
    if (!m.is_object()) {
      continue;
    }
    const json::object& entry = m.as_object();
    Result<json::object> oci = oci_manifest_of(layout.dir(), stager, entry);
    if (!oci) {
      return oci.error();
    }
    std::string bytes = json::serialize(*oci);
    Result<std::string> digest = layout.put_blob(bytes);
    if (!digest) {
      return digest.error();
    }
    for (const std::string& name : repo_tags(entry)) {
      Result<void> t =
          layout.tag(*digest, "application/vnd.oci.image.manifest.v1+json", bytes.size(), name);
      if (!t) {
        return t.error();
      }
      added.push_back(name.empty() ? *digest : name);
    }
  }
  return added;
}

}  // namespace

Result<std::vector<std::string>> OciLayoutSource::import_archive(const fs::path& archive_path) {
  Stager stager(dir_ / (".import-" + core::ids::random_hex(12)));
  std::error_code ec;
  Result<void> staged = fs::is_directory(archive_path, ec) ? stage_dir(archive_path, stager)
                                                           : stage_tar(archive_path, stager);
  if (!staged) {
    return staged.error();
  }
  if (stager.find("index.json")) {
    return import_oci_index(*this, stager);
  }
  return import_docker_save(*this, stager);
}

}  // namespace runtime::image
