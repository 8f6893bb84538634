#include "runtime/image/layer_unpacker.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/image/sha256.h"

namespace runtime::image {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr std::size_t kChunk = 1 << 17;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

Error bad(std::string message) { return Error(errc::bad_layer, std::move(message)); }

std::string error_text(archive* a) {
  const char* text = archive_error_string(a);
  return text ? text : "unknown error";
}

// Splits an archive path into components; nullopt when it is absolute or has a ".." component.
// "./a//b/." → {"a", "b"}; "./" → {}.
std::optional<std::vector<std::string>> split_relative(std::string_view path) {
  if (path.starts_with('/')) {
    return std::nullopt;
  }
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    std::string_view part =
        path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (part == "..") {
      return std::nullopt;
    }
    if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
    if (slash == std::string_view::npos) {
      break;
    }
    pos = slash + 1;
  }
  return parts;
}

// True when a symlink at `parts` (its own name last) pointing to `target` stays inside the root:
// relative targets are resolved lexically from the link's directory; absolute ones are re-rooted.
bool symlink_stays_inside(const std::vector<std::string>& parts, std::string_view target) {
  if (target.empty()) {
    return false;
  }
  if (target.starts_with('/')) {
    return true;
  }
  long depth = static_cast<long>(parts.size()) - 1;
  std::size_t pos = 0;
  while (pos <= target.size()) {
    std::size_t slash = target.find('/', pos);
    std::string_view part =
        target.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (part == "..") {
      if (--depth < 0) {
        return false;
      }
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    pos = slash + 1;
  }
  return true;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    out += out.empty() ? "" : "/";
    out += p;
  }
  return out;
}

