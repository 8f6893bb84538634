#include "services/ecs/service_metrics.h"

#include <charconv>

#include "core/json.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

constexpr double kUnitsPerCore = 1024;
constexpr double kMiB = 1024.0 * 1024.0;

// A number written either way: the task document spells cpu and memory as strings.
std::optional<double> number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_string()) {
    std::string_view s = v->get_string();
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return d;
  }
  if (v->is_number()) return v->to_number<double>();
  return std::nullopt;
}

cloudwatch::Dimensions cluster_dims(const std::string& cluster) {
  return {{"ClusterName", cluster}};
}

cloudwatch::Dimensions service_dims(const std::string& cluster, const std::string& service) {
  return {{"ClusterName", cluster}, {"ServiceName", service}};
}

// The dimension sets a task's value goes under, AWS/ECS's or Container Insights'.
std::vector<cloudwatch::Dimensions> task_dimension_sets(const TaskUsage& t, bool insights) {
  std::vector<cloudwatch::Dimensions> out;
  out.push_back(cluster_dims(t.cluster));
  if (!t.service.empty()) out.push_back(service_dims(t.cluster, t.service));
  if (insights && !t.family.empty()) {
    out.push_back({{"ClusterName", t.cluster}, {"TaskDefinitionFamily", t.family}});
  }
  return out;
}

void emit(std::vector<MetricDatum>& out, const std::vector<cloudwatch::Dimensions>& sets,
          std::string_view ns, const std::string& name, double value, const std::string& unit) {
  for (const cloudwatch::Dimensions& d : sets) {
    out.push_back({std::string(ns), name, d, value, unit});
  }
}

}  // namespace

TaskReservation task_reservation(const json::object& task) {
  TaskReservation r;
  std::optional<double> cpu = number(task, "cpu");
  std::optional<double> memory = number(task, "memory");
  double container_cpu = 0, container_memory = 0;
  if (const json::array* containers = core::arr(task, "containers")) {
    for (const json::value& v : *containers) {
      if (!v.is_object()) continue;
      const json::object& c = v.get_object();
      container_cpu += number(c, "cpu").value_or(0);
      container_memory +=
          number(c, "memoryReservation").value_or(number(c, "memory").value_or(0));
    }
  }
  r.cpu_units = cpu && *cpu > 0 ? *cpu : container_cpu;
  r.memory_mib = memory && *memory > 0 ? *memory : container_memory;
  return r;
}

NetworkCounters network_total(const std::vector<InterfaceCounters>& interfaces) {
  NetworkCounters out;
  for (const InterfaceCounters& i : interfaces) {
    out.rx_bytes += i.rx_bytes;
    out.tx_bytes += i.tx_bytes;
  }
  return out;
}

std::uint64_t memory_used(const runtime::CgroupMemoryStats& memory) {
  return memory.usage > memory.inactive_file ? memory.usage - memory.inactive_file : 0;
}

std::vector<MetricDatum> task_metrics(const TaskUsage& now,
                                      const std::optional<TaskBaseline>& before) {
  std::vector<MetricDatum> out;
  std::vector<cloudwatch::Dimensions> ecs = task_dimension_sets(now, false);
  std::vector<cloudwatch::Dimensions> insights = task_dimension_sets(now, true);
  double seconds = before ? now.at - before->at : 0;
  bool rates = before && seconds >= 0.001;
  std::optional<double> cpu_units;  // used over the period
  if (rates && now.cpu_ns >= before->cpu_ns) {
    cpu_units = static_cast<double>(now.cpu_ns - before->cpu_ns) / 1e9 / seconds * kUnitsPerCore;
  }
  double memory_mib = static_cast<double>(now.memory_bytes) / kMiB;
  if (cpu_units && now.reserved.cpu_units > 0) {
    emit(out, ecs, kEcsNamespace, "CPUUtilization", *cpu_units * 100 / now.reserved.cpu_units,
         "Percent");
  }
  if (now.reserved.memory_mib > 0) {
    emit(out, ecs, kEcsNamespace, "MemoryUtilization", memory_mib * 100 / now.reserved.memory_mib,
         "Percent");
  }
  if (!now.insights) return out;
  if (cpu_units) emit(out, insights, kInsightsNamespace, "CpuUtilized", *cpu_units, "None");
  emit(out, insights, kInsightsNamespace, "CpuReserved", now.reserved.cpu_units, "None");
  emit(out, insights, kInsightsNamespace, "MemoryUtilized", memory_mib, "Megabytes");
  emit(out, insights, kInsightsNamespace, "MemoryReserved", now.reserved.memory_mib, "Megabytes");
  if (rates && now.network && before->network && now.network->rx_bytes >= before->network->rx_bytes &&
      now.network->tx_bytes >= before->network->tx_bytes) {
    emit(out, insights, kInsightsNamespace, "NetworkRxBytes",
         static_cast<double>(now.network->rx_bytes - before->network->rx_bytes) / seconds,
         "Bytes/Second");
    emit(out, insights, kInsightsNamespace, "NetworkTxBytes",
         static_cast<double>(now.network->tx_bytes - before->network->tx_bytes) / seconds,
         "Bytes/Second");
  }
  return out;
}

std::vector<MetricDatum> service_count_metrics(const ServiceCounts& c) {
  cloudwatch::Dimensions d = service_dims(c.cluster, c.service);
  std::string ns(kInsightsNamespace);
  return {{ns, "DesiredTaskCount", d, static_cast<double>(c.desired), "Count"},
          {ns, "RunningTaskCount", d, static_cast<double>(c.running), "Count"},
          {ns, "PendingTaskCount", d, static_cast<double>(c.pending), "Count"}};
}

std::vector<MetricDatum> cluster_count_metrics(const std::string& cluster, std::int64_t tasks,
                                               std::int64_t services) {
  cloudwatch::Dimensions d = cluster_dims(cluster);
  std::string ns(kInsightsNamespace);
  return {{ns, "TaskCount", d, static_cast<double>(tasks), "Count"},
          {ns, "ServiceCount", d, static_cast<double>(services), "Count"}};
}

bool insights_enabled(const json::object& cluster) {
  const json::array* settings = core::arr(cluster, "settings");
  if (!settings) return false;
  for (const json::value& v : *settings) {
    if (!v.is_object()) continue;
    const json::object& s = v.get_object();
    if (core::str(s, "name") == "containerInsights") {
      std::string value = core::str(s, "value");
      return value == "enabled" || value == "enhanced";
    }
  }
  return false;
}

std::string family_of(std::string_view arn) {
  std::size_t slash = arn.rfind('/');
  std::string_view rest = slash == std::string_view::npos ? arn : arn.substr(slash + 1);
  return std::string(rest.substr(0, rest.rfind(':')));
}

std::string name_of(std::string_view arn) {
  std::size_t slash = arn.rfind('/');
  return std::string(slash == std::string_view::npos ? arn : arn.substr(slash + 1));
}

}  // namespace services::ecs
