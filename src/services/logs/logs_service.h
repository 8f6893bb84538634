#pragma once
// Amazon CloudWatch Logs: log groups, log streams, log events, retention and tags.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/Welcome.html
//
// Handlers validate, run one transaction and return. Every resource is scoped by the caller's
// account and region. Retention is enforced in the background by RetentionSweeper; handlers only
// call on_retention_changed (set_retention_listener) so that a new policy applies at once.
//
// Thread-safe: handlers run concurrently; the store serialises transactions.

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "protocol/service_registry.h"
#include "services/logs/logs_store.h"
#include "services/logs/metric_filter_index.h"
#include "store/db.h"

namespace services::logs {

using Doc = boost::json::object;
using Reply = protocol::Result<boost::json::object>;
using Ctx = protocol::RequestContext;

class LogsService {
 public:
  LogsService(store::Db& db, const core::Clock& clock);

  void register_operations(protocol::ServiceRegistry& registry);

  // Called with a group's id after PutRetentionPolicy committed (set before serving).
  void set_retention_listener(std::function<void(int64_t group_id)> listener) {
    on_retention_changed_ = std::move(listener);
  }

  // Metric filters apply to PutLogEvents through `index` (set before serving; may stay unset).
  void set_metric_filters(MetricFilterIndex* index) { metric_filters_ = index; }

  // group_handlers.cc
  Reply create_log_group(const Ctx& ctx, const Doc& in);
  Reply delete_log_group(const Ctx& ctx, const Doc& in);
  Reply describe_log_groups(const Ctx& ctx, const Doc& in);
  Reply put_retention_policy(const Ctx& ctx, const Doc& in);
  Reply delete_retention_policy(const Ctx& ctx, const Doc& in);

  // stream_handlers.cc
  Reply create_log_stream(const Ctx& ctx, const Doc& in);
  Reply delete_log_stream(const Ctx& ctx, const Doc& in);
  Reply describe_log_streams(const Ctx& ctx, const Doc& in);

  // event_handlers.cc
  Reply put_log_events(const Ctx& ctx, const Doc& in);
  Reply get_log_events(const Ctx& ctx, const Doc& in);
  // filter_handler.cc
  Reply filter_log_events(const Ctx& ctx, const Doc& in);

  // metric_filter_handlers.cc
  Reply put_metric_filter(const Ctx& ctx, const Doc& in);
  Reply describe_metric_filters(const Ctx& ctx, const Doc& in);
  Reply delete_metric_filter(const Ctx& ctx, const Doc& in);
  Reply test_metric_filter(const Ctx& ctx, const Doc& in);

  // tag_handlers.cc
  Reply tag_log_group(const Ctx& ctx, const Doc& in);
  Reply untag_log_group(const Ctx& ctx, const Doc& in);
  Reply list_tags_log_group(const Ctx& ctx, const Doc& in);
  Reply tag_resource(const Ctx& ctx, const Doc& in);
  Reply untag_resource(const Ctx& ctx, const Doc& in);
  Reply list_tags_for_resource(const Ctx& ctx, const Doc& in);

 private:
  // The group a request names by logGroupName or logGroupIdentifier (a name or an ARN, with or
  // without ":*"), exactly one of them; ResourceNotFoundException when it does not exist.
  protocol::Result<GroupRow> named_group(LogsStore& st, const Ctx& ctx, const Doc& in);
  // The stream a request names by logStreamName in `group`; ResourceNotFoundException when it
  // does not exist.
  static protocol::Result<StreamRow> named_stream(LogsStore& st, const GroupRow& group,
                                                  const Doc& in);
  // The group of a TagResource-style resourceArn.
  protocol::Result<GroupRow> group_by_arn(LogsStore& st, const Ctx& ctx, std::string_view arn);

  int64_t now_ms() const { return core::to_epoch_millis(clock_.now()); }

  store::Db& db_;
  const core::Clock& clock_;
  std::function<void(int64_t)> on_retention_changed_;
  MetricFilterIndex* metric_filters_ = nullptr;
};

}  // namespace services::logs
