#pragma once
// One stack operation, run by StackWorker on its own thread (stack_worker.h): the steps of
// create, update and delete, with their rollbacks, and the events each step writes.
// stack_run.cc holds the per-resource steps; stack_operations.cc the operations built from them.

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/cloudformation/engine/stack_plan.h"
#include "services/cloudformation/model.h"
#include "services/cloudformation/stack_worker.h"

namespace services::cloudformation {

// A stack's plan with the evaluator over it (the evaluator keeps references into the plan).
// Both on the heap: a PlannedStack moves, the evaluator's references must not.
struct PlannedStack {
  std::unique_ptr<engine::StackPlan> plan;
  std::unique_ptr<engine::Evaluator> eval;
};

class StackRun {
 public:
  StackRun(StackWorker& worker, std::string stack_id);

  void create();
  void update();
  void remove();

 private:
  // --- stack_run.cc: state, events, the per-resource steps.
  Stack load();
  void set_status(const std::string& status, const std::string& reason = {});
  void stack_event(const std::string& status, const std::string& reason = {});
  void resource_event(const StackResource& r, const std::string& reason = {});
  // Writes the row (unless !persist: a replaced resource's old half) and its event.
  void save(StackResource& r, const std::string& status, const std::string& reason = {},
            bool persist = true);
  protocol::Result<PlannedStack> plan(const std::string& body, const boost::json::array& params);
  engine::EvalHooks hooks();
  const engine::ResourceValues* values_of(std::string_view logical_id);
  void set_values(const std::string& logical_id, engine::ResourceValues v);
  bool cancelled();
  // Gantry is shutting down: the operation stops where it is, without rolling back (the stack
  // is marked failed at the next start, see CloudFormationModule).
  bool stopping();

  // Resolves the declaration's properties: `stored` (intrinsics evaluated) and `applied`
  // (dynamic references resolved too, given to the provider).
  struct Resolved {
    boost::json::value stored, applied;
  };
  protocol::Result<Resolved> resolve(const engine::Evaluator& eval, const engine::ResourceDecl& d);
  // Creates one resource (events CREATE_IN_PROGRESS ... CREATE_COMPLETE / CREATE_FAILED). When
  // `replacing` holds the old row, writes UPDATE_* events as a replacement does.
  bool create_one(const engine::Evaluator& eval, const engine::ResourceDecl& d,
                  const StackResource* replacing = nullptr);
  // Updates one resource in place from `old` to the declaration's properties.
  bool update_one(const engine::Evaluator& eval, const engine::ResourceDecl& d,
                  const StackResource& old, const Resolved& props);
  // Puts `old`'s properties back on the live resource (an update's rollback).
  bool revert_one(const StackResource& now, const StackResource& old);
  // What deleting a resource does to its row: keep it (with its DELETE_* status), forget it (a
  // resource removed by an update), or leave it alone (the old half of a replacement, whose
  // logical id now names the new resource).
  enum class RowMode { Keep, Forget, EventsOnly };
  // Deletes one resource (DELETE_IN_PROGRESS ... DELETE_COMPLETE / DELETE_FAILED, or
  // DELETE_SKIPPED when `retain`).
  bool delete_one(StackResource row, bool retain, RowMode mode);
  protocol::Result<void> stabilize(engine::ResourceProvider& p, const engine::ResourceRequest& req);
  // Runs `fn` for each id of a wave on its own thread; false when any returned false.
  bool run_wave(const std::vector<std::string>& ids, const std::function<bool(const std::string&)>& fn);
  // Deletes the rows given in reverse dependency order (`order`: the creation order to reverse).
  bool delete_rows(std::vector<StackResource> rows,
                   const std::vector<std::vector<std::string>>& waves, RowMode mode,
                   const std::set<std::string>& retain);
  // Outputs resolved, exports checked; false (and the reason) when an export clashes.
  std::optional<std::string> finish_outputs(const PlannedStack& ps, Stack& s);

  // --- stack_operations.cc: the operations' halves.
  bool create_all(const PlannedStack& ps, std::vector<std::string>& failed);
  void roll_back_create(const std::vector<std::vector<std::string>>& waves,
                        const std::set<std::string>& retain);
  bool update_all(const PlannedStack& ps, const std::vector<StackResource>& before,
                  std::vector<std::string>& failed);
  void roll_back_update(const std::vector<StackResource>& before, const std::string& reason);
  void cleanup_after_update(const PlannedStack& ps, const std::vector<StackResource>& before);

  StackWorker& w_;
  std::string stack_id_;
  engine::StackIdentity identity_;
  engine::DynamicReferenceHooks refs_;
  std::mutex mu_;
  std::map<std::string, engine::ResourceValues, std::less<>> values_;
  std::set<std::string> imports_;
  // Update bookkeeping: the rows replaced (their old physical resources, deleted at cleanup).
  std::vector<StackResource> replaced_;
  std::vector<std::string> touched_;  // logical ids updated in place or created, in order
};

// The logical ids kept when the stack's resources are deleted (DeletionPolicy).
std::set<std::string> retained_ids(const engine::Template& t, bool on_create_rollback);

// "Resource handler returned message: ..." for a provider's error, as CloudFormation words it.
std::string handler_reason(const protocol::AwsError& e);

}  // namespace services::cloudformation