// Opens the directory `parts[0..count)` below `root`, creating missing directories (0755) when
// `create`. Never follows a symlink: a symlink component fails with ELOOP/ENOTDIR.
Result<Fd> open_dir(int root, const std::vector<std::string>& parts, std::size_t count,
                    bool create) {
  Fd current(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  for (std::size_t i = 0; i < count; ++i) {
    int fd =
        ::openat(current.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(current.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST) {
        return Error::from_errno(errno, "mkdir " + parts[i]);
      }
      fd = ::openat(current.get(), parts[i].c_str(),
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      int err = errno;
      if (err == ELOOP || err == ENOTDIR) {
        return bad("path goes through a symlink or a file: " + join(parts));
      }
      return Error::from_errno(err, "open " + parts[i]);
    }
    current = Fd(fd);
  }
  return current;
}

// Removes whatever is at `name` in `dir` (an empty directory included) so that a new entry can
// take its place. A non-empty directory is kept when `keep_dir` (tar re-stating a directory).
Result<void> clear_name(int dir, const std::string& name, bool keep_dir) {
  struct stat st;
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return errno == ENOENT ? Result<void>() : Error::from_errno(errno, "stat " + name);
  }
  if (S_ISDIR(st.st_mode)) {
    if (keep_dir) {
      return {};
    }
    if (::unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0) {
      return bad("entry replaces a non-empty directory: " + name);
    }
    return {};
  }
  if (::unlinkat(dir, name.c_str(), 0) != 0) {
    return Error::from_errno(errno, "unlink " + name);
  }
  return {};
}

// Feeds the decompressed stream to the tar reader while hashing and counting it.
struct Stream {
  archive* outer = nullptr;
  Sha256 hash;
  std::uint64_t bytes = 0;
  std::uint64_t limit = 0;
  bool too_large = false;
  std::vector<char> buffer = std::vector<char>(kChunk);

  la_ssize_t read(const void** out) {
    la_ssize_t n = archive_read_data(outer, buffer.data(), buffer.size());
    if (n > 0) {
      bytes += static_cast<std::uint64_t>(n);
      if (bytes > limit) {
        too_large = true;
        return -1;
      }
      hash.update(buffer.data(), static_cast<std::size_t>(n));
    }
    *out = buffer.data();
    return n;
  }
};

la_ssize_t read_callback(archive*, void* data, const void** out) {
  return static_cast<Stream*>(data)->read(out);
}

class Unpacker {
 public:
  Unpacker(int root, archive* tar) : root_(root), tar_(tar) {}

  // Unpacks one tar entry below the root. Every check on its name, link target and type is made
  // here or in the step it dispatches to, before anything is written.
  Result<void> entry(archive_entry* e) {
    const char* raw_name = archive_entry_pathname(e);
    std::string name = raw_name ? raw_name : "";
    std::optional<std::vector<std::string>> parts = split_relative(name);
    if (!parts) {
      return bad("path escapes the layer: " + name);
    }
    if (parts->empty()) {
      return {};  // "./": the root itself
    }
    const std::string& base = parts->back();
    Result<Fd> parent = open_dir(root_, *parts, parts->size() - 1, true);
    if (!parent) {
      return parent.error();
    }
    int dir = parent->get();
    if (base == kOpaqueMarker || base.starts_with(kWhiteoutPrefix)) {
      return oci_whiteout(dir, base, name);
    }
    if (const char* link = archive_entry_hardlink(e)) {
      return hardlink(dir, base, link, name);
    }
    return create(dir, *parts, name, e);
  }

 private:
  // An OCI whiteout entry: ".wh..wh..opq" makes its directory opaque, ".wh.<name>" hides <name>.
  Result<void> oci_whiteout(int dir, const std::string& base, const std::string& name) {
    if (base == kOpaqueMarker) {
      if (::fsetxattr(dir, "trusted.overlay.opaque", "y", 1, 0) != 0) {
        return Error::from_errno(errno, "set opaque on " + name);
      }
      return {};
    }
    std::string target = base.substr(kWhiteoutPrefix.size());
    if (target.empty() || target == "." || target == "..") {
      return bad("bad whiteout: " + name);
    }
    return whiteout(dir, target);
  }

  // Creates the entry's node by type (directory, file, symlink, fifo, 0/0 whiteout), then its
  // owner, mode and times. Devices other than 0/0 are refused; sockets and unknown types skipped.
  Result<void> create(int dir, const std::vector<std::string>& parts, const std::string& name,
                      archive_entry* e) {
    const std::string& base = parts.back();
    mode_t type = archive_entry_filetype(e);
    mode_t perm = archive_entry_perm(e) & 07777;
    switch (type) {
      case AE_IFDIR: {
        if (Result<void> r = clear_name(dir, base, true); !r) {
          return r;
        }
        if (::mkdirat(dir, base.c_str(), perm | 0700) != 0 && errno != EEXIST) {
          return Error::from_errno(errno, "mkdir " + name);
        }
        break;
      }
      case AE_IFREG:
        if (Result<void> r = create_file(dir, base, name); !r) {
          return r;
        }
        break;
      case AE_IFLNK:
        if (Result<void> r = create_symlink(dir, parts, name, archive_entry_symlink(e)); !r) {
          return r;
        }
        break;
      case AE_IFCHR:
        if (archive_entry_rdevmajor(e) == 0 && archive_entry_rdevminor(e) == 0) {
          return whiteout(dir, base);  // already an overlayfs-style whiteout
        }
        return bad("device node in layer: " + name);
      case AE_IFBLK:
        return bad("device node in layer: " + name);
      case AE_IFIFO:
        if (Result<void> r = clear_name(dir, base, false); !r) {
          return r;
        }
        if (::mkfifoat(dir, base.c_str(), 0600) != 0) {
          return Error::from_errno(errno, "mkfifo " + name);
        }
        break;
      default:
        return {};  // sockets and unknown types carry no data: skip
    }
    return finish(dir, base, e, type, perm);
  }

  // A new regular file (never through a symlink) holding the entry's data.
  Result<void> create_file(int dir, const std::string& base, const std::string& name) {
    if (Result<void> r = clear_name(dir, base, false); !r) {
      return r;
    }
    Fd out(::openat(dir, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.ok()) {
      return Error::from_errno(errno, "create " + name);
    }
    return copy_data(out.get(), name);
  }

  // A symlink whose target must not climb above the layer root.
  Result<void> create_symlink(int dir, const std::vector<std::string>& parts,
                              const std::string& name, const char* target) {
    if (!target || !symlink_stays_inside(parts, target)) {
      return bad("symlink escapes the layer: " + name + " -> " + (target ? target : ""));
    }
    const std::string& base = parts.back();
    if (Result<void> r = clear_name(dir, base, false); !r) {
      return r;
    }
    if (::symlinkat(target, dir, base.c_str()) != 0) {
      return Error::from_errno(errno, "symlink " + name);
    }
    return {};
  }

  Result<void> whiteout(int dir, const std::string& target) {
    if (Result<void> r = clear_name(dir, target, false); !r) {
      return r;
    }
    if (::mknodat(dir, target.c_str(), S_IFCHR | 0000, makedev(0, 0)) != 0) {
      return Error::from_errno(errno, "whiteout " + target);
    }
    return {};
  }

  Result<void> hardlink(int dir, const std::string& base, const char* link,
                        const std::string& name) {
    std::optional<std::vector<std::string>> target = split_relative(link);
    if (!target || target->empty()) {
      return bad("hard link escapes the layer: " + name + " -> " + link);
    }
    Result<Fd> target_dir = open_dir(root_, *target, target->size() - 1, false);
    if (!target_dir) {
      return bad("hard link target not in the layer: " + name + " -> " + link);
    }
    struct stat st;
    if (::fstatat(target_dir->get(), target->back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        S_ISDIR(st.st_mode)) {
      return bad("hard link target not in the layer: " + name + " -> " + link);
    }
    if (Result<void> r = clear_name(dir, base, false); !r) {
      return r;
    }
    if (::linkat(target_dir->get(), target->back().c_str(), dir, base.c_str(), 0) != 0) {
      return Error::from_errno(errno, "link " + name);
    }
    return {};
  }

  Result<void> copy_data(int fd, const std::string& name) {
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    for (;;) {
      int r = archive_read_data_block(tar_, &block, &size, &offset);
      if (r == ARCHIVE_EOF) {
        return {};
      }
      if (r < ARCHIVE_WARN) {
        return bad("cannot read " + name + ": " + error_text(tar_));
      }
      const char* p = static_cast<const char*>(block);
      std::size_t left = size;
      while (left > 0) {
        ssize_t n = ::pwrite(fd, p, left, offset);
        if (n < 0) {
          return Error::from_errno(errno, "write " + name);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
        offset += n;
      }
    }
  }

  // Owner, mode, xattrs and mtime, never following a symlink.
  Result<void> finish(int dir, const std::string& base, archive_entry* e, mode_t type,
                      mode_t perm) {
    const char* b = base.c_str();
    if (::fchownat(dir, b, static_cast<uid_t>(archive_entry_uid(e)),
                   static_cast<gid_t>(archive_entry_gid(e)), AT_SYMLINK_NOFOLLOW) != 0) {
      return Error::from_errno(errno, "chown " + base);
    }
    if (type != AE_IFLNK) {
      if (::fchmodat(dir, b, perm, 0) != 0) {
        return Error::from_errno(errno, "chmod " + base);
      }
      archive_entry_xattr_reset(e);
      const char* xname = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      while (archive_entry_xattr_next(e, &xname, &value, &size) == ARCHIVE_OK) {
        // trusted.* (overlayfs' own attributes) is never taken from a layer.
        if (std::string_view(xname).starts_with("trusted.")) {
          continue;
        }
        Fd fd(::openat(dir, b, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
        if (fd.ok()) {
          (void)::fsetxattr(fd.get(), xname, value, size, 0);
        }
      }
    }
    struct timespec times[2];
    times[0].tv_sec = times[1].tv_sec = archive_entry_mtime(e);
    times[0].tv_nsec = times[1].tv_nsec = archive_entry_mtime_nsec(e);
    (void)::utimensat(dir, b, times, AT_SYMLINK_NOFOLLOW);
    return {};
  }

  int root_;
  archive* tar_;
};

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

// Reads the tar from `stream` into `dest`; the caller turns errors into layer_too_large when the
// stream ran over its limit.
Result<void> unpack_stream(Stream& stream, const fs::path& dest, const UnpackLimits& limits) {
  ArchivePtr tar(archive_read_new(), &archive_read_free);
  archive_read_support_format_tar(tar.get());
  if (archive_read_open(tar.get(), &stream, nullptr, &read_callback, nullptr) != ARCHIVE_OK) {
    return bad("not a tar: " + error_text(tar.get()));
  }
  Fd root(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root.ok()) {
    return Error::from_errno(errno, "open " + dest.string());
  }
  Unpacker unpacker(root.get(), tar.get());
  std::uint64_t entries = 0;
  for (;;) {
    archive_entry* e = nullptr;
    int r = archive_read_next_header(tar.get(), &e);
    if (r == ARCHIVE_EOF) {
      break;
    }
    if (r < ARCHIVE_WARN) {
      return bad("corrupt tar: " + error_text(tar.get()));
    }
    if (++entries > limits.max_entries) {
      return bad("layer has more than " + std::to_string(limits.max_entries) + " entries");
    }
    if (Result<void> done = unpacker.entry(e); !done) {
      return done;
    }
  }
  // The diff_id covers the whole stream, including the end-of-archive blocks the tar reader left.
  const void* block = nullptr;
  la_ssize_t n = 0;
  while ((n = stream.read(&block)) > 0) {
  }
  if (n < 0) {
    return bad("cannot decompress layer: " + error_text(stream.outer));
  }
  return {};
}

}  // namespace

Result<std::string> unpack_layer(const fs::path& blob, const fs::path& dest,
                                 const UnpackLimits& limits) {
  ArchivePtr outer(archive_read_new(), &archive_read_free);
  archive_read_support_filter_all(outer.get());
  archive_read_support_format_raw(outer.get());
  if (archive_read_open_filename(outer.get(), blob.c_str(), kChunk) != ARCHIVE_OK) {
    return bad("cannot open layer " + blob.string() + ": " + error_text(outer.get()));
  }
  archive_entry* raw_entry = nullptr;
  if (archive_read_next_header(outer.get(), &raw_entry) != ARCHIVE_OK) {
    return bad("cannot decompress layer: " + error_text(outer.get()));
  }
  Stream stream;
  stream.outer = outer.get();
  stream.limit = limits.max_layer_bytes;
  Result<void> done = unpack_stream(stream, dest, limits);
  if (stream.too_large) {
    return Error(errc::layer_too_large,
                 "layer larger than " + std::to_string(limits.max_layer_bytes) + " bytes");
  }
  if (!done) {
    return done.error();
  }
  return stream.hash.digest();
}

}  // namespace runtime::image
