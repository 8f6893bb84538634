#pragma once
// Databases written before Gantry used DynamoDB's partition hash (item_keys.h) hold their item
// rows under the old one; migration 0020 leaves the setting 'rekey_partitions' in ddb_settings
// for them. rekey_partitions rewrites every table's item and index rows under the current hash
// and removes the setting, in one transaction, before the service serves.
//
//   rekey_partitions(db);   // does nothing on a new or already rewritten database
//
// Backups keep their rows as they were: a restore computes each item's key again.

#include "store/db.h"

namespace services::dynamodb {

void rekey_partitions(store::Db& db);

}  // namespace services::dynamodb
