#pragma once
// Errors of the network plane: core::Error (a system error code, errno or netplane::errc below,
// plus a message for people). Callers branch on `code`; the ECS adapter turns `message` into a
// task's stoppedReason ("ResourceInitializationError: ...").

#include <system_error>

#include "core/result.h"

namespace netplane {

enum class errc {
  bad_spec = 1,    // an address, CIDR, MAC or name that cannot be parsed or used
  not_found,       // namespace, VPC or link that does not exist
  exists,          // object already exists where the caller asked for a new one
  netlink_failed,  // rtnetlink (libnl) refused a request
  nft_failed,      // libnftables refused a ruleset
  timed_out,       // connect_in_netns gave up
};

const std::error_category& netplane_category();
inline std::error_code make_error_code(errc e) {
  return {static_cast<int>(e), netplane_category()};
}

using Error = core::Error;
template <class T>
using Result = core::Result<T>;

}  // namespace netplane

template <>
struct std::is_error_code_enum<netplane::errc> : std::true_type {};
