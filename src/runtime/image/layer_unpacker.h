#pragma once
// Unpacks one image layer (a tar, plain or compressed with anything libarchive reads: gzip, zstd,
// xz, ...) into a directory, as an overlayfs lower layer: OCI whiteouts become overlayfs ones
// (".wh.<name>" → a 0/0 character device <name>; ".wh..wh..opq" → trusted.overlay.opaque=y on the
// directory).
//
// Nothing is ever written outside `dest`: every path is opened component by component with
// O_NOFOLLOW from `dest`, so a symlink in the layer is never followed while unpacking. Rejected
// with errc::bad_layer (or layer_too_large): absolute entry names and ".." components, symlinks
// whose relative target climbs above the layer root, hard links whose target is absolute, climbs
// or is not in the layer, block and character devices other than 0/0 whiteouts, entries under a
// symlink, and streams larger than the limit. Absolute symlink targets ("/bin/busybox", as Alpine
// ships) are kept: they resolve inside the container's root, never on the host.

#include <cstdint>
#include <filesystem>
#include <string>

#include "runtime/result.h"

namespace runtime::image {

struct UnpackLimits {
  std::uint64_t max_layer_bytes = std::uint64_t{8} << 30;  // uncompressed tar stream
  std::uint64_t max_entries = 2'000'000;
};

// Unpacks `blob` into `dest` (an existing empty directory). Returns the sha256 of the uncompressed
// tar stream ("sha256:<hex>"), i.e. the layer's diff_id; the caller compares it.
Result<std::string> unpack_layer(const std::filesystem::path& blob,
                                 const std::filesystem::path& dest, const UnpackLimits& limits);

}  // namespace runtime::image
