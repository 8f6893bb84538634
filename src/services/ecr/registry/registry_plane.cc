#include "services/ecr/registry/registry_plane.h"

#include <fcntl.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <shared_mutex>

#include "core/log.h"
#include "services/ecr/digest.h"
#include "services/ecr/image_store.h"
#include "services/ecr/registry/registry_http.h"
#include "services/ecr/registry/upload_sink.h"

namespace services::ecr {

namespace json = boost::json;

namespace {

using Route = RegistryPlane::Route;

Route parse_route(std::string_view path) {
  Route r;
  if (path == "/v2" || path == "/v2/") {
    r.kind = Route::Kind::Base;
    return r;
  }
  std::string_view rest = path.substr(4);  // after "/v2/"
  if (rest == "_catalog") {
    r.kind = Route::Kind::Catalog;
    return r;
  }
  auto split = [&](std::string_view marker, Route::Kind kind) {
    std::size_t at = rest.rfind(marker);
    if (at == std::string_view::npos || at == 0) {
      return false;
    }
    r.kind = kind;
    r.name = std::string(rest.substr(0, at));
    r.arg = std::string(rest.substr(at + marker.size()));
    return true;
  };
  if (rest.ends_with("/tags/list")) {
    r.kind = Route::Kind::Tags;
    r.name = std::string(rest.substr(0, rest.size() - 10));
    return r;
  }
  if (rest.ends_with("/blobs/uploads") || rest.ends_with("/blobs/uploads/")) {
    r.kind = Route::Kind::Upload;
    r.name = std::string(rest.substr(0, rest.rfind("/blobs/uploads")));
    return r;
  }
  if (split("/blobs/uploads/", Route::Kind::Upload) ||
      split("/manifests/", Route::Kind::Manifest) || split("/referrers/", Route::Kind::Referrers) ||
      split("/blobs/", Route::Kind::Blob)) {
    if (r.arg.find('/') != std::string::npos) {
      r.kind = Route::Kind::Unknown;
    }
    return r;
  }
  return r;
}

}  // namespace

RegistryPlane::RegistryPlane(EcrStore& store, UploadStore& uploads, const TokenIssuer& tokens,
                             const core::Clock& clock, RegistryOptions options)
    : store_(store),
      uploads_(uploads),
      tokens_(tokens),
      clock_(clock),
      options_(std::move(options)) {}

bool RegistryPlane::owns(const http::Request& head) const {
  // Port 80 of a VPC's listener is 169.254.170.2, the ECS task metadata endpoint, whose
  // credentials path (/v2/credentials/<id>) is not the registry's.
  if (head.listener.starts_with("vpc/") && head.local_port == 80) return false;
  std::string_view path = head.path();
  return path == "/v2" || path.starts_with("/v2/");
}

bool RegistryPlane::identify(const http::Request& req, Caller* caller, http::Response& res) const {
  caller->account = options_.default_account;
  caller->region = options_.default_region;
  bool from_host = parse_registry_host(req.header("Host"), &caller->account, &caller->region);
  std::string_view authorization = req.header("Authorization");
  std::optional<TokenClaims> claims;
  if (!authorization.empty()) {
    claims = tokens_.from_authorization(authorization);
  } else if (std::string token = query_param(req.query(), "X-Gantry-Token"); !token.empty()) {
    claims = tokens_.verify(token);  // a GetDownloadUrlForLayer URL
  }
  bool valid = claims && claims->expires_at > clock_.now();
  if (options_.strict_auth && !valid) {
    std::string host(req.header("Host"));
    res.set_header("WWW-Authenticate",
                   "Basic realm=\"https://" + host + "/\",service=\"ecr.amazonaws.com\"");
    registry_error(res, 401, "UNAUTHORIZED",
                   claims ? "Your authorization token has expired. Reauthenticate and try again."
                          : "Not Authorized");
    return false;
  }
  if (!from_host && claims) {
    caller->account = claims->account;
    caller->region = claims->region;
  }
  return true;
}

std::shared_ptr<http::BodySink> RegistryPlane::stream_body(const http::Request& head) {
  Route route = parse_route(head.path());
  if (route.kind != Route::Kind::Upload ||
      (head.method != "PATCH" && head.method != "PUT" && head.method != "POST")) {
    return nullptr;
  }
  Caller caller;
  http::Response ignored;
  if (!identify(head, &caller, ignored)) {
    auto sink = std::make_shared<UploadSink>();
    sink->error_status = 401;  // handle() identifies again and answers
    return sink;
  }
  if (head.method == "POST" && query_param(head.query(), "digest").empty()) {
    return nullptr;  // starts a session (or mounts): no body worth streaming
  }
  return open_upload_sink(head, route, caller);
}

void RegistryPlane::handle(http::Request& req, http::Response& res) {
  auto start = std::chrono::steady_clock::now();
  res.set_header("Docker-Distribution-API-Version", "registry/2.0");
  Route route = parse_route(req.path());
  Caller caller;
  if (identify(req, &caller, res)) {
    try {
      dispatch(req, res, route, caller);
    } catch (const std::exception& e) {
      core::log::error("registry request failed", {{"path", req.target}, {"what", e.what()}});
      res.body_file.reset();
      res.headers.clear();
      registry_error(res, 500, "UNKNOWN", "internal error");
    }
  }
  // The server keeps the request (and its sink) until the response is written; the client may
  // continue the upload on another connection as soon as it reads that response, so the session
  // must be free before then.
  if (auto sink = std::dynamic_pointer_cast<UploadSink>(req.body_sink)) {
    sink->appender.reset();
    sink->blob.reset();
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", ms);
  core::log::info("registry request", {{"method", req.method},
                                       {"path", std::string(req.path())},
                                       {"status", std::to_string(res.status)},
                                       {"account", caller.account},
                                       {"duration_ms", duration}});
}

void RegistryPlane::dispatch(http::Request& req, http::Response& res, const Route& route,
                             const Caller& caller) {
  const std::string& m = req.method;
  switch (route.kind) {
    case Route::Kind::Base:
      if (m != "GET" && m != "HEAD") {
        return registry_error(res, 405, "UNSUPPORTED", "method not allowed");
      }
      res.set_header("Content-Type", "application/json");
      res.body = "{}";
      return;
    case Route::Kind::Catalog:
      return catalog(req, res, caller);
    case Route::Kind::Unknown:
      return registry_error(res, 404, "NAME_UNKNOWN", "repository name not known to registry");
    default:
      break;
  }
  RepoKey key{caller.account, caller.region, route.name};
  if (!is_valid_repository_name(route.name)) {
    return registry_error(res, 400, "NAME_INVALID", "invalid repository name");
  }
  if (!store_.find_repository(key)) {
    return registry_error(res, 404, "NAME_UNKNOWN", repository_not_found_message(key));
  }
  switch (route.kind) {
    case Route::Kind::Tags:
      return tags_list(req, res, key);
    case Route::Kind::Manifest:
      return manifest(req, res, key, route.arg);
    case Route::Kind::Referrers:
      return referrers(req, res, key, route.arg);
    case Route::Kind::Blob:
      return blob(req, res, key, route.arg);
    case Route::Kind::Upload:
      return upload(req, res, key, route);
    default:
      return registry_error(res, 404, "NAME_UNKNOWN", "repository name not known to registry");
  }
}

void RegistryPlane::catalog(const http::Request& req, http::Response& res, const Caller& caller) {
  std::vector<std::string> names;
  for (const Repository& r : store_.list_repositories(caller.account, caller.region)) {
    names.push_back(r.name);
  }
  Page page = paginate(names, req.query());
  json::array repos;
  for (const std::string& n : page.items) {
    repos.emplace_back(n);
  }
  if (!page.next_last.empty()) {
    res.set_header("Link", "</v2/_catalog?n=" + std::to_string(page.n) + "&last=" + page.next_last +
                               ">; rel=\"next\"");
  }
  res.set_header("Content-Type", "application/json");
  res.body = json::serialize(json::object{{"repositories", std::move(repos)}});
}

void RegistryPlane::tags_list(const http::Request& req, http::Response& res, const RepoKey& key) {
  Page page = paginate(store_.tags(key), req.query());
  json::array tags;
  for (const std::string& t : page.items) {
    tags.emplace_back(t);
  }
  if (!page.next_last.empty()) {
    res.set_header("Link", "</v2/" + key.name + "/tags/list?n=" + std::to_string(page.n) +
                               "&last=" + page.next_last + ">; rel=\"next\"");
  }
  res.set_header("Content-Type", "application/json");
  res.body = json::serialize(json::object{{"name", key.name}, {"tags", std::move(tags)}});
}

void RegistryPlane::manifest(http::Request& req, http::Response& res, const RepoKey& key,
                             const std::string& reference) {
  const std::string& m = req.method;
  if (m == "PUT") {
    PutResult put = store_.put_manifest(key, req.body, req.header("Content-Type"), reference,
                                        /*api_semantics=*/false);
    switch (put.status) {
      case PutStatus::Created:
      case PutStatus::Unchanged:
        break;
      case PutStatus::RepositoryNotFound:
        return registry_error(res, 404, "NAME_UNKNOWN", put.message);
      case PutStatus::Invalid:
        return registry_error(res, 400, "MANIFEST_INVALID", put.message);
      case PutStatus::BlobUnknown:
      case PutStatus::ManifestUnknown:
        return registry_error(res, 400, "MANIFEST_BLOB_UNKNOWN", put.message);
      case PutStatus::DigestMismatch:
        return registry_error(res, 400, "DIGEST_INVALID", put.message);
      case PutStatus::TagInvalid:
      case PutStatus::TagImmutable:
        return registry_error(res, 400, "TAG_INVALID", put.message);
    }
    res.status = 201;
    res.set_header("Location", "/v2/" + key.name + "/manifests/" + put.digest);
    res.set_header("Docker-Content-Digest", put.digest);
    res.set_header("Content-Length", "0");
    ManifestParse parsed = parse_manifest(req.body, req.header("Content-Type"));
    if (parsed.manifest && parsed.manifest->subject) {
      res.set_header("OCI-Subject", parsed.manifest->subject->digest);
    }
    if (put.status == PutStatus::Created && options_.on_images_changed) {
      options_.on_images_changed(key);
    }
    return;
  }
  if (m == "GET" || m == "HEAD") {
    std::optional<Image> image = store_.find_image(key, reference);
    if (!image) {
      return registry_error(res, 404, "MANIFEST_UNKNOWN", "Requested image not found");
    }
    res.set_header("Content-Type", image->media_type);
    res.set_header("Docker-Content-Digest", image->digest);
    res.set_header("ETag", "\"" + image->digest + "\"");
    res.set_header("Content-Length", std::to_string(image->manifest.size()));
    if (m == "GET") {
      res.body = std::move(image->manifest);
      store_.record_pull(key, image->digest);
    }
    return;
  }
  if (m == "DELETE") {
    if (!reference.starts_with("sha256:")) {
      if (!store_.delete_tag(key, reference)) {
        return registry_error(res, 404, "MANIFEST_UNKNOWN", "Requested image not found");
      }
    } else {
      switch (store_.delete_image(key, reference)) {
        case DeleteStatus::NotFound:
          return registry_error(res, 404, "MANIFEST_UNKNOWN", "Requested image not found");
        case DeleteStatus::ReferencedByIndex:
          return registry_error(res, 409, "DENIED",
                                "The image is referenced by a manifest list in the repository");
        case DeleteStatus::Deleted:
          break;
      }
    }
    if (options_.on_images_changed) {
      options_.on_images_changed(key);
    }
    res.status = 202;
    res.set_header("Content-Length", "0");
    return;
  }
  registry_error(res, 405, "UNSUPPORTED", "method not allowed");
}

void RegistryPlane::referrers(const http::Request& req, http::Response& res, const RepoKey& key,
                              const std::string& digest) {
  if (req.method != "GET") {
    return registry_error(res, 405, "UNSUPPORTED", "method not allowed");
  }
  if (!is_valid_digest(digest)) {
    return registry_error(res, 400, "DIGEST_INVALID", "invalid digest");
  }
  std::string filter = query_param(req.query(), "artifactType");
  json::array manifests;
  for (const Image& image : store_.referrers(key, digest)) {
    std::string artifact_type =
        image.artifact_type.value_or(image.artifact_media_type.value_or(""));
    if (!filter.empty() && artifact_type != filter) {
      continue;
    }
    json::object d{{"mediaType", image.media_type},
                   {"digest", image.digest},
                   {"size", static_cast<int64_t>(image.manifest.size())}};
    if (!artifact_type.empty()) {
      d["artifactType"] = artifact_type;
    }
    boost::system::error_code ec;
    json::value doc = json::parse(image.manifest, ec);
    if (!ec && doc.is_object()) {
      if (const json::value* a = doc.get_object().if_contains("annotations")) {
        d["annotations"] = *a;
      }
    }
    manifests.push_back(std::move(d));
  }
  if (!filter.empty()) {
    res.set_header("OCI-Filters-Applied", "artifactType");
  }
  res.set_header("Content-Type", std::string(kOciIndex));
  res.body = json::serialize(json::object{
      {"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", std::move(manifests)}});
}

void RegistryPlane::blob(const http::Request& req, http::Response& res, const RepoKey& key,
                         const std::string& digest) {
  const std::string& m = req.method;
  if (!is_valid_digest(digest)) {
    return registry_error(res, 400, "DIGEST_INVALID", "invalid digest");
  }
  if (m == "DELETE") {
    if (!store_.unlink_blob(key, digest)) {
      return registry_error(res, 404, "BLOB_UNKNOWN", "blob unknown to registry");
    }
    if (options_.on_images_changed) {
      options_.on_images_changed(key);
    }
    res.status = 202;
    res.set_header("Content-Length", "0");
    return;
  }
  if (m != "GET" && m != "HEAD") {
    return registry_error(res, 405, "UNSUPPORTED", "method not allowed");
  }
  std::optional<OpenBlob> file;
  if (store_.linked_blob_size(key, digest)) {
    file = store_.blobs().open(digest);
  }
  if (!file) {
    return registry_error(res, 404, "BLOB_UNKNOWN", "blob unknown to registry");
  }
  auto slice = std::make_shared<http::FileSlice>(file->fd, 0, file->size);
  res.set_header("Content-Type", "application/octet-stream");
  res.set_header("Docker-Content-Digest", digest);
  res.set_header("ETag", "\"" + digest + "\"");
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Cache-Control", "max-age=31536000");
  std::string_view range = req.header("Range");
  if (!range.empty()) {
    std::optional<std::pair<uint64_t, uint64_t>> r = parse_range(range, file->size);
    if (!r) {
      res.set_header("Content-Range", "bytes */" + std::to_string(file->size));
      return registry_error(res, 416, "BLOB_UNKNOWN", "requested range not satisfiable");
    }
    res.status = 206;
    res.set_header("Content-Range", "bytes " + std::to_string(r->first) + "-" +
                                        std::to_string(r->second) + "/" +
                                        std::to_string(file->size));
    slice->offset = r->first;
    slice->length = r->second - r->first + 1;
  }
  res.body_file = std::move(slice);
}

}  // namespace services::ecr
