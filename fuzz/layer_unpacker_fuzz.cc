// The layer unpacker on untrusted blobs: tar (plain, gzip, zstd, ...) with its path, link, device
// and size rules. Each run writes the input as the blob, unpacks it into an empty `layer`
// directory, checks that nothing appeared beside it (an escape is a finding even when the
// unpacker reports success), then wipes the layer.
//
// Runs in $GANTRY_FUZZ_TMP, else /dev/shm, else the temp directory. As root (needed for chown
// and whiteouts) it first sandboxes itself: a private mount namespace in which every mount is
// read-only except a fresh tmpfs for the layers and $GANTRY_FUZZ_WRITABLE (libFuzzer's scratch
// corpus and artifacts; scripts/fuzz.sh sets both), so that an escape cannot write system files.

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "fuzz/fuzz_support.h"
#include "runtime/image/layer_unpacker.h"

namespace {

namespace fs = std::filesystem;

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

// Everything read-only but `root` (a new tmpfs) and `writable`, in a mount namespace of our own.
void sandbox(const fs::path& root, const char* writable) {
  if (::unshare(CLONE_NEWNS) != 0) die("unshare(CLONE_NEWNS)");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) die("mount private");
  struct mount_attr ro {};
  ro.attr_set = MOUNT_ATTR_RDONLY;
  if (::mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof ro) != 0) die("mount_setattr ro");
  if (writable != nullptr) {
    if (::mount(writable, writable, nullptr, MS_BIND, nullptr) != 0) die("bind writable");
    struct mount_attr rw {};
    rw.attr_clr = MOUNT_ATTR_RDONLY;
    if (::mount_setattr(AT_FDCWD, writable, 0, &rw, sizeof rw) != 0) die("mount_setattr rw");
  }
  if (::mount("tmpfs", root.c_str(), "tmpfs", 0, "size=256m,mode=0700") != 0) die("mount tmpfs");
}

struct Workdir {
  fs::path root;
  Workdir() {
    const char* env = std::getenv("GANTRY_FUZZ_TMP");
    fs::path base = env != nullptr         ? fs::path(env)
                    : fs::is_directory("/dev/shm") ? fs::path("/dev/shm")
                                                   : fs::temp_directory_path();
    root = base / ("gantry-unpack-fuzz-" + std::to_string(getpid()));
    fs::create_directories(root);
    if (::geteuid() == 0) sandbox(root, std::getenv("GANTRY_FUZZ_WRITABLE"));
    fs::create_directories(root / "outside");
  }
  ~Workdir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

// Only blob, layer and the empty outside/ may exist under the root after a run.
bool nothing_escaped(const fs::path& root) {
  if (!fs::is_empty(root / "outside")) return false;
  for (const auto& entry : fs::directory_iterator(root)) {
    std::string name = entry.path().filename();
    if (name != "blob" && name != "layer" && name != "outside") return false;
  }
  return true;
}

Workdir& workdir() {
  static Workdir dir;
  return dir;
}

}  // namespace

// Sandboxes before libFuzzer reads or writes any corpus file.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)workdir();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Workdir& dir = workdir();
  fs::path blob = dir.root / "blob";
  fs::path layer = dir.root / "layer";
  std::ofstream(blob, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  fs::create_directories(layer);
  // Small limits keep a run fast; the limit checks themselves are what is exercised.
  runtime::image::UnpackLimits limits{.max_layer_bytes = 4 << 20, .max_entries = 2048};
  (void)runtime::image::unpack_layer(blob, layer, limits);
  if (!nothing_escaped(dir.root)) {
    std::fprintf(stderr, "layer_unpacker_fuzz: an entry was written outside the layer\n");
    std::abort();
  }
  // A layer may leave directories without write or search permission: restore them first.
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(layer, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
  }
  fs::remove_all(layer, ec);
  return 0;
}
