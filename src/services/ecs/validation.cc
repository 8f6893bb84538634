#include "services/ecs/validation.h"

#include <cmath>
#include <set>

#include "services/ecs/ecs_json.h"
#include "services/ecs/errors.h"

namespace services::ecs {

namespace json = boost::json;

bool valid_cluster_name(std::string_view name) { return valid_resource_name(name); }

bool valid_resource_name(std::string_view name) {
  if (name.empty() || name.size() > 255) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool is_builtin_capacity_provider(std::string_view name) {
  return name == "FARGATE" || name == "FARGATE_SPOT";
}

std::string check_capacity_provider_strategy(const json::array& strategy) {
  std::set<std::string> seen;
  int with_base = 0;
  for (const json::value& v : strategy) {
    if (!v.is_object()) {
      return "Invalid capacity provider strategy.";
    }
    const json::object& item = v.get_object();
    std::string name = str(item, "capacityProvider");
    if (name.empty()) {
      return "The capacity provider strategy must specify a capacity provider.";
    }
    if (!seen.insert(name).second) {
      return "The specified capacity provider strategy cannot contain duplicate capacity "
             "providers.";
    }
    int64_t weight = opt_int(item, "weight").value_or(0);
    int64_t base = opt_int(item, "base").value_or(0);
    if (weight < 0 || weight > 1000) {
      return "The specified capacity provider strategy weight must be between 0 and 1000.";
    }
    if (base < 0 || base > 100000) {
      return "The specified capacity provider strategy base must be between 0 and 100000.";
    }
    if (base > 0) {
      ++with_base;
    }
  }
  if (with_base > 1) {
    return "You can only specify a base value for one capacity provider in a capacity provider "
           "strategy.";
  }
  return {};
}

namespace {

// "1024", "1 vCPU", "0.25 vcpu", "2 GB", "512 MiB"... → value times `unit_scale` for the unit form.
std::optional<int64_t> parse_size(std::string_view text, std::string_view unit, double scale) {
  std::string t(text);
  while (!t.empty() && t.back() == ' ') {
    t.pop_back();
  }
  if (t.empty()) {
    return std::nullopt;
  }
  if (t.find_first_not_of("0123456789") == std::string::npos) {
    if (t.size() > 9) {
      return std::nullopt;
    }
    return std::stoll(t);
  }
  std::string lower;
  for (char c : t) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!lower.ends_with(unit)) {
    return std::nullopt;
  }
  std::string number = lower.substr(0, lower.size() - unit.size());
  while (!number.empty() && number.back() == ' ') {
    number.pop_back();
  }
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos ||
      number.size() > 9) {
    return std::nullopt;
  }
  double value = std::stod(number) * scale;
  return static_cast<int64_t>(std::llround(value));
}

}  // namespace

std::optional<int64_t> parse_task_cpu(std::string_view text) {
  return parse_size(text, "vcpu", 1024);
}

std::optional<int64_t> parse_task_memory(std::string_view text) {
  return parse_size(text, "gb", 1024);
}

bool fargate_size_valid(int64_t cpu, int64_t memory) {
  auto in_steps = [&](int64_t lo, int64_t hi, int64_t step) {
    return memory >= lo && memory <= hi && (memory - lo) % step == 0;
  };
  switch (cpu) {
    case 256:
      return memory == 512 || memory == 1024 || memory == 2048;
    case 512:
      return in_steps(1024, 4096, 1024);
    case 1024:
      return in_steps(2048, 8192, 1024);
    case 2048:
      return in_steps(4096, 16384, 1024);
    case 4096:
      return in_steps(8192, 30720, 1024);
    case 8192:
      return in_steps(16384, 61440, 4096);
    case 16384:
      return in_steps(32768, 122880, 8192);
    default:
      return false;
  }
}

