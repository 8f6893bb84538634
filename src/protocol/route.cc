#include "protocol/route.h"

#include "protocol/query_params.h"

#include <string>
#include <vector>

namespace protocol {
namespace {

bool is_form(const http::Request& req) {
  std::string_view ct = req.header("Content-Type");
  return ct.starts_with("application/x-www-form-urlencoded");
}

bool signs_as(const ServiceModel& m, std::string_view scope_service) {
  return m.signing_name == scope_service || m.endpoint_prefix == scope_service;
}

std::optional<Route> route_query(const http::Request& req, std::string_view scope_service) {
  std::string action, version;
  if (is_form(req) || !req.query().empty()) {
    // Malformed forms still route here by the credential scope; the codec reports them.
    Result<query::ParamMap> params = query::request_params(req);
    if (params) {
      if (auto it = params->find("Action"); it != params->end()) action = it->second;
      if (auto it = params->find("Version"); it != params->end()) version = it->second;
    }
  }
  if (action.empty() && version.empty() && !is_form(req)) return std::nullopt;

  const ServiceModel* best = nullptr;
  int best_score = -1;
  for (const ServiceModel* m : all_models()) {
    if (!m->speaks(Protocol::Query) && !m->speaks(Protocol::Ec2)) continue;
    int score = 0;
    if (!scope_service.empty()) {
      if (!signs_as(*m, scope_service)) continue;
      score += 4;
    }
    if (!version.empty()) {
      if (m->api_version != version) continue;
      score += 2;
    }
    if (scope_service.empty() && version.empty()) continue;
    if (!action.empty() && m->find_operation(action) != nullptr) score += 1;
    if (score > best_score) {
      best = m;
      best_score = score;
    }
  }
  if (best == nullptr) return std::nullopt;
  return Route{best, best->speaks(Protocol::Ec2) ? Protocol::Ec2 : Protocol::Query};
}

}  // namespace

std::optional<Route> route_request(const http::Request& req, std::string_view scope_service) {
  // JSON 1.0/1.1: X-Amz-Target: <targetPrefix>.<Operation>
  if (std::string_view target = req.header("X-Amz-Target"); !target.empty()) {
    std::string_view prefix = target.substr(0, target.rfind('.'));
    for (const ServiceModel* m : all_models()) {
      if (m->target_prefix == prefix && m->speaks(Protocol::Json)) {
        return Route{m, Protocol::Json};
      }
    }
    // An unknown prefix on a known service still answers as that service.
    for (const ServiceModel* m : all_models()) {
      if (!scope_service.empty() && signs_as(*m, scope_service) && m->speaks(Protocol::Json)) {
        return Route{m, Protocol::Json};
      }
    }
    return std::nullopt;
  }
  // Smithy RPC v2 CBOR: POST /service/<ServiceName>/operation/<Operation>
  std::string_view path = req.path();
  if (path.starts_with("/service/") &&
      (req.has_header("smithy-protocol") ||
       req.header("Content-Type").starts_with("application/cbor"))) {
    std::string_view rest = path.substr(9);
    std::string_view name = rest.substr(0, rest.find('/'));
    // The service may be named by its absolute shape id, '.' for '#' (the codec accepts both).
    if (std::size_t dot = name.rfind('.'); dot != std::string_view::npos) {
      name = name.substr(dot + 1);
    }
    for (const ServiceModel* m : all_models()) {
      if (m->speaks(Protocol::SmithyRpcV2Cbor) && m->smithy_service_name == name) {
        return Route{m, Protocol::SmithyRpcV2Cbor};
      }
    }
    return std::nullopt;
  }
  if (auto r = route_query(req, scope_service)) return r;
  // REST protocols: the credential scope names the service.
  if (!scope_service.empty()) {
    for (const ServiceModel* m : all_models()) {
      if (!signs_as(*m, scope_service)) continue;
      if (m->speaks(Protocol::RestJson)) return Route{m, Protocol::RestJson};
      if (m->speaks(Protocol::RestXml)) return Route{m, Protocol::RestXml};
    }
    // A JSON service signed but without X-Amz-Target: answer as that service.
    for (const ServiceModel* m : all_models()) {
      if (signs_as(*m, scope_service)) return Route{m, m->protocols.front()};
    }
  }
  return std::nullopt;
}

}  // namespace protocol
