#pragma once
// Errors of the container runtime: core::Error (a system error code, errno or runtime::errc below,
// plus a message for people). Callers branch on `code`; the ECS controller turns `message` into
// stoppedReason ("CannotPullContainerError: ...").

#include <system_error>

#include "core/result.h"

namespace runtime {

enum class errc {
  image_not_found = 1,  // reference or blob unknown to the ImageSource
  bad_image,            // manifest/config unreadable or unsupported
  bad_layer,            // malicious or corrupt layer (traversal, escape, device, oversize, digest)
  layer_too_large,
  digest_mismatch,
  container_exists,
  container_not_found,
  runc_failed,
  invalid_spec,  // the container definition cannot be run (no command, unknown user, ...)
};

const std::error_category& runtime_category();
inline std::error_code make_error_code(errc e) { return {static_cast<int>(e), runtime_category()}; }

using Error = core::Error;
template <class T>
using Result = core::Result<T>;

}  // namespace runtime

template <>
struct std::is_error_code_enum<runtime::errc> : std::true_type {};
