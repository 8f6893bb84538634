#include "services/logs/logs_service.h"

#include "core/ids.h"
#include "services/logs/errors.h"
#include "services/logs/logs_json.h"

namespace services::logs {

LogsService::LogsService(store::Db& db, const core::Clock& clock) : db_(db), clock_(clock) {}

void LogsService::register_operations(protocol::ServiceRegistry& registry) {
  auto op = [this](Reply (LogsService::*fn)(const Ctx&, const Doc&)) {
    return [this, fn](const Ctx& ctx, const Doc& in) { return (this->*fn)(ctx, in); };
  };
  registry.add("logs", {
                           {"CreateLogGroup", op(&LogsService::create_log_group)},
                           {"DeleteLogGroup", op(&LogsService::delete_log_group)},
                           {"DescribeLogGroups", op(&LogsService::describe_log_groups)},
                           {"PutRetentionPolicy", op(&LogsService::put_retention_policy)},
                           {"DeleteRetentionPolicy", op(&LogsService::delete_retention_policy)},
                           {"CreateLogStream", op(&LogsService::create_log_stream)},
                           {"DeleteLogStream", op(&LogsService::delete_log_stream)},
                           {"DescribeLogStreams", op(&LogsService::describe_log_streams)},
                           {"PutLogEvents", op(&LogsService::put_log_events)},
                           {"GetLogEvents", op(&LogsService::get_log_events)},
                           {"FilterLogEvents", op(&LogsService::filter_log_events)},
                           {"TagLogGroup", op(&LogsService::tag_log_group)},
                           {"UntagLogGroup", op(&LogsService::untag_log_group)},
                           {"ListTagsLogGroup", op(&LogsService::list_tags_log_group)},
                           {"TagResource", op(&LogsService::tag_resource)},
                           {"UntagResource", op(&LogsService::untag_resource)},
                           {"ListTagsForResource", op(&LogsService::list_tags_for_resource)},
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
