#pragma once
// Builds an AlbSnapshot (alb_snapshot.h) from every account's and region's ELBv2 rows.

#include <memory>

#include "services/elbv2/alb_snapshot.h"
#include "store/transaction.h"

namespace services::elbv2 {

// Reads within `tx` (a read transaction is enough). version and built_at are left to the caller.
std::shared_ptr<AlbSnapshot> build_snapshot(store::Transaction& tx);

}  // namespace services::elbv2
