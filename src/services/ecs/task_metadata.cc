#include "services/ecs/task_metadata.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/time_format.h"
#include "services/ecs/ecs_json.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

// Metadata timestamps are RFC 3339 with nanoseconds, as the ECS agent writes them.
std::string rfc3339(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return "";
  double seconds = v->to_number<double>();
  auto whole = static_cast<int64_t>(std::floor(seconds));
  auto nanos = static_cast<int64_t>(std::llround((seconds - static_cast<double>(whole)) * 1e9));
  std::string base = core::format_iso8601(core::TimePoint(std::chrono::seconds(whole)));
  // base is "YYYY-MM-DDTHH:MM:SSZ" or with ".mmm"; keep seconds and add nanoseconds.
  std::string head = base.substr(0, 19);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(nanos % 1000000000));
  return head + frac + "Z";
}

void put_time(json::object& out, std::string_view name, const json::object& from,
              std::string_view key) {
  if (std::string t = rfc3339(from, key); !t.empty()) out[name] = t;
}

// The ENI attachment's details as a map.
std::map<std::string, std::string> eni_details(const json::object& task) {
  std::map<std::string, std::string> out;
  if (const json::array* atts = arr(task, "attachments")) {
    for (const json::value& v : *atts) {
      if (!v.is_object() || str(v.get_object(), "type") != "ElasticNetworkInterface") continue;
      if (const json::array* d = arr(v.get_object(), "details")) {
        for (const json::value& kv : *d) {
          if (kv.is_object()) out[str(kv.get_object(), "name")] = str(kv.get_object(), "value");
        }
      }
    }
  }
  return out;
}

json::array networks(const json::object& task, const std::optional<SubnetFacts>& subnet) {
  std::map<std::string, std::string> d = eni_details(task);
  if (d["privateIPv4Address"].empty()) return {};
  json::object n{{"NetworkMode", "awsvpc"},
                 {"IPv4Addresses", json::array{json::value(d["privateIPv4Address"])}},
                 {"AttachmentIndex", 0},
                 {"MACAddress", d["macAddress"]},
                 {"PrivateDNSName", d["privateDnsName"]}};
  if (subnet) {
    n["IPv4SubnetCIDRBlock"] = subnet->cidr;
    std::size_t slash = subnet->cidr.find('/');
    n["SubnetGatewayIpv4Address"] =
        subnet->gateway_ip + (slash == std::string::npos ? "" : subnet->cidr.substr(slash));
  }
  return json::array{std::move(n)};
}

const json::object* definition_of(const json::object& td, std::string_view name) {
  if (const json::array* cds = arr(td, "containerDefinitions")) {
    for (const json::value& v : *cds) {
      if (v.is_object() && str(v.get_object(), "name") == name) return &v.get_object();
    }
  }
  return nullptr;
}

