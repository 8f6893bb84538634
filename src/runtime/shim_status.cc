#include "runtime/shim_status.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/json.h"

namespace runtime {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const char* state_name(ShimStatus::State s) {
  switch (s) {
    case ShimStatus::State::Starting:
      return "starting";
    case ShimStatus::State::Running:
      return "running";
    case ShimStatus::State::Exited:
      return "exited";
    case ShimStatus::State::Failed:
      return "failed";
  }
  return "starting";
}

bool write_atomically(const fs::path& file, const std::string& text) {
  fs::path tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  return !ec;
}

std::int64_t num(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

}  // namespace

bool write_shim_config(const fs::path& file, const ShimConfig& c) {
  json::array lower;
  for (const std::string& l : c.lower) {
    lower.emplace_back(l);
  }
  json::object o{{"id", c.id},
                 {"runc", c.runc},
                 {"runc_root", c.runc_root},
                 {"cgroup", c.cgroup},
                 {"lower_base", c.lower_base},
                 {"lower", std::move(lower)},
                 {"log_segment_bytes", c.log_segment_bytes},
                 {"log_max_segments", c.log_max_segments},
                 {"log_blocking", c.log_blocking}};
  return write_atomically(file, json::serialize(o));
}

std::optional<ShimConfig> read_shim_config(const fs::path& file) {
  std::optional<json::object> o = core::read_json_object(file);
  if (!o) {
    return std::nullopt;
  }
  ShimConfig c;
  c.id = core::str(*o, "id");
  c.runc = core::str(*o, "runc");
  c.runc_root = core::str(*o, "runc_root");
  c.cgroup = core::str(*o, "cgroup");
  c.lower_base = core::str(*o, "lower_base");
  if (const json::value* l = o->if_contains("lower"); l && l->is_array()) {
    for (const json::value& e : l->as_array()) {
      if (e.is_string()) {
        c.lower.emplace_back(e.as_string());
      }
    }
  }
  if (std::int64_t n = num(*o, "log_segment_bytes"); n > 0) {
    c.log_segment_bytes = static_cast<std::uint64_t>(n);
  }
  if (std::int64_t n = num(*o, "log_max_segments"); n > 0) {
    c.log_max_segments = static_cast<std::uint64_t>(n);
  }
  if (const json::value* b = o->if_contains("log_blocking"); b && b->is_bool()) {
    c.log_blocking = b->as_bool();
  }
  if (c.id.empty() || c.runc.empty()) {
    return std::nullopt;
  }
  return c;
}

bool write_shim_status(const fs::path& file, const ShimStatus& s) {
  json::object o{{"state", state_name(s.state)},
                 {"shim_pid", s.shim_pid},
                 {"pid", s.pid},
                 {"started_at_ms", s.started_at_ms},
                 {"finished_at_ms", s.finished_at_ms},
                 {"oom_killed", s.oom_killed},
                 {"error", s.error}};
  if (s.exit_code) {
    o["exit_code"] = *s.exit_code;
  }
  return write_atomically(file, json::serialize(o));
}

std::optional<ShimStatus> read_shim_status(const fs::path& file) {
  std::optional<json::object> o = core::read_json_object(file);
  if (!o) {
    return std::nullopt;
  }
  ShimStatus s;
  std::string state = core::str(*o, "state");
  if (state == "running") {
    s.state = ShimStatus::State::Running;
  } else if (state == "exited") {
    s.state = ShimStatus::State::Exited;
  } else if (state == "failed") {
    s.state = ShimStatus::State::Failed;
  } else {
    s.state = ShimStatus::State::Starting;
  }
  s.shim_pid = static_cast<int>(num(*o, "shim_pid"));
  s.pid = static_cast<int>(num(*o, "pid"));
  s.started_at_ms = num(*o, "started_at_ms");
  s.finished_at_ms = num(*o, "finished_at_ms");
  if (o->contains("exit_code")) {
    s.exit_code = static_cast<int>(num(*o, "exit_code"));
  }
  const json::value* oom = o->if_contains("oom_killed");
  s.oom_killed = oom && oom->is_bool() && oom->as_bool();
  s.error = core::str(*o, "error");
  return s;
}

}  // namespace runtime
