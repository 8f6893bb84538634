// Blob uploads (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#push):
// monolithic POST ?digest=, cross-repository mount, and chunked sessions (POST, PATCH..., PUT),
// with GET and DELETE on a session.

#include <shared_mutex>

#include "services/ecr/digest.h"
#include "services/ecr/registry/registry_http.h"
#include "services/ecr/registry/registry_plane.h"
#include "services/ecr/registry/upload_sink.h"

namespace services::ecr {
namespace {

std::string upload_location(const RepoKey& key, const std::string& id) {
  return "/v2/" + key.name + "/blobs/uploads/" + id;
}

std::string range_of(uint64_t size) { return "0-" + std::to_string(size == 0 ? 0 : size - 1); }

void accepted_upload(http::Response& res, const RepoKey& key, const std::string& id,
                     uint64_t size) {
  res.status = 202;
  res.set_header("Location", upload_location(key, id));
  res.set_header("Range", range_of(size));
  res.set_header("Docker-Upload-UUID", id);
  res.set_header("Content-Length", "0");
}

void blob_created(http::Response& res, const RepoKey& key, const std::string& digest) {
  res.status = 201;
  res.set_header("Location", "/v2/" + key.name + "/blobs/" + digest);
  res.set_header("Docker-Content-Digest", digest);
  res.set_header("Content-Length", "0");
}

}  // namespace

std::shared_ptr<RegistryPlane::UploadSink> RegistryPlane::open_upload_sink(const http::Request& req,
                                                                           const Route& route,
                                                                           const Caller& caller) {
  auto sink = std::make_shared<UploadSink>();
  auto fail = [&](int status, std::string code, std::string message) {
    sink->error_status = status;
    sink->error_code = std::move(code);
    sink->error_message = std::move(message);
    return sink;
  };
  RepoKey key{caller.account, caller.region, route.name};
  if (!store_.find_repository(key)) {
    return fail(404, "NAME_UNKNOWN", repository_not_found_message(key));
  }
  if (req.method == "POST") {
    std::string digest = query_param(req.query(), "digest");
    if (!is_valid_digest(digest)) {
      return fail(400, "DIGEST_INVALID", "provided digest did not match uploaded content");
    }
    sink->blob.emplace(store_.blobs().writer());
    return sink;
  }
  bool busy = false;
  std::optional<UploadSession> session = uploads_.find(route.arg);
  if (session &&
      (session->repository.account != key.account || session->repository.region != key.region ||
       session->repository.name != key.name)) {
    session.reset();
  }
  if (session) {
    sink->appender = uploads_.acquire(route.arg, &busy);
  }
  if (!sink->appender) {
    return busy ? fail(409, "BLOB_UPLOAD_INVALID", "the upload is in use by another request")
                : fail(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
  }
  // PATCH with Content-Range must continue exactly where the session stands.
  std::string_view content_range = req.header("Content-Range");
  if (!content_range.empty()) {
    std::optional<std::pair<uint64_t, uint64_t>> range = parse_content_range(content_range);
    if (!range || range->first != sink->appender->size() || range->second < range->first) {
      uint64_t size = sink->appender->size();
      std::string id = sink->appender->id();
      sink->appender.reset();
      fail(416, "BLOB_UPLOAD_INVALID",
           "Content-Range " + std::string(content_range) + " does not continue the upload at " +
               std::to_string(size));
      sink->error_message += "|" + range_of(size) + "|" + id;
      return sink;
    }
  }
  return sink;
}

void RegistryPlane::upload(http::Request& req, http::Response& res, const RepoKey& key,
                           const Route& route) {
  const std::string& m = req.method;
  std::shared_ptr<UploadSink> sink = upload_sink_of(req, key, route);
  if (sink && sink->error_status != 0) {
    if (sink->error_status == 416) {
      // open_upload_sink() left "message|range|upload id".
      std::string msg = sink->error_message;
      std::size_t a = msg.find('|');
      std::size_t b = msg.find('|', a + 1);
      accepted_upload(res, key, msg.substr(b + 1), 0);
      res.set_header("Range", msg.substr(a + 1, b - a - 1));
      return registry_error(res, 416, sink->error_code, msg.substr(0, a));
    }
    return registry_error(res, sink->error_status, sink->error_code, sink->error_message);
  }
  if (sink && sink->write_error()) {
    // The body did not fit (ENOSPC) or could not be written (EROFS, EIO): a server error, as
    // distribution answers a storage driver's failure. A session keeps the bytes stored before
    // the failure (GET on it says how many).
    return registry_error(res, 500, "UNKNOWN",
                          "storing the blob failed: " + sink->write_error().message());
  }
  if (m == "POST") {
    return start_upload(req, res, key, sink.get());
  }
  if (m == "PATCH") {
    return accepted_upload(res, key, sink->appender->id(), sink->appender->size());
  }
  if (m == "PUT") {
    return finish_upload(req, res, key, *sink);
  }
  upload_status(req, res, key, route);
}

// The sink that received the body: the streamed one, or for a request that wrote a body without
// streaming it, one opened now and fed the buffered body. Null for requests that write nothing.
std::shared_ptr<RegistryPlane::UploadSink> RegistryPlane::upload_sink_of(const http::Request& req,
                                                                         const RepoKey& key,
                                                                         const Route& route) {
  const std::string& m = req.method;
  std::shared_ptr<UploadSink> sink = std::dynamic_pointer_cast<UploadSink>(req.body_sink);
  bool writes =
      m == "PATCH" || m == "PUT" || (m == "POST" && !query_param(req.query(), "digest").empty());
  if (writes && !sink) {
    // Not streamed (no plane sink was asked for): feed the buffered body the same way.
    Caller caller{key.account, key.region};
    sink = open_upload_sink(req, route, caller);
    if (!req.body.empty()) {
      sink->write(req.body);
    }
  }
  return sink;
}

// POST: a monolithic upload (?digest=, the body in `sink`), a mount from another repository
// (?mount=&from=), or else a new session.
void RegistryPlane::start_upload(const http::Request& req, http::Response& res, const RepoKey& key,
                                 UploadSink* sink) {
  std::string digest = query_param(req.query(), "digest");
  std::string mount = query_param(req.query(), "mount");
  if (!digest.empty()) {
    std::shared_lock gc(store_.blobs().gc_lock());
    CommitError err = store_.blobs().commit(*sink->blob, digest);
    if (err == CommitError::DigestMismatch) {
      return registry_error(res, 400, "DIGEST_INVALID",
                            "provided digest did not match uploaded content");
    }
    if (err != CommitError::None) {
      return registry_error(res, 500, "UNKNOWN", "storing the blob failed");
    }
    store_.link_blob(key, digest, sink->blob->size());
    return blob_created(res, key, digest);
  }
  if (!mount.empty() && is_valid_digest(mount)) {
    std::string from = query_param(req.query(), "from");
    RepoKey source{key.account, key.region, from};
    std::shared_lock gc(store_.blobs().gc_lock());
    std::optional<uint64_t> size = store_.linked_blob_size(source, mount);
    if (size) {
      store_.link_blob(key, mount, *size);
      return blob_created(res, key, mount);
    }
  }
  UploadSession session = uploads_.create(key);
  accepted_upload(res, key, session.id, 0);
}

// PUT ?digest=: the session's bytes become the blob if they hash to the digest.
void RegistryPlane::finish_upload(const http::Request& req, http::Response& res, const RepoKey& key,
                                  UploadSink& sink) {
  std::string digest = query_param(req.query(), "digest");
  if (!is_valid_digest(digest)) {
    return registry_error(res, 400, "DIGEST_INVALID", "invalid digest");
  }
  FinishStatus status = uploads_.finish(std::move(sink.appender), digest, store_);
  if (status == FinishStatus::DigestMismatch) {
    return registry_error(res, 400, "DIGEST_INVALID",
                          "provided digest did not match uploaded content");
  }
  if (status != FinishStatus::Stored) {
    return registry_error(res, 500, "UNKNOWN", "storing the blob failed");
  }
  blob_created(res, key, digest);
}

// GET (how far a session is) and DELETE (cancel it) on an upload session of this repository.
void RegistryPlane::upload_status(const http::Request& req, http::Response& res, const RepoKey& key,
                                  const Route& route) {
  const std::string& m = req.method;
  std::optional<UploadSession> session = uploads_.find(route.arg);
  if (!session || session->repository.name != key.name ||
      session->repository.account != key.account) {
    return registry_error(res, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
  }
  if (m == "GET") {
    accepted_upload(res, key, session->id, session->size);
    res.status = 204;
    return;
  }
  if (m == "DELETE") {
    uploads_.cancel(session->id);
    res.status = 204;
    return;
  }
  registry_error(res, 405, "UNSUPPORTED", "method not allowed");
}

}  // namespace services::ecr
