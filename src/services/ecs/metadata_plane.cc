#include "services/ecs/metadata_plane.h"

#include <boost/json.hpp>
#include <vector>

#include "core/log.h"
#include "core/query_string.h"
#include "services/ecs/ecs_json.h"
#include "store/transaction.h"

namespace services::ecs {

namespace json = boost::json;

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

void reply(http::Response& res, int status, const json::value& body) {
  res.status = status;
  res.set_header("Content-Type", "application/json");
  res.body = json::serialize(body);
}

void not_found(http::Response& res, std::string_view what) {
  res.status = 404;
  res.set_header("Content-Type", "text/plain");
  res.body = std::string(what) + "\n";
}

}  // namespace

MetadataPlane::MetadataPlane(store::Db& db, MetadataSources sources)
    : db_(db), sources_(std::move(sources)) {}

bool MetadataPlane::owns(const http::Request& head) const {
  return head.listener.starts_with(kVpcListenerPrefix) && head.local_port == 80;
}

std::optional<MetadataPlane::Found> MetadataPlane::find(const std::string& account,
                                                         const std::string& region,
                                                         const std::string& task_id) {
  std::optional<Found> out;
  store::Transaction tx = db_.read();
  std::string task_text, td_text;
  tx.query(
      "SELECT t.doc, d.doc FROM ecs_tasks t JOIN ecs_task_definitions d "
      "ON d.account = t.account AND d.region = t.region "
      "AND d.arn = json_extract(t.doc, '$.taskDefinitionArn') "
      "WHERE t.account = ?1 AND t.region = ?2 AND t.arn LIKE ?3",
      [&](const store::Statement& row) {
        task_text = row.text(0);
        td_text = row.text(1);
      },
      account, region, "%/" + task_id);
  if (task_text.empty()) return std::nullopt;
  json::value task = json::parse(task_text);
  json::value td = json::parse(td_text);
  if (!task.is_object() || !td.is_object()) return std::nullopt;
  out = Found{std::move(task.as_object()), std::move(td.as_object())};
  return out;
}

json::object MetadataPlane::stats_of(const json::object& task, const std::string& container,
                                     const std::string& runtime_id) {
  std::string task_arn = str(task, "taskArn");
  std::optional<ContainerStats> s;
  if (sources_.stats) s = sources_.stats(task_arn, container);
  json::object doc = docker_stats(container, runtime_id, s.value_or(ContainerStats{}));
  std::lock_guard lock(mu_);
  json::object& prev = previous_[task_arn + "/" + container];
  doc["precpu_stats"] = prev.empty() ? doc["cpu_stats"] : json::value(prev);
  doc["preread"] = prev.empty() ? doc["read"] : json::value(prev["read"]);
  prev = doc["cpu_stats"].as_object();
  prev["read"] = doc["read"];
  doc["precpu_stats"].as_object().erase("read");
  return doc;
}

// /v2/credentials/<id> (the agent routes "/v2/credentials" without a slash nowhere: 404) and
// /v1/credentials?id=<id>.
void MetadataPlane::serve_credentials(const http::Request& req, const std::string& account,
                                      const std::string& region,
                                      const std::vector<std::string>& parts,
                                      http::Response& res) {
  int version = parts[1] == "v1" ? 1 : 2;
  std::string id;
  if (version == 2) {
    if (parts.size() < 4) {
      not_found(res, "404 page not found");
      return;
    }
    for (std::size_t i = 3; i < parts.size(); ++i) id += (i > 3 ? "/" : "") + parts[i];
  } else {
    for (const auto& [key, value] : core::parse_query(req.query(), false)) {
      if (key == "id") id = value;
    }
  }
  TaskCredentials::Reply r = sources_.credentials
                                 ? sources_.credentials(account, region, id, req.remote_address,
                                                        version)
                                 : TaskCredentials::not_found(version);
  reply(res, r.status, r.body);
}

void MetadataPlane::handle(http::Request& req, http::Response& res) {
  // vpc/<account>/<region>/<vpc-id>
  std::vector<std::string> label = split(req.listener, '/');
  if (label.size() < 3) {
    not_found(res, "unknown listener");
    return;
  }
  const std::string& account = label[1];
  const std::string& region = label[2];
  std::string path = req.target.substr(0, req.target.find('?'));
  std::vector<std::string> parts = split(path, '/');  // "", "v4", token, ...
  if (req.method == "GET" && parts.size() >= 3 && parts[2] == "credentials" &&
      (parts[1] == "v1" || parts[1] == "v2")) {
    serve_credentials(req, account, region, parts, res);
    return;
  }
  if (req.method != "GET" || parts.size() < 3 || (parts[1] != "v4" && parts[1] != "v3")) {
    not_found(res, "404 page not found");
    return;
  }
  auto token = parse_metadata_token(parts[2]);
  if (!token) {
    not_found(res, "invalid metadata token");
    return;
  }
  std::optional<Found> found = find(account, region, token->first);
  if (!found) {
    not_found(res, "task not found");
    return;
  }
  std::optional<SubnetFacts> subnet;
  if (sources_.subnet) {
    if (const json::array* atts = arr(found->task, "attachments")) {
      for (const json::value& a : *atts) {
        if (const json::array* d = a.is_object() ? arr(a.get_object(), "details") : nullptr) {
          for (const json::value& kv : *d) {
            if (kv.is_object() && str(kv.get_object(), "name") == "subnetId") {
              subnet = sources_.subnet(account, region, str(kv.get_object(), "value"));
            }
          }
        }
      }
    }
  }
  std::string rest;
  for (std::size_t i = 3; i < parts.size(); ++i) rest += "/" + parts[i];
  const std::string& container = token->second;
  if (rest.empty() || rest == "/") {
    auto doc = container_metadata(found->task, found->task_definition, container, subnet);
    if (!doc) {
      not_found(res, "container not found");
      return;
    }
    reply(res, 200, *doc);
  } else if (rest == "/task") {
    reply(res, 200, task_metadata(found->task, found->task_definition, subnet));
  } else if (rest == "/stats") {
    auto doc = container_metadata(found->task, found->task_definition, container, subnet);
    if (!doc) {
      not_found(res, "container not found");
      return;
    }
    reply(res, 200, stats_of(found->task, container, str(*doc, "DockerId")));
  } else if (rest == "/task/stats") {
    json::object all;
    if (const json::array* cs = arr(found->task, "containers")) {
      for (const json::value& v : *cs) {
        if (!v.is_object()) continue;
        std::string name = str(v.get_object(), "name");
        std::string id = str(v.get_object(), "runtimeId");
        all[id.empty() ? name : id] = stats_of(found->task, name, id);
      }
    }
    reply(res, 200, all);
  } else {
    not_found(res, "404 page not found");
  }
}

}  // namespace services::ecs
