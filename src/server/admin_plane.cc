#include "server/admin_plane.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/log.h"
#include "protocol/model.h"
#include "protocol/model_origin.h"
#include "protocol/sigv4.h"

#ifndef GANTRY_VERSION
#define GANTRY_VERSION "0.0.0"
#endif

namespace server {
namespace {

void json_reply(http::Response& res, int status, const boost::json::value& body) {
  res.status = status;
  res.set_header("Content-Type", "application/json");
  res.body = boost::json::serialize(body);
}

// Per model: where it came from and the protocols Gantry answers for it. "protocols_added" are
// those that clients send and the model predates (gen_models.py CLIENT_PROTOCOLS).
boost::json::object service_models() {
  boost::json::object out;
  for (const protocol::ModelOrigin& origin : protocol::model_origins()) {
    const protocol::ServiceModel* model = protocol::find_model(origin.service);
    boost::json::array protocols, added;
    if (model != nullptr) {
      for (protocol::Protocol p : model->protocols) {
        protocols.emplace_back(protocol::protocol_name(p));
        if (std::find(origin.model_protocols.begin(), origin.model_protocols.end(), p) ==
            origin.model_protocols.end()) {
          added.emplace_back(protocol::protocol_name(p));
        }
      }
    }
    out[origin.service] = {{"source", origin.source},
                           {"api_version", origin.api_version},
                           {"protocols", std::move(protocols)},
                           {"protocols_added", std::move(added)}};
  }
  return out;
}

}  // namespace

std::string AdminPlane::refusal(const http::Request& req) const {
  if (!signer_check_) return {};
  auto auth = protocol::sigv4::parse(req);
  if (!auth) return auth.error().message;
  if (!auth->signed_request) {
    return "this server runs with --auth strict: sign the request with a configured root key";
  }
  std::optional<protocol::Principal> principal =
      signer_check_->identities->lookup(auth->scope.access_key_id);
  if (!principal || !principal->session_token.empty() || !principal->arn.ends_with(":root")) {
    return "the request is not signed with a configured root key";
  }
  if (auto err = protocol::sigv4::verify(req, *auth, principal->secret_access_key,
                                         signer_check_->clock->now())) {
    return err->message;
  }
  return {};
}

AdminPlane::AdminPlane(const protocol::ServiceRegistry& registry, bool reset_enabled,
                       std::string auth_mode)
    : registry_(registry), reset_enabled_(reset_enabled), auth_mode_(std::move(auth_mode)) {}

void AdminPlane::handle(const http::Request& req, http::Response& res) {
  std::string_view path = req.path();
  if (path == "/_gantry/health") {
    if (req.method != "GET" && req.method != "HEAD") {
      json_reply(res, 405, {{"error", "use GET"}});
      return;
    }
    double uptime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    boost::json::object services;
    for (const protocol::ServiceHealth& h : registry_.health()) {
      services[h.name] = {{"state", h.state},
                          {"operations", h.operations_implemented},
                          {"operations_in_model", h.operations_in_model}};
    }
    json_reply(res, 200,
               {{"version", GANTRY_VERSION},
                {"uptime_seconds", uptime},
                {"models", protocol::models_source()},
                {"service_models", service_models()},
                {"auth", auth_mode_},
                {"reset_enabled", reset_enabled_},
                {"services", services}});
    return;
  }
  if (path == "/_gantry/reset") {
    if (req.method != "POST") {
      json_reply(res, 405, {{"error", "use POST"}});
      return;
    }
    if (!reset_enabled_) {
      json_reply(res, 403, {{"error", "reset is disabled (--disable-reset)"}});
      return;
    }
    if (std::string why = refusal(req); !why.empty()) {
      core::log::info("reset refused", {{"reason", why}});
      json_reply(res, 403, {{"error", why}});
      return;
    }
    for (const ResetHook& hook : reset_hooks_) hook();
    core::log::info("state reset");
    json_reply(res, 200, {{"reset", true}});
    return;
  }
  json_reply(res, 404, {{"error", "unknown endpoint"}, {"path", std::string(path)}});
}

}  // namespace server
