// The layer-upload API SDK-based pushers use (InitiateLayerUpload, UploadLayerPart,
// CompleteLayerUpload, BatchCheckLayerAvailability, GetDownloadUrlForLayer). Sessions and blobs
// are the same ones the /v2/ registry uses.
#include "services/ecr/ecr_service.h"
#include "services/ecr/errors.h"

namespace services::ecr {

namespace json = boost::json;

namespace {

// ECR suggests 10 MiB parts; any size up to the model's 20 MiB limit is accepted.
constexpr int64_t kPartSize = 10 * 1024 * 1024;

std::optional<int64_t> int_member(const Doc& in, std::string_view name) {
  const json::value* v = in.if_contains(name);
  if (v && v->is_int64()) {
    return v->get_int64();
  }
  return std::nullopt;
}

}  // namespace

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_InitiateLayerUpload.html
Reply EcrService::initiate_layer_upload(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  UploadSession session = uploads_.create(RepoKey{repo->account, repo->region, repo->name});
  return Doc{{"uploadId", session.id}, {"partSize", kPartSize}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_UploadLayerPart.html
Reply EcrService::upload_layer_part(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::string id = str(in, "uploadId");
  std::optional<UploadSession> session = uploads_.find(id);
  if (!session || session->repository.account != key.account ||
      session->repository.region != key.region || session->repository.name != key.name) {
    return errors::upload_not_found(key, id);
  }
  bool busy = false;
  std::unique_ptr<UploadAppender> appender = uploads_.acquire(id, &busy);
  if (!appender) {
    return busy ? errors::invalid_layer_part("The upload is in use by another request")
                : errors::upload_not_found(key, id);
  }
  std::string part = str(in, "layerPartBlob");
  int64_t first = int_member(in, "partFirstByte").value_or(-1);
  int64_t last = int_member(in, "partLastByte").value_or(-1);
  int64_t size = static_cast<int64_t>(appender->size());
  if (first != size || last != first + static_cast<int64_t>(part.size()) - 1 || part.empty()) {
    protocol::AwsError err = errors::invalid_layer_part(
        "The part first byte " + std::to_string(first) + " and last byte " +
        std::to_string(last) + " do not continue the upload, whose last valid byte is " +
        std::to_string(size - 1));
    err.fields = json::object{{"registryId", key.account},
                              {"repositoryName", key.name},
                              {"uploadId", id},
                              {"lastValidByteReceived", size - 1}};
    return err;
  }
  if (!appender->write(part)) {
    return errors::server("Writing the layer part failed: " + appender->error().message());
  }
  return Doc{{"registryId", key.account},
             {"repositoryName", key.name},
             {"uploadId", id},
             {"lastByteReceived", static_cast<int64_t>(appender->size()) - 1}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CompleteLayerUpload.html
Reply EcrService::complete_layer_upload(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::string id = str(in, "uploadId");
  std::string digest;
  if (const json::value* d = in.if_contains("layerDigests");
      d && d->is_array() && d->get_array().size() == 1 && d->get_array()[0].is_string()) {
    digest = std::string(d->get_array()[0].get_string());
  }
  if (!is_valid_digest(digest)) {
    return errors::invalid_layer("Invalid parameter at 'layerDigests' failed to satisfy "
                                 "constraint: 'exactly one sha256 digest is required'");
  }
  std::optional<UploadSession> session = uploads_.find(id);
  if (!session || session->repository.account != key.account ||
      session->repository.region != key.region || session->repository.name != key.name) {
    return errors::upload_not_found(key, id);
  }
  bool busy = false;
  std::unique_ptr<UploadAppender> appender = uploads_.acquire(id, &busy);
  if (!appender) {
    return busy ? errors::invalid_layer_part("The upload is in use by another request")
                : errors::upload_not_found(key, id);
  }
  if (appender->size() == 0) {
    return errors::empty_upload("The upload with id '" + id + "' contains no layer parts");
  }
  if (store_.linked_blob_size(key, digest)) {
    appender.reset();
    uploads_.cancel(id);
    return errors::layer_already_exists("The image layer '" + digest +
                                        "' already exists in the repository with name '" +
                                        key.name + "' in registry with id '" + key.account +
                                        "'");
  }
  switch (uploads_.finish(std::move(appender), digest, store_)) {
    case FinishStatus::Stored:
      break;
    case FinishStatus::DigestMismatch:
      return errors::invalid_layer("The layer digest calculation performed by Amazon ECR upon "
                                   "receipt of the image layer does not match the digest "
                                   "specified: " + digest);
    case FinishStatus::Io:
      return errors::server("Storing the layer failed");
  }
  return Doc{{"registryId", key.account},
             {"repositoryName", key.name},
             {"uploadId", id},
             {"layerDigest", digest}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchCheckLayerAvailability.html
Reply EcrService::batch_check_layer_availability(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  json::array layers;
  json::array failures;
  if (const json::value* d = in.if_contains("layerDigests"); d && d->is_array()) {
    for (const json::value& v : d->get_array()) {
      std::string digest = v.is_string() ? std::string(v.get_string()) : std::string();
      if (!is_valid_digest(digest)) {
        failures.push_back(json::object{{"layerDigest", digest},
                                        {"failureCode", "InvalidLayerDigest"},
                                        {"failureReason", "Invalid layer digest"}});
        continue;
      }
      std::optional<uint64_t> size = store_.linked_blob_size(key, digest);
      if (!size) {
        failures.push_back(json::object{{"layerDigest", digest},
                                        {"failureCode", "MissingLayerDigest"},
                                        {"failureReason", "Layer digest not found"}});
        continue;
      }
      layers.push_back(json::object{{"layerDigest", digest},
                                    {"layerAvailability", "AVAILABLE"},
                                    {"layerSize", static_cast<int64_t>(*size)},
                                    {"mediaType", "application/vnd.docker.image.rootfs.diff.tar.gzip"}});
    }
  }
  return Doc{{"layers", std::move(layers)}, {"failures", std::move(failures)}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetDownloadUrlForLayer.html
// The URL is this server's /v2/ blob route with a token in the query, so it works without other
// credentials, as ECR's pre-signed S3 URLs do.
Reply EcrService::get_download_url_for_layer(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::string digest = str(in, "layerDigest");
  if (!is_valid_digest(digest)) {
    return errors::invalid_parameter("Invalid parameter at 'layerDigest' failed to satisfy "
                                     "constraint: 'must be a valid sha256 digest'");
  }
  if (!store_.linked_blob_size(key, digest)) {
    return errors::layers_not_found("The following layers are not available: " + digest);
  }
  std::string host = ctx.host;
  if (host.empty() && hooks_.registry_host) {
    host = hooks_.registry_host(key);
  }
  std::string token;
  for (char c : tokens_.issue(
           TokenClaims{key.account, key.region, clock_.now() + std::chrono::hours(1)})) {
    token += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
  }
  return Doc{{"downloadUrl", "http://" + host + "/v2/" + key.name + "/blobs/" + digest +
                                 "?X-Gantry-Token=" + token},
             {"layerDigest", digest}};
}

}  // namespace services::ecr
