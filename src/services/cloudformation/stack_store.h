#pragma once
// CloudFormation rows <-> SQL (migrations/0016_cloudformation.sql), inside a caller's
// Transaction. Plain structs in and out (model.h); wire shapes live in cloudformation_json.cc.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/cloudformation/model.h"
#include "store/transaction.h"

namespace services::cloudformation {

class StackStore {
 public:
  explicit StackStore(store::Transaction& tx) : tx_(tx) {}

  // Stacks. `find` takes a name (the live stack of that name) or a stack id (any, deleted
  // included), as the API's StackName parameter does.
  std::optional<Stack> find(std::string_view account, std::string_view region,
                            std::string_view name_or_id);
  std::optional<Stack> find_by_id(std::string_view stack_id);
  std::vector<Stack> list(std::string_view account, std::string_view region);  // by creation
  void insert(const Stack& s);
  void update(const Stack& s);  // every column, by stack_id

  // Resources, in the order inserted (template order on create).
  std::vector<StackResource> resources(std::string_view stack_id);
  std::optional<StackResource> resource(std::string_view stack_id, std::string_view logical_id);
  void put_resource(const StackResource& r);  // insert or replace
  void erase_resource(std::string_view stack_id, std::string_view logical_id);

  // Events: append numbers them; `events` lists newest first.
  StackEvent append_event(StackEvent e);
  std::vector<StackEvent> events(std::string_view stack_id);

  // Exports and imports.
  std::optional<Export> find_export(std::string_view account, std::string_view region,
                                    std::string_view name);
  std::vector<Export> exports(std::string_view account, std::string_view region);
  std::vector<Export> exports_of(std::string_view stack_id);
  void put_export(const Export& e);
  void erase_exports(std::string_view stack_id);
  // The stacks importing `export_name`.
  std::vector<std::string> importers(std::string_view account, std::string_view region,
                                     std::string_view export_name);
  void set_imports(const Stack& s, const std::vector<std::string>& export_names);

  // Change sets. `find_change_set` takes an id, or a name with its stack's id. An executed change
  // set is found by its id only, and is not listed (AWS removes a stack's change sets once one
  // is executed: its name may be used again).
  std::optional<ChangeSet> find_change_set(std::string_view id_or_name,
                                           std::string_view stack_id = {});
  std::vector<ChangeSet> change_sets(std::string_view stack_id);
  void put_change_set(const ChangeSet& c);  // insert or replace
  void erase_change_set(std::string_view change_set_id);
  void erase_change_sets(std::string_view stack_id);

  void put_signal(std::string_view stack_id, std::string_view logical_id,
                  std::string_view unique_id, std::string_view status, int64_t at_ms);
  int64_t count_signals(std::string_view stack_id, std::string_view logical_id,
                        std::string_view status);

 private:
  store::Transaction& tx_;
};

}  // namespace services::cloudformation