json::object container_doc(const json::object& task, const json::object& td,
                           const json::object& c, const std::optional<SubnetFacts>& subnet) {
  std::string name = str(c, "name");
  const json::object* def = definition_of(td, name);
  std::string runtime_id = str(c, "runtimeId");
  std::string cluster = name_from_ref(str(task, "clusterArn"));
  json::object labels{{"com.amazonaws.ecs.cluster", str(task, "clusterArn")},
                      {"com.amazonaws.ecs.container-name", name},
                      {"com.amazonaws.ecs.task-arn", str(task, "taskArn")},
                      {"com.amazonaws.ecs.task-definition-family", str(td, "family")},
                      {"com.amazonaws.ecs.task-definition-version",
                       std::to_string(opt_int(td, "revision").value_or(0))}};
  if (def) {
    if (const json::object* l = obj(*def, "dockerLabels")) {
      for (const auto& kv : *l) labels[kv.key()] = kv.value();
    }
  }
  std::string last = str(c, "lastStatus", "PENDING");
  json::object out{{"DockerId", runtime_id},
                   {"Name", name},
                   {"DockerName", runtime_id.empty() ? name : runtime_id},
                   {"Image", str(c, "image")},
                   {"ImageID", str(c, "imageDigest")},
                   {"Labels", std::move(labels)},
                   {"DesiredStatus", str(task, "desiredStatus", "RUNNING")},
                   {"KnownStatus", last},
                   {"Limits", json::object{{"CPU", def ? opt_int(*def, "cpu").value_or(0) : 0}}},
                   {"Type", "NORMAL"},
                   {"ContainerARN", str(c, "containerArn")},
                   {"Networks", networks(task, subnet)}};
  if (def) {
    if (std::optional<int64_t> m = opt_int(*def, "memory")) {
      out["Limits"].as_object()["Memory"] = *m;
    }
    if (const json::object* lc = obj(*def, "logConfiguration")) {
      out["LogDriver"] = str(*lc, "logDriver");
      if (const json::object* opts = obj(*lc, "options")) out["LogOptions"] = *opts;
    }
  }
  if (c.contains("exitCode")) out["ExitCode"] = c.at("exitCode");
  if (c.contains("healthStatus")) {
    out["Health"] = json::object{{"status", str(c, "healthStatus")}};
  }
  put_time(out, "CreatedAt", task, "createdAt");
  put_time(out, "StartedAt", task, "startedAt");
  if (last == "STOPPED") put_time(out, "FinishedAt", task, "stoppedAt");
  (void)cluster;
  return out;
}

double cpu_units(const json::object& td, std::string_view key) {
  std::optional<std::string> s = opt_str(td, key);
  if (!s || s->empty()) return 0;
  try {
    return std::stod(*s);
  } catch (...) {
    return 0;
  }
}

}  // namespace

std::string metadata_token(std::string_view task_arn, std::string_view container) {
  return name_from_ref(task_arn) + "-" + std::string(container);
}

std::optional<std::pair<std::string, std::string>> parse_metadata_token(std::string_view token) {
  // Task ids are 32 lower-case hex digits; container names may themselves contain '-'.
  if (token.size() < 34 || token[32] != '-') return std::nullopt;
  std::string id(token.substr(0, 32));
  if (id.find_first_not_of("0123456789abcdef") != std::string::npos) return std::nullopt;
  return std::make_pair(id, std::string(token.substr(33)));
}

std::optional<json::object> container_metadata(const json::object& task,
                                               const json::object& task_definition,
                                               std::string_view container,
                                               const std::optional<SubnetFacts>& subnet) {
  if (const json::array* cs = arr(task, "containers")) {
    for (const json::value& v : *cs) {
      if (v.is_object() && str(v.get_object(), "name") == container) {
        return container_doc(task, task_definition, v.get_object(), subnet);
      }
    }
  }
  return std::nullopt;
}

json::object task_metadata(const json::object& task, const json::object& task_definition,
                           const std::optional<SubnetFacts>& subnet) {
  json::array containers;
  if (const json::array* cs = arr(task, "containers")) {
    for (const json::value& v : *cs) {
      if (v.is_object()) {
        containers.push_back(container_doc(task, task_definition, v.get_object(), subnet));
      }
    }
  }
  std::string group = str(task, "group");
  json::object out{
      {"Cluster", str(task, "clusterArn")},
      {"TaskARN", str(task, "taskArn")},
      {"Family", str(task_definition, "family")},
      {"Revision", std::to_string(opt_int(task_definition, "revision").value_or(0))},
      {"DesiredStatus", str(task, "desiredStatus", "RUNNING")},
      {"KnownStatus", str(task, "lastStatus", "PENDING")},
      // Task-level CPU in vCPUs and memory in MiB, as Fargate reports them.
      {"Limits", json::object{{"CPU", cpu_units(task_definition, "cpu") / 1024.0},
                              {"Memory", static_cast<int64_t>(cpu_units(task_definition, "memory"))}}},
      {"AvailabilityZone", str(task, "availabilityZone")},
      {"LaunchType", str(task, "launchType", "FARGATE")},
      {"Containers", std::move(containers)},
      {"ClockDrift", json::object{{"ClockErrorBound", 0.5},
                                  {"ReferenceTimestamp", rfc3339(task, "createdAt")},
                                  {"ClockSynchronizationStatus", "SYNCHRONIZED"}}},
      {"EphemeralStorageMetrics", json::object{{"Utilized", 0}, {"Reserved", 20496}}}};
  if (group.starts_with("service:")) out["ServiceName"] = group.substr(8);
  put_time(out, "PullStartedAt", task, "pullStartedAt");
  put_time(out, "PullStoppedAt", task, "pullStoppedAt");
  put_time(out, "ExecutionStoppedAt", task, "executionStoppedAt");
  return out;
}

