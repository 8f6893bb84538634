#include "runtime/result.h"

#include "core/error_category.h"

namespace runtime {

const std::error_category& runtime_category() {
  static const core::ListedCategory category(
      "runtime",
      {"image not found", "bad image", "bad layer", "layer too large", "digest mismatch",
       "container exists", "container not found", "runc failed", "invalid container spec"});
  return category;
}

}  // namespace runtime
