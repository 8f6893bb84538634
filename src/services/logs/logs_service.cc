#include "services/logs/logs_service.h"

#include "core/ids.h"
#include "services/logs/errors.h"
#include "services/logs/logs_json.h"

namespace services::logs {

LogsService::LogsService(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

void LogsService::register_operations(protocol::ServiceRegistry& registry) {
  registry.add(
      "logs",
      {
          {"CreateLogGroup", protocol::method(this, &LogsService::create_log_group)},
          {"DeleteLogGroup", protocol::method(this, &LogsService::delete_log_group)},
          {"DescribeLogGroups", protocol::method(this, &LogsService::describe_log_groups)},
          {"PutRetentionPolicy", protocol::method(this, &LogsService::put_retention_policy)},
          {"DeleteRetentionPolicy", protocol::method(this, &LogsService::delete_retention_policy)},
          {"CreateLogStream", protocol::method(this, &LogsService::create_log_stream)},
          {"DeleteLogStream", protocol::method(this, &LogsService::delete_log_stream)},
          {"DescribeLogStreams", protocol::method(this, &LogsService::describe_log_streams)},
          {"PutLogEvents", protocol::method(this, &LogsService::put_log_events)},
          {"GetLogEvents", protocol::method(this, &LogsService::get_log_events)},
          {"FilterLogEvents", protocol::method(this, &LogsService::filter_log_events)},
          {"PutMetricFilter", protocol::method(this, &LogsService::put_metric_filter)},
          {"DescribeMetricFilters",
           protocol::method(this, &LogsService::describe_metric_filters)},
          {"DeleteMetricFilter", protocol::method(this, &LogsService::delete_metric_filter)},
          {"TestMetricFilter", protocol::method(this, &LogsService::test_metric_filter)},
          {"TagLogGroup", protocol::method(this, &LogsService::tag_log_group)},
          {"UntagLogGroup", protocol::method(this, &LogsService::untag_log_group)},
          {"ListTagsLogGroup", protocol::method(this, &LogsService::list_tags_log_group)},
          {"TagResource", protocol::method(this, &LogsService::tag_resource)},
          {"UntagResource", protocol::method(this, &LogsService::untag_resource)},
          {"ListTagsForResource", protocol::method(this, &LogsService::list_tags_for_resource)},
      });
}

protocol::Result<GroupRow> LogsService::named_group(LogsStore& st, const Ctx& ctx, const Doc& in) {
  std::optional<std::string> name = opt_string(in, "logGroupName");
  std::optional<std::string> identifier = opt_string(in, "logGroupIdentifier");
  if (name && identifier) {
    return errors::invalid_parameter(
        "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  }
  if (!name && !identifier) {
    return errors::invalid_parameter(
        "Either logGroupName or logGroupIdentifier must be specified.");
  }
  if (identifier) {
    if (identifier->starts_with("arn:")) {
      name = group_name_from_arn(*identifier, ctx.account, ctx.region);
      if (!name) {
        return errors::group_not_found();
      }
    } else {
      name = identifier;
    }
  }
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *name);
  if (!g) {
    return errors::group_not_found();
  }
  return *g;
}

protocol::Result<StreamRow> LogsService::named_stream(LogsStore& st, const GroupRow& group,
                                                      const Doc& in) {
  std::optional<StreamRow> s = st.stream(group.id, *opt_string(in, "logStreamName"));
  if (!s) {
    return errors::stream_not_found();
  }
  return *s;
}

protocol::Result<GroupRow> LogsService::group_by_arn(LogsStore& st, const Ctx& ctx,
                                                     std::string_view arn) {
  core::ids::ParsedArn p;
  if (!core::ids::parse_arn(arn, &p) || p.service != "logs") {
    return errors::invalid_parameter("Invalid resourceArn: " + std::string(arn));
  }
  std::optional<std::string> name = group_name_from_arn(arn, ctx.account, ctx.region);
  if (!name) {
    return errors::resource_not_found();
  }
  std::optional<GroupRow> g = st.group(ctx.account, ctx.region, *name);
  if (!g) {
    return errors::group_not_found();
  }
  return *g;
}

}  // namespace services::logs