namespace {

json::object cpu_stats_doc(const ContainerStats& s) {
  runtime::CgroupCpuStats cpu = s.cgroup.cpu.value_or(runtime::CgroupCpuStats{});
  return {{"cpu_usage", json::object{{"total_usage", cpu.usage_ns},
                                     {"usage_in_kernelmode", cpu.system_ns},
                                     {"usage_in_usermode", cpu.user_ns}}},
          {"system_cpu_usage", s.system_cpu_ns},
          {"online_cpus", s.online_cpus},
          {"throttling_data", json::object{{"periods", cpu.periods},
                                           {"throttled_periods", cpu.throttled_periods},
                                           {"throttled_time", cpu.throttled_ns}}}};
}

// Docker's memory_stats: `stats` is memory.stat as the kernel spells it (v1 rss/cache/total_*, v2
// anon/file/...); max_usage only where the kernel keeps it (v1, v2 memory.peak), and a container
// without a limit reports the host's memory, as Docker does.
json::object memory_stats_doc(const ContainerStats& s) {
  if (!s.cgroup.memory) {
    return {};
  }
  const runtime::CgroupMemoryStats& m = *s.cgroup.memory;
  json::object stats;
  for (const auto& [key, value] : m.raw) {
    stats[key] = value;
  }
  json::object out{{"usage", m.usage}};
  if (m.max_usage > 0) {
    out["max_usage"] = m.max_usage;
  }
  out["stats"] = std::move(stats);
  out["limit"] = m.limit.value_or(s.host_memory);
  return out;
}

// Docker's per-interface counters.
json::object networks_doc(const std::vector<InterfaceCounters>& interfaces) {
  json::object out;
  for (const InterfaceCounters& i : interfaces) {
    out[i.name] = json::object{{"rx_bytes", i.rx_bytes},     {"rx_packets", i.rx_packets},
                               {"rx_errors", i.rx_errors},   {"rx_dropped", i.rx_dropped},
                               {"tx_bytes", i.tx_bytes},     {"tx_packets", i.tx_packets},
                               {"tx_errors", i.tx_errors},   {"tx_dropped", i.tx_dropped}};
  }
  return out;
}

}  // namespace

json::object docker_stats(std::string_view container, const std::string& runtime_id,
                          const ContainerStats& s) {
  std::string read = core::format_iso8601(core::TimePoint(std::chrono::milliseconds(
      static_cast<int64_t>(s.read_at * 1000))));
  json::object pids{{"current", s.cgroup.pids ? s.cgroup.pids->current : 0}};
  if (s.cgroup.pids && s.cgroup.pids->limit) {
    pids["limit"] = *s.cgroup.pids->limit;
  }
  json::object out{{"read", read},
                   {"name", container},
                   {"id", runtime_id},
                   {"num_procs", 0},
                   {"pids_stats", std::move(pids)},
                   {"cpu_stats", cpu_stats_doc(s)},
                   {"memory_stats", memory_stats_doc(s)}};
  if (!s.networks.empty()) out["networks"] = networks_doc(s.networks);
  return out;
}

}  // namespace services::ecs
