// Times services::ecs::EcsMetricsPublisher::publish(), the publisher the server runs every
// --ecs-metrics-period, over N RUNNING tasks of one service in a file-backed SQLite database (as
// the server's) with CloudWatch's own StoreMetricSink. The containers' cgroup readings are
// synthetic (reading a cgroup is a few small files per container; the cost measured here is the
// publisher and the metric store).
//
// Usage: ecs_metrics_harness [--tasks 200] [--periods 20] [--insights] [--dir DIR]
// Prints one line: tasks, data put per period, median and max ms per publish(), CPU ms per
// publish (user+system), and the database size after the run.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.h"
#include "services/cloudwatch/store_metric_sink.h"
#include "services/ecs/ecs_metrics_publisher.h"
#include "services/ecs/ecs_store.h"
#include "store/db.h"
#include "store/transaction.h"

namespace json = boost::json;
namespace ecs = services::ecs;

namespace {

constexpr const char* kAccount = "000000000000";
constexpr const char* kRegion = "us-east-1";
constexpr const char* kPrefix = "arn:aws:ecs:us-east-1:000000000000:";

double cpu_ms() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](timeval t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

void seed(store::Db& db, int tasks, bool insights) {
  store::Transaction tx = db.begin();
  ecs::EcsStore st(tx, kAccount, kRegion);
  std::string cluster = std::string(kPrefix) + "cluster/bench";
  st.put_cluster({{"clusterArn", cluster}, {"clusterName", "bench"}, {"status", "ACTIVE"},
                  {"settings", json::array{json::object{
                                   {"name", "containerInsights"},
                                   {"value", insights ? "enabled" : "disabled"}}}}});
  for (int i = 0; i < tasks; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "%032x", i + 1);
    st.put_task({{"taskArn", std::string(kPrefix) + "task/bench/" + id},
                 {"clusterArn", cluster},
                 {"taskDefinitionArn", std::string(kPrefix) + "task-definition/web:1"},
                 {"group", "service:api"},
                 {"lastStatus", "RUNNING"},
                 {"desiredStatus", "RUNNING"},
                 {"launchType", "FARGATE"},
                 {"cpu", "256"},
                 {"memory", "512"},
                 {"containers", json::array{json::object{{"name", "app"}}}}});
  }
  tx.commit();
}

}  // namespace

int main(int argc, char** argv) {
  int tasks = 200, periods = 20;
  bool insights = false;
  std::filesystem::path dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--tasks" && i + 1 < argc) tasks = std::atoi(argv[++i]);
    else if (a == "--periods" && i + 1 < argc) periods = std::atoi(argv[++i]);
    else if (a == "--insights") insights = true;
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [--tasks N] [--periods P] [--insights] [--dir DIR]\n",
                   argv[0]);
      return 2;
    }
  }
  bool own_dir = dir.empty();
  if (own_dir) {
    char tmpl[] = "/tmp/ecs-metrics-bench-XXXXXX";
    if (!::mkdtemp(tmpl)) return 1;
    dir = tmpl;
  }
  std::uintmax_t db_bytes = 0;
  {
    store::Db db = store::Db::open(dir / "gantry.db");
    seed(db, tasks, insights);
    core::SystemClock clock;
    services::cloudwatch::StoreMetricSink sink(db, clock);
    std::uint64_t tick = 0;
    ecs::TaskReadings readings{.stats = [&tick](const std::string&, const std::string&) {
      ecs::ContainerStats s;
      s.cgroup.cpu = runtime::CgroupCpuStats{.usage_ns = tick * 1'000'000'000ULL};
      s.cgroup.memory = runtime::CgroupMemoryStats{.usage = 64ULL << 20};
      s.networks = {{.name = "eth1", .rx_bytes = tick * 1000, .tx_bytes = tick * 500}};
      return std::optional<ecs::ContainerStats>(s);
    }};
    ecs::EcsMetricsPublisher publisher(db, clock, sink, readings);
    publisher.publish();  // the baselines
    std::vector<double> ms;
    std::size_t put = 0;
    double cpu_before = cpu_ms();
    for (int p = 0; p < periods; ++p) {
      ++tick;
      auto t0 = std::chrono::steady_clock::now();
      put = publisher.publish();
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                       .count());
    }
    double cpu = (cpu_ms() - cpu_before) / periods;
    std::sort(ms.begin(), ms.end());
    std::error_code ec;
    for (const char* f : {"gantry.db", "gantry.db-wal"}) {
      std::uintmax_t n = std::filesystem::file_size(dir / f, ec);
      if (!ec) db_bytes += n;
    }
    std::printf("tasks %d insights %s puts/period %zu publish median %.1f ms max %.1f ms "
                "cpu %.1f ms/period db %.1f MiB after %d periods\n",
                tasks, insights ? "on" : "off", put, ms[ms.size() / 2], ms.back(), cpu,
                db_bytes / 1048576.0, periods + 1);
  }
  if (own_dir) std::filesystem::remove_all(dir);
  return 0;
}
