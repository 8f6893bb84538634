#include "netplane/result.h"

#include "core/error_category.h"

namespace netplane {

const std::error_category& netplane_category() {
  static const core::ListedCategory category(
      "netplane", {"bad network spec", "not found", "already exists", "netlink request failed",
                   "nftables ruleset rejected", "timed out"});
  return category;
}

}  // namespace netplane
