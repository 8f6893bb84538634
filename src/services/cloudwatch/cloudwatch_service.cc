#include "services/cloudwatch/cloudwatch_service.h"

namespace services::cloudwatch {

CloudWatchService::CloudWatchService(store::Db& db, const core::Clock& clock)
    : db_(db), clock_(clock) {}

void CloudWatchService::register_operations(protocol::ServiceRegistry& registry) {
  using S = CloudWatchService;
  registry.add(
      "cloudwatch",
      {
          {"PutMetricData", protocol::method(this, &S::put_metric_data)},
          {"GetMetricStatistics", protocol::method(this, &S::get_metric_statistics)},
          {"GetMetricData", protocol::method(this, &S::get_metric_data)},
          {"ListMetrics", protocol::method(this, &S::list_metrics)},
          {"PutMetricAlarm", protocol::method(this, &S::put_metric_alarm)},
          {"DescribeAlarms", protocol::method(this, &S::describe_alarms)},
          {"DescribeAlarmsForMetric", protocol::method(this, &S::describe_alarms_for_metric)},
          {"DescribeAlarmHistory", protocol::method(this, &S::describe_alarm_history)},
          {"DeleteAlarms", protocol::method(this, &S::delete_alarms)},
          {"SetAlarmState", protocol::method(this, &S::set_alarm_state)},
          {"EnableAlarmActions", protocol::method(this, &S::enable_alarm_actions)},
          {"DisableAlarmActions", protocol::method(this, &S::disable_alarm_actions)},
          {"PutDashboard", protocol::method(this, &S::put_dashboard)},
          {"GetDashboard", protocol::method(this, &S::get_dashboard)},
          {"ListDashboards", protocol::method(this, &S::list_dashboards)},
          {"DeleteDashboards", protocol::method(this, &S::delete_dashboards)},
          {"TagResource", protocol::method(this, &S::tag_resource)},
          {"UntagResource", protocol::method(this, &S::untag_resource)},
          {"ListTagsForResource", protocol::method(this, &S::list_tags_for_resource)},
      });
}

}  // namespace services::cloudwatch
