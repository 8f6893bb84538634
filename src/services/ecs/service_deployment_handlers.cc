// The service deployments and revisions API (2024): the same deployments, seen as history.
// Each deployment in a service's internal "_history" is one service deployment and one revision;
// both ARNs end in the digits of the deployment id (ecs-svc/<digits>).

#include "services/ecs/ecs_json.h"
#include "services/ecs/ecs_service.h"
#include "services/ecs/ecs_store.h"
#include "services/ecs/errors.h"
#include "services/ecs/service_status.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

std::string digits_of(const Doc& entry) {
  std::string id = str(entry, "id");
  return id.substr(id.find('/') + 1);
}

// service/<cluster>/<service> → <kind>/<cluster>/<service>/<digits>
std::string history_arn(std::string_view service_arn, std::string_view kind,
                         std::string_view digits) {
  std::string arn(service_arn);
  auto pos = arn.find(":service/");
  return arn.substr(0, pos + 1) + std::string(kind) + arn.substr(pos + 8) + "/" +
         std::string(digits);
}

// The service ARN and digits inside a service-deployment or service-revision ARN.
bool split_history_arn(std::string_view arn, std::string_view kind, std::string* service_arn,
                       std::string* digits) {
  std::string marker = ":" + std::string(kind) + "/";
  auto pos = arn.find(marker);
  auto last = arn.rfind('/');
  if (pos == std::string_view::npos || last == std::string_view::npos || last <= pos) {
    return false;
  }
  *service_arn = std::string(arn.substr(0, pos)) + ":service/" +
                 std::string(arn.substr(pos + marker.size(), last - pos - marker.size()));
  *digits = std::string(arn.substr(last + 1));
  return true;
}

const Doc* find_entry(const Doc& service, std::string_view digits) {
  if (const json::array* h = arr(service, "_history")) {
    for (const json::value& e : *h) {
      if (digits_of(e.as_object()) == digits) {
        return &e.as_object();
      }
    }
  }
  return nullptr;
}

// The entry's deployment in deployments[] while the service still lists it.
const Doc* live_deployment(const Doc& service, const Doc& entry) {
  if (const json::array* ds = arr(service, "deployments")) {
    for (const json::value& d : *ds) {
      if (str(d.as_object(), "id") == str(entry, "id")) {
        return &d.as_object();
      }
    }
  }
  return nullptr;
}

json::object revision_ref(const Doc& service, const Doc& entry) {
  const Doc* d = live_deployment(service, entry);
  return {{"arn", history_arn(str(service, "serviceArn"), "service-revision", digits_of(entry))},
          {"requestedTaskCount", opt_int(entry, "desiredCount").value_or(0)},
          {"runningTaskCount", d ? opt_int(*d, "runningCount").value_or(0) : 0},
          {"pendingTaskCount", d ? opt_int(*d, "pendingCount").value_or(0) : 0}};
}

// The circuit breaker as the scheduler applies it: DISABLED, MONITORING, or TRIGGERED once the
// deployment failed.
json::object circuit_breaker(const Doc& service, const Doc& entry) {
  const json::object* config = obj(service, "deploymentConfiguration");
  const json::object* breaker = config ? obj(*config, "deploymentCircuitBreaker") : nullptr;
  const Doc* d = live_deployment(service, entry);
  int64_t failed = d ? opt_int(*d, "failedTasks").value_or(0) : 0;
  std::string status = "DISABLED";
  if (breaker && opt_bool(*breaker, "enable").value_or(false)) {
    std::string s = str(entry, "status");
    status = s == "FAILED" || s.starts_with("ROLLBACK") ? "TRIGGERED" : "MONITORING";
  }
  return {{"status", status},
          {"failureCount", failed},
          {"threshold", circuit_breaker_threshold(opt_int(entry, "desiredCount").value_or(0))}};
}

}  // namespace

