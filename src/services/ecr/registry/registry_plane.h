#pragma once
// The OCI Distribution API under /v2/ (https://github.com/opencontainers/distribution-spec),
// served on the same port as the AWS APIs: what skopeo, podman, docker and buildah talk to.
//
// Account and region of a request: from a Host of the form <account>.dkr.ecr.<region>.localhost,
// else from the GetAuthorizationToken token in Basic auth, else the server defaults. In strict
// auth mode a missing, forged or expired token gets 401 with WWW-Authenticate.
//
// Blob uploads stream: stream_body() opens the destination (an upload session's file or a
// temporary blob) before the body is read, and the bytes are hashed and written as they arrive.
// Thread-safe: requests run concurrently on the server's I/O threads.

#include <functional>
#include <memory>
#include <string>

#include "core/clock.h"
#include "module/module.h"
#include "services/ecr/auth_token.h"
#include "services/ecr/ecr_store.h"
#include "services/ecr/upload_store.h"

namespace services::ecr {

struct RegistryOptions {
  std::string default_account;
  std::string default_region;
  bool strict_auth = false;
  // Called after a manifest is stored or deleted (lifecycle, garbage collection).
  std::function<void(const RepoKey&)> on_images_changed;
};

class RegistryPlane final : public module::Plane {
 public:
  RegistryPlane(EcrStore& store, UploadStore& uploads, const TokenIssuer& tokens,
                const core::Clock& clock, RegistryOptions options);

  std::string_view name() const override { return "ecr-registry"; }
  bool owns(const http::Request& head) const override;
  std::shared_ptr<http::BodySink> stream_body(const http::Request& head) override;
  void handle(http::Request& req, http::Response& res) override;

  // What a /v2/ path names.
  struct Route {
    enum class Kind { Base, Catalog, Manifest, Blob, Upload, Tags, Referrers, Unknown };
    Kind kind = Kind::Unknown;
    std::string name;
    std::string arg;  // manifest reference, blob digest, upload id (may be empty)
  };
  // Who is asking: the account and region a request acts in.
  struct Caller {
    std::string account;
    std::string region;
  };

 private:
  class UploadSink;

  bool identify(const http::Request& req, Caller* caller, http::Response& res) const;
  std::shared_ptr<UploadSink> open_upload_sink(const http::Request& req, const Route& route,
                                               const Caller& caller);
  void dispatch(http::Request& req, http::Response& res, const Route& route, const Caller& caller);
  void catalog(const http::Request& req, http::Response& res, const Caller& caller);
  void tags_list(const http::Request& req, http::Response& res, const RepoKey& key);
  void manifest(http::Request& req, http::Response& res, const RepoKey& key,
                const std::string& reference);
  void referrers(const http::Request& req, http::Response& res, const RepoKey& key,
                 const std::string& digest);
  void blob(const http::Request& req, http::Response& res, const RepoKey& key,
            const std::string& digest);

  // blob_uploads.cc: POST, PATCH, PUT, GET and DELETE on /blobs/uploads/.
  void upload(http::Request& req, http::Response& res, const RepoKey& key, const Route& route);
  std::shared_ptr<UploadSink> upload_sink_of(const http::Request& req, const RepoKey& key,
                                             const Route& route);
  void start_upload(const http::Request& req, http::Response& res, const RepoKey& key,
                    UploadSink* sink);
  void finish_upload(const http::Request& req, http::Response& res, const RepoKey& key,
                     UploadSink& sink);
  void upload_status(const http::Request& req, http::Response& res, const RepoKey& key,
                     const Route& route);

  EcrStore& store_;
  UploadStore& uploads_;
  const TokenIssuer& tokens_;
  const core::Clock& clock_;
  RegistryOptions options_;
};

}  // namespace services::ecr
