#include "services/ecs/deployment_rollout.h"

#include <algorithm>
#include <set>

namespace services::ecs {

// How a rolling update moves, as ECS documents it: "minimumHealthyPercent represents a lower
// limit on the number of your service's tasks that must remain in the RUNNING state during a
// deployment, as a percentage of the desiredCount (rounded up to the nearest integer)", and
// "maximumPercent represents an upper limit on the number of your service's tasks that are
// allowed in the RUNNING or PENDING state during a deployment, as a percentage of the
// desiredCount (rounded down to the nearest integer)".
//
// Worked numbers, desiredCount 4:
//  - 100/200 (the default): min healthy 4, max 8. Four new tasks start at once (8 - 4 old);
//    each old task is stopped as soon as one new task is available (4 - new available old
//    tasks are kept).
//  - 50/200: min healthy 2, max 8. Two old tasks are stopped right away (healthy 4 - 2), four
//    new ones start; the other two old ones go as new ones become available.
//  - 50/100: min healthy 2, max 4. Nothing can start until two old tasks are stopped (4 running
//    leave no room); then two new start, and each new available one frees an old one.
//  - 0/100: every old task is stopped at once, then four new ones start.
// Tasks being drained or stopped are outside both counts: they no longer serve and are on their
// way out, which is what lets 50/100 make progress.
RolloutPlan plan_rollout(const RolloutInput& in) {
  RolloutPlan plan;
  const int64_t desired = std::max<int64_t>(in.desired_count, 0);
  const int64_t max_total = desired * in.maximum_percent / 100;                   // rounded down
  const int64_t min_healthy = (desired * in.minimum_healthy_percent + 99) / 100;  // rounded up

  std::vector<const RolloutTask*> primary;
  std::vector<const RolloutTask*> old;
  for (const RolloutTask& t : in.tasks) {
    (t.deployment_id == in.primary_id ? primary : old).push_back(&t);
  }
  std::set<std::string> stopping;
  auto stop = [&](const RolloutTask* t) {
    if (stopping.insert(t->arn).second) plan.stop.push_back(t->arn);
  };

  // Scale-in of the PRIMARY: tasks that serve nothing yet go first, then the newest.
  if (static_cast<int64_t>(primary.size()) > desired) {
    std::vector<const RolloutTask*> order = primary;
    std::stable_sort(order.begin(), order.end(), [](const RolloutTask* a, const RolloutTask* b) {
      if (a->available != b->available) return !a->available;
      return a->created_at > b->created_at;
    });
    for (std::size_t i = 0; i < primary.size() - static_cast<std::size_t>(desired); ++i) {
      stop(order[i]);
    }
  }

  // Old deployments: as many of their tasks stay as the PRIMARY's available tasks fall short of
  // the minimum healthy; the rest go, those that serve nothing first (still starting, then not
  // yet healthy in their target groups), oldest deployment first. An old task that is merely
  // slow to turn healthy is thus kept while it is still needed, as ECS keeps it.
  int64_t primary_available = 0;
  for (const RolloutTask* t : primary) {
    primary_available += t->available && !stopping.contains(t->arn) ? 1 : 0;
  }
  std::vector<const RolloutTask*> old_order;
  for (const std::string& id : in.old_ids) {
    for (const RolloutTask* t : old) {
      if (t->deployment_id == id) old_order.push_back(t);
    }
  }
  for (const RolloutTask* t : old) {  // a deployment id no longer listed: oldest of all
    if (std::find(in.old_ids.begin(), in.old_ids.end(), t->deployment_id) == in.old_ids.end()) {
      old_order.insert(old_order.begin(), t);
    }
  }
  // Still starting first, then running but not healthy, then available.
  std::stable_sort(old_order.begin(), old_order.end(),
                   [](const RolloutTask* a, const RolloutTask* b) {
                     auto rank = [](const RolloutTask* t) { return t->available ? 2 : t->running; };
                     return rank(a) < rank(b);
                   });
  int64_t keep = std::max<int64_t>(0, min_healthy - primary_available);
  int64_t excess = static_cast<int64_t>(old_order.size()) - keep;
  for (int64_t i = 0; i < excess; ++i) stop(old_order[static_cast<std::size_t>(i)]);

  // Starts: up to desired PRIMARY tasks, within maximumPercent of everything still counted.
  int64_t primary_live = 0;
  for (const RolloutTask* t : primary) primary_live += stopping.contains(t->arn) ? 0 : 1;
  int64_t live = static_cast<int64_t>(in.tasks.size()) - static_cast<int64_t>(stopping.size());
  int64_t want = desired - primary_live;
  int64_t room = std::max<int64_t>(max_total, std::min<int64_t>(desired, 1)) - live;
  if (in.may_launch) plan.start = std::max<int64_t>(0, std::min(want, room));
  return plan;
}

}  // namespace services::ecs
