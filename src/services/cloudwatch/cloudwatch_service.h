#pragma once
// Amazon CloudWatch: metrics, metric alarms and dashboards.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/Welcome.html
//
// Handlers validate, run one transaction and return. Every resource is scoped by the caller's
// account and region. Alarms are evaluated in the background by AlarmEvaluator; handlers only
// call the alarm listener (set_alarm_listener) so that a new or changed alarm is looked at now.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/cloudwatch/cloudwatch_store.h"
#include "store/db.h"

namespace services::cloudwatch {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

class CloudWatchService {
 public:
  CloudWatchService(store::Db& db, const core::Clock& clock);

  void register_operations(protocol::ServiceRegistry& registry);

  // Called with an alarm's id after PutMetricAlarm committed (set before serving).
  void set_alarm_listener(std::function<void(int64_t alarm_id)> listener) {
    on_alarm_changed_ = std::move(listener);
  }
  // Called with an alarm's id after SetAlarmState committed a state change, to run its actions.
  void set_state_listener(std::function<void(int64_t alarm_id, const std::string& old_state)> l) {
    on_state_set_ = std::move(l);
  }

  // metric_handlers.cc
  Reply put_metric_data(const Ctx& ctx, const Doc& in);
  Reply get_metric_statistics(const Ctx& ctx, const Doc& in);
  Reply list_metrics(const Ctx& ctx, const Doc& in);
  // metric_data_handler.cc
  Reply get_metric_data(const Ctx& ctx, const Doc& in);

  // alarm_handlers.cc
  Reply put_metric_alarm(const Ctx& ctx, const Doc& in);
  Reply describe_alarms(const Ctx& ctx, const Doc& in);
  Reply describe_alarms_for_metric(const Ctx& ctx, const Doc& in);
  Reply delete_alarms(const Ctx& ctx, const Doc& in);
  // alarm_state_handlers.cc
  Reply set_alarm_state(const Ctx& ctx, const Doc& in);
  Reply enable_alarm_actions(const Ctx& ctx, const Doc& in);
  Reply disable_alarm_actions(const Ctx& ctx, const Doc& in);
  Reply describe_alarm_history(const Ctx& ctx, const Doc& in);

  // dashboard_handlers.cc
  Reply put_dashboard(const Ctx& ctx, const Doc& in);
  Reply get_dashboard(const Ctx& ctx, const Doc& in);
  Reply list_dashboards(const Ctx& ctx, const Doc& in);
  Reply delete_dashboards(const Ctx& ctx, const Doc& in);

  // tag_handlers.cc
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply list_tags_for_resource(const Ctx& ctx, const Doc& in);

 private:
  Reply set_actions(const Ctx& ctx, const Doc& in, bool enabled);

  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }

  store::Db& db_;
  const core::Clock& clock_;
  std::function<void(int64_t)> on_alarm_changed_;
  std::function<void(int64_t, const std::string&)> on_state_set_;
};

}  // namespace services::cloudwatch
