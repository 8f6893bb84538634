#pragma once
// Runs stack operations in the background, the way CloudFormation does after CreateStack,
// UpdateStack, DeleteStack or ExecuteChangeSet has answered: the handler writes the stack row in
// its *_IN_PROGRESS status and calls start(); the worker creates, updates or deletes the
// resources through their providers, in the dependency graph's waves (one thread per resource of
// a wave), writes a StackEvent at every step and leaves the stack in a settled status. A failed
// create or update rolls back (unless DisableRollback); CancelUpdateStack rolls an update back.
//
// One operation per stack at a time (the handlers refuse a second with the status check).
// Threads: start() from request threads; each operation on its own thread; stop() joins them.

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/clock.h"
#include "services/cloudformation/engine/dynamic_refs.h"
#include "services/cloudformation/engine/intrinsics.h"
#include "services/cloudformation/engine/resource_provider.h"
#include "store/db.h"

namespace services::cloudformation {

enum class OperationKind { Create, Update, Delete };

// What the engine needs from the rest of Gantry, beyond the providers.
// Each reads as the stack's account, in the stack's region.
struct StackEnvironment {
  // AWS::SSM::Parameter::Value<...> parameters.
  std::function<engine::SsmParameterLookup(const engine::StackIdentity&)> ssm_parameter;
  // {{resolve:...}} in properties.
  std::function<engine::DynamicReferenceHooks(const engine::StackIdentity&)> dynamic_refs;
  std::function<std::vector<std::string>(std::string_view region)> availability_zones;
};

class StackWorker {
 public:
  StackWorker(store::Db& db, const core::Clock& clock, const engine::ResourceProviders& providers,
              StackEnvironment env);
  ~StackWorker();

  // Runs `kind` on the stack (whose row says what to run: its template and parameters, and for
  // an update the previous ones).
  void start(OperationKind kind, const std::string& stack_id);
  // Asks a running update to stop and roll back (CancelUpdateStack). False when none runs.
  bool cancel(const std::string& stack_id);
  // Waits for running operations. No new ones start afterwards.
  void stop();
  // Waits until no operation runs (tests).
  void wait_idle();

  // How often a resource that is stabilizing is asked again.
  std::chrono::milliseconds poll_interval{500};

  const engine::ResourceProviders& providers() const { return providers_; }
  const StackEnvironment& environment() const { return env_; }

 private:
  void run(OperationKind kind, const std::string& stack_id);

  store::Db& db_;
  const core::Clock& clock_;
  const engine::ResourceProviders& providers_;
  StackEnvironment env_;
  std::mutex mu_;
  std::condition_variable idle_;
  std::map<std::string, std::thread> running_;   // by stack id
  std::vector<std::thread> finished_;            // joined at the next start() or stop()
  std::set<std::string> cancelled_;
  bool stopping_ = false;
  friend class StackRun;
};

}  // namespace services::cloudformation