namespace {

bool has_compat(const json::object& in, std::string_view what) {
  for (const std::string& c : strings(in, "requiresCompatibilities")) {
    if (c == what) {
      return true;
    }
  }
  return false;
}

// Fills ECS's container defaults in so that Describe shows what ECS shows.
void default_container(json::object& c, bool awsvpc) {
  if (!c.contains("essential")) {
    c["essential"] = true;
  }
  if (!c.contains("cpu")) {
    c["cpu"] = 0;
  }
  for (std::string_view list : {"portMappings", "environment", "mountPoints", "volumesFrom"}) {
    if (!c.contains(list)) {
      c[list] = json::array();
    }
  }
  if (json::value* pm = c.if_contains("portMappings"); pm && pm->is_array()) {
    for (json::value& m : pm->as_array()) {
      if (!m.is_object()) {
        continue;
      }
      json::object& mapping = m.as_object();
      if (!mapping.contains("protocol")) {
        mapping["protocol"] = "tcp";
      }
      if (awsvpc && !mapping.contains("hostPort") && mapping.contains("containerPort")) {
        mapping["hostPort"] = mapping["containerPort"];
      }
    }
  }
}

// The task-level cpu and memory, in CPU units and MiB; absent when the request gives none.
struct TaskSize {
  std::optional<int64_t> cpu;
  std::optional<int64_t> memory;
};

// What every container definition of one task definition is checked against.
struct TaskRules {
  const json::object& in;
  TaskSize size;
  bool fargate = false;
  bool awsvpc = false;
};

// Reads the task-level cpu and memory ("256", "0.25 vCPU"; "512", "0.5 GB"), writes them into
// `td` as numbers of units, and checks them against Fargate's sizes when the task needs Fargate.
protocol::Result<TaskSize> check_task_size(const json::object& in, bool fargate, bool awsvpc,
                                           json::object& td) {
  TaskSize size;
  if (std::optional<std::string> text = opt_str(in, "cpu")) {
    size.cpu = parse_task_cpu(*text);
    if (!size.cpu || *size.cpu <= 0) {
      return errors::invalid_parameter("Invalid 'cpu' setting for task.");
    }
    td["cpu"] = std::to_string(*size.cpu);
  }
  if (std::optional<std::string> text = opt_str(in, "memory")) {
    size.memory = parse_task_memory(*text);
    if (!size.memory || *size.memory <= 0) {
      return errors::invalid_parameter("Invalid 'memory' setting for task.");
    }
    td["memory"] = std::to_string(*size.memory);
  }
  if (!fargate) {
    return size;
  }
  if (!awsvpc) {
    return errors::client("Fargate only supports network mode \xE2\x80\x98" "awsvpc\xE2\x80\x99.");
  }
  if (!size.cpu) {
    return errors::client("Fargate requires that 'cpu' be defined at the task level.");
  }
  if (!size.memory) {
    return errors::client("Fargate requires that 'memory' be defined at the task level.");
  }
  if (!fargate_size_valid(*size.cpu, *size.memory)) {
    return errors::client("No Fargate configuration exists for given values: " +
                          std::to_string(*size.cpu) + " CPU, " + std::to_string(*size.memory) +
                          " memory. See the Amazon ECS documentation for the valid values.");
  }
  return size;
}

protocol::Result<void> check_port_mappings(const json::object& c, bool awsvpc) {
  const json::array* pms = arr(c, "portMappings");
  if (!pms) {
    return {};
  }
  for (const json::value& pm : *pms) {
    if (!pm.is_object()) {
      continue;
    }
    std::optional<int64_t> container_port = opt_int(pm.get_object(), "containerPort");
    std::optional<int64_t> host_port = opt_int(pm.get_object(), "hostPort");
    if (container_port && (*container_port < 0 || *container_port > 65535)) {
      return errors::client("Invalid containerPort " + std::to_string(*container_port) + ".");
    }
    if (awsvpc && container_port && host_port && *host_port != *container_port) {
      return errors::client(
          "When networkMode=awsvpc, the host ports and container ports in port mappings "
          "must match.");
    }
  }
  return {};
}

// Memory settings of one container: one of memory/memoryReservation unless the task has memory,
// reservation within the limit, the limit within the task's.
protocol::Result<void> check_container_memory(const json::object& c, const std::string& name,
                                              const TaskSize& size) {
  if (!size.memory && !c.contains("memory") && !c.contains("memoryReservation")) {
    return errors::client("Invalid setting for container '" + name +
                          "'. At least one of 'memory' or 'memoryReservation' must be "
                          "specified.");
  }
  std::optional<int64_t> cmem = opt_int(c, "memory");
  std::optional<int64_t> creserve = opt_int(c, "memoryReservation");
  if (cmem && creserve && *creserve > *cmem) {
    return errors::client("Invalid setting for container '" + name +
                          "'. 'memory' must be greater than or equal to 'memoryReservation'.");
  }
  if (size.memory && cmem && *cmem > *size.memory) {
    return errors::client("Invalid setting for container '" + name +
                          "'. 'memory' cannot be greater than the task 'memory'.");
  }
  return {};
}

// One container definition; `names` collects the names seen so far, to reject duplicates.
protocol::Result<void> check_container(const json::object& c, const TaskRules& rules,
                                       std::set<std::string>& names) {
  std::string name = str(c, "name");
  if (!valid_resource_name(name)) {
    return errors::client(
        "Container name contains invalid characters or is too long. Up to 255 letters "
        "(uppercase and lowercase), numbers, hyphens, and underscores are allowed.");
  }
  if (!names.insert(name).second) {
    return errors::client("Duplicate container name found: " + name + ".");
  }
  if (str(c, "image").empty()) {
    return errors::client("Container.image should not be null or empty.");
  }
  if (auto r = check_container_memory(c, name, rules.size); !r) {
    return r;
  }
  if (auto r = check_port_mappings(c, rules.awsvpc); !r) {
    return r;
  }
  if (const json::array* secrets = arr(c, "secrets");
      secrets && !secrets->empty() && !rules.in.contains("executionRoleArn")) {
    return errors::client(
        "When you are specifying container secrets, you must also specify a value for "
        "'executionRoleArn'.");
  }
  if (rules.fargate) {
    if (const json::object* lc = obj(c, "logConfiguration");
        lc && str(*lc, "logDriver") == "awslogs" && !rules.in.contains("executionRoleArn")) {
      return errors::client(
          "Fargate requires task definition to have execution role ARN to support log "
          "driver awslogs.");
    }
  }
  return {};
}

// The checked container definitions with ECS's defaults filled in; at least one essential.
protocol::Result<json::array> check_containers(const json::array& containers,
                                               const TaskRules& rules) {
  std::set<std::string> names;
  bool any_essential = false;
  json::array out;
  for (const json::value& v : containers) {
    if (!v.is_object()) {
      return errors::client("Container definition must be an object.");
    }
    json::object c = v.get_object();
    if (auto r = check_container(c, rules, names); !r) {
      return r.error();
    }
    if (opt_bool(c, "essential").value_or(true)) {
      any_essential = true;
    }
    default_container(c, rules.awsvpc);
    out.push_back(std::move(c));
  }
  if (!any_essential) {
    return errors::client("Task definition does not have any essential container.");
  }
  return out;
}

// The members ECS fills in on every task definition: network mode, empty lists, the
// compatibilities the task's settings allow.
void default_task_definition(json::object& td, const std::string& network_mode,
                             const TaskSize& size) {
  if (!network_mode.empty()) {
    td["networkMode"] = network_mode;
  }
  if (!td.contains("volumes")) {
    td["volumes"] = json::array();
  }
  if (!td.contains("placementConstraints")) {
    td["placementConstraints"] = json::array();
  }
  json::array compat{"EC2"};
  if (network_mode == "awsvpc" && size.cpu && size.memory &&
      fargate_size_valid(*size.cpu, *size.memory)) {
    compat.push_back("FARGATE");
  }
  td["compatibilities"] = std::move(compat);
  if (!td.contains("requiresCompatibilities")) {
    td.erase("requiresCompatibilities");
  }
}

}  // namespace

protocol::Result<json::object> check_task_definition(const json::object& in) {
  std::string family = str(in, "family");
  if (!valid_resource_name(family)) {
    return errors::client(
        "Family contains invalid characters or is too long. Up to 255 letters (uppercase and "
        "lowercase), numbers, hyphens, and underscores are allowed.");
  }
  const json::array* containers = arr(in, "containerDefinitions");
  if (!containers || containers->empty()) {
    return errors::client("Container list cannot be empty.");
  }
  bool fargate = has_compat(in, "FARGATE");
  std::string network_mode = str(in, "networkMode", fargate ? "" : "bridge");
  bool awsvpc = network_mode == "awsvpc";

  json::object td = in;
  td.erase("tags");
  protocol::Result<TaskSize> size = check_task_size(in, fargate, awsvpc, td);
  if (!size) {
    return size.error();
  }
  protocol::Result<json::array> checked =
      check_containers(*containers, TaskRules{in, *size, fargate, awsvpc});
  if (!checked) {
    return checked.error();
  }
  td["containerDefinitions"] = std::move(*checked);
  default_task_definition(td, network_mode, *size);
  return td;
}

}  // namespace services::ecs
