#include "services/dynamodb/dynamodb_service.h"

namespace services::dynamodb {

void DynamoDbService::register_operations(protocol::ServiceRegistry& registry) {
  using S = DynamoDbService;
  registry.add(
      "dynamodb",
      {
          {"CreateTable", protocol::method(this, &S::create_table)},
          {"DescribeTable", protocol::method(this, &S::describe_table)},
          {"DeleteTable", protocol::method(this, &S::delete_table)},
          {"ListTables", protocol::method(this, &S::list_tables)},
          {"UpdateTable", protocol::method(this, &S::update_table)},
          {"TagResource", protocol::method(this, &S::tag_resource)},
          {"UntagResource", protocol::method(this, &S::untag_resource)},
          {"ListTagsOfResource", protocol::method(this, &S::list_tags_of_resource)},
          {"PutResourcePolicy", protocol::method(this, &S::put_resource_policy)},
          {"GetResourcePolicy", protocol::method(this, &S::get_resource_policy)},
          {"DeleteResourcePolicy", protocol::method(this, &S::delete_resource_policy)},
          {"DescribeLimits", protocol::method(this, &S::describe_limits)},
          {"DescribeEndpoints", protocol::method(this, &S::describe_endpoints)},
          {"UpdateTimeToLive", protocol::method(this, &S::update_time_to_live)},
          {"DescribeTimeToLive", protocol::method(this, &S::describe_time_to_live)},
          {"DescribeContinuousBackups", protocol::method(this, &S::describe_continuous_backups)},
          {"UpdateContinuousBackups", protocol::method(this, &S::update_continuous_backups)},
          {"CreateBackup", protocol::method(this, &S::create_backup)},
          {"DescribeBackup", protocol::method(this, &S::describe_backup)},
          {"ListBackups", protocol::method(this, &S::list_backups)},
          {"DeleteBackup", protocol::method(this, &S::delete_backup)},
          {"RestoreTableFromBackup", protocol::method(this, &S::restore_table_from_backup)},
          {"PutItem", protocol::method(this, &S::put_item)},
          {"GetItem", protocol::method(this, &S::get_item)},
          {"DeleteItem", protocol::method(this, &S::delete_item)},
          {"UpdateItem", protocol::method(this, &S::update_item)},
          {"Query", protocol::method(this, &S::query)},
          {"Scan", protocol::method(this, &S::scan)},
          {"BatchGetItem", protocol::method(this, &S::batch_get_item)},
          {"BatchWriteItem", protocol::method(this, &S::batch_write_item)},
          {"TransactGetItems", protocol::method(this, &S::transact_get_items)},
          {"TransactWriteItems", protocol::method(this, &S::transact_write_items)},
          {"ExecuteStatement", protocol::method(this, &S::execute_statement)},
          {"BatchExecuteStatement", protocol::method(this, &S::batch_execute_statement)},
          {"ExecuteTransaction", protocol::method(this, &S::execute_transaction)},
      });
}

void DynamoDbService::reset() {
  catalog_.clear();
  tokens_.clear();
}

}  // namespace services::dynamodb