// ListServiceDeployments — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
Reply EcsService::list_service_deployments(const Ctx& ctx, const Doc& in) {
  protocol::Result<Page> page = read_page(in, 20, 100);
  if (!page) {
    return page.error();
  }
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  protocol::Result<Doc> cluster = active_cluster(st, ctx, in, false);
  if (!cluster) {
    return cluster.error();
  }
  std::string ref = str(in, "service");
  std::string arn = is_arn(ref) ? ref
                                : ecs_arn(ctx, "service/" + str(*cluster, "clusterName") + "/" + ref);
  std::optional<Doc> service = st.get(Table::Services, arn);
  if (!service) {
    return errors::service_not_found();
  }
  std::vector<std::string> statuses = strings(in, "status");
  json::array out;
  if (const json::array* h = arr(*service, "_history")) {
    // Newest first.
    for (auto it = h->rbegin(); it != h->rend(); ++it) {
      const Doc& e = it->as_object();
      if (!statuses.empty() &&
          std::find(statuses.begin(), statuses.end(), str(e, "status")) == statuses.end()) {
        continue;
      }
      Doc d{{"serviceDeploymentArn", history_arn(arn, "service-deployment", digits_of(e))},
            {"serviceArn", arn},
            {"clusterArn", str(*service, "clusterArn")},
            {"startedAt", e.at("startedAt")},
            {"createdAt", e.at("createdAt")},
            {"targetServiceRevisionArn", history_arn(arn, "service-revision", digits_of(e))},
            {"status", str(e, "status")}};
      if (e.contains("finishedAt")) {
        d["finishedAt"] = e.at("finishedAt");
      }
      out.push_back(std::move(d));
    }
  }
  return json::object{{"serviceDeployments", std::move(out)}};
}

// DescribeServiceDeployments — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
Reply EcsService::describe_service_deployments(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  json::array deployments;
  json::array failures;
  for (const std::string& arn : strings(in, "serviceDeploymentArns")) {
    std::string service_arn;
    std::string digits;
    std::optional<Doc> service;
    const Doc* entry = nullptr;
    if (split_history_arn(arn, "service-deployment", &service_arn, &digits)) {
      service = st.get(Table::Services, service_arn);
      entry = service ? find_entry(*service, digits) : nullptr;
    }
    if (!entry) {
      failures.push_back(failure(arn, "MISSING"));
      continue;
    }
    Doc d{{"serviceDeploymentArn", arn},
          {"serviceArn", service_arn},
          {"clusterArn", str(*service, "clusterArn")},
          {"createdAt", entry->at("createdAt")},
          {"startedAt", entry->at("startedAt")},
          {"updatedAt", entry->at("updatedAt")},
          {"targetServiceRevision", revision_ref(*service, *entry)},
          {"status", str(*entry, "status")},
          {"deploymentCircuitBreaker", circuit_breaker(*service, *entry)},
          {"alarms", {{"status", "DISABLED"}}}};
    json::array sources;
    const json::array& h = service->at("_history").as_array();
    for (size_t i = 1; i < h.size(); ++i) {
      if (digits_of(h[i].as_object()) == digits) {
        sources.push_back(revision_ref(*service, h[i - 1].as_object()));
      }
    }
    d["sourceServiceRevisions"] = std::move(sources);
    if (entry->contains("finishedAt")) {
      d["finishedAt"] = entry->at("finishedAt");
    }
    if (const json::value* dc = service->if_contains("deploymentConfiguration")) {
      d["deploymentConfiguration"] = *dc;
    }
    deployments.push_back(std::move(d));
  }
  return json::object{{"serviceDeployments", std::move(deployments)},
                      {"failures", std::move(failures)}};
}

// DescribeServiceRevisions — https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html
Reply EcsService::describe_service_revisions(const Ctx& ctx, const Doc& in) {
  store::Transaction tx = db_.read();
  EcsStore st(tx, ctx.account, ctx.region);
  json::array revisions;
  json::array failures;
  for (const std::string& arn : strings(in, "serviceRevisionArns")) {
    std::string service_arn;
    std::string digits;
    std::optional<Doc> service;
    const Doc* entry = nullptr;
    if (split_history_arn(arn, "service-revision", &service_arn, &digits)) {
      service = st.get(Table::Services, service_arn);
      entry = service ? find_entry(*service, digits) : nullptr;
    }
    if (!entry) {
      failures.push_back(failure(arn, "MISSING"));
      continue;
    }
    Doc r{{"serviceRevisionArn", arn},
          {"serviceArn", service_arn},
          {"clusterArn", str(*service, "clusterArn")},
          {"taskDefinition", str(*entry, "taskDefinition")},
          {"containerImages", json::array()},
          {"guardDutyEnabled", false},
          {"createdAt", entry->at("createdAt")}};
    for (std::string_view key : {"launchType", "capacityProviderStrategy", "platformVersion",
                                 "platformFamily", "networkConfiguration", "loadBalancers",
                                 "serviceRegistries"}) {
      if (const json::value* v = entry->if_contains(key)) {
        r[key] = *v;
      }
    }
    revisions.push_back(std::move(r));
  }
  return json::object{{"serviceRevisions", std::move(revisions)},
                      {"failures", std::move(failures)}};
}

}  // namespace services::ecs
