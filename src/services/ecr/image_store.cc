#include "services/ecr/image_store.h"

#include <atomic>

#include "core/clock.h"

namespace services::ecr {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

const core::SystemClock& system_clock() {
  static const core::SystemClock clock;
  return clock;
}

}  // namespace

std::filesystem::path ecr_dir(const std::filesystem::path& data_dir) { return data_dir / "ecr"; }

bool parse_registry_host(std::string_view host, std::string* account, std::string* region) {
  host = host.substr(0, host.find(':'));
  std::size_t a = host.find(".dkr.ecr.");
  if (a == std::string_view::npos || a != 12 || !all_digits(host.substr(0, 12))) {
    return false;
  }
  std::string_view rest = host.substr(a + 9);
  std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0) {
    return false;
  }
  std::string_view suffix = rest.substr(dot + 1);
  if (suffix != "localhost" && suffix != "amazonaws.com" && suffix != "amazonaws.com.cn") {
    return false;
  }
  *account = std::string(host.substr(0, 12));
  *region = std::string(rest.substr(0, dot));
  return true;
}

std::optional<ImageReference> parse_image_reference(std::string_view reference,
                                                    const ReferenceContext& ctx) {
  std::size_t slash = reference.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view host = reference.substr(0, slash);
  std::string_view rest = reference.substr(slash + 1);
  ImageReference out;
  std::string_view hostname = host.substr(0, host.find(':'));
  std::string_view port =
      host.find(':') == std::string_view::npos ? std::string_view{} : host.substr(host.find(':') + 1);
  if (!port.empty() && (!all_digits(port) || (ctx.port != 0 && port != std::to_string(ctx.port)))) {
    return std::nullopt;
  }
  if (parse_registry_host(hostname, &out.account, &out.region)) {
    if (hostname.ends_with(".localhost") == false && !port.empty()) {
      return std::nullopt;  // real AWS hosts carry no port
    }
  } else if (hostname == "localhost" || hostname == "127.0.0.1") {
    out.account = ctx.default_account;
    out.region = ctx.default_region;
  } else {
    return std::nullopt;
  }
  std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    out.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!is_valid_digest(out.digest)) {
      return std::nullopt;
    }
  }
  std::size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find('/', colon) == std::string_view::npos) {
    std::string_view tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (!is_valid_tag(tag)) {
      return std::nullopt;
    }
    if (out.digest.empty()) {
      out.tag = std::string(tag);
    }
  }
  if (!is_valid_repository_name(rest)) {
    return std::nullopt;
  }
  out.repository = std::string(rest);
  if (out.tag.empty() && out.digest.empty()) {
    out.tag = "latest";
  }
  return out;
}

ImageStore::ImageStore(store::Db& db, const std::filesystem::path& data_dir, ReferenceContext ctx)
    : ctx_(std::move(ctx)), blobs_(ecr_dir(data_dir)), store_(db, blobs_, system_clock()) {}

std::optional<ResolvedImage> ImageStore::resolve(std::string_view reference, std::string* error) {
  std::optional<ImageReference> ref = parse_image_reference(reference, ctx_);
  if (!ref) {
    *error = "'" + std::string(reference) + "' is not an image reference of this registry";
    return std::nullopt;
  }
  RepoKey key{ref->account, ref->region, ref->repository};
  if (!store_.find_repository(key)) {
    *error = repository_not_found_message(key);
    return std::nullopt;
  }
  std::optional<ResolvedImage> image =
      manifest(*ref, ref->digest.empty() ? std::string_view(ref->tag) : ref->digest);
  if (!image) {
    *error = "The image with reference '" + std::string(reference) +
             "' does not exist within the repository with name '" + ref->repository + "'";
    return std::nullopt;
  }
  image->reference.tag = ref->tag;
  return image;
}

std::optional<ResolvedImage> ImageStore::manifest(const ImageReference& repo,
                                                  std::string_view reference) {
  RepoKey key{repo.account, repo.region, repo.repository};
  std::optional<Image> image = store_.find_image(key, reference);
  if (!image) {
    return std::nullopt;
  }
  ManifestParse parsed = parse_manifest(image->manifest, image->media_type);
  if (!parsed.manifest) {
    return std::nullopt;
  }
  ResolvedImage out;
  out.reference = repo;
  out.reference.digest = image->digest;
  out.media_type = image->media_type;
  out.manifest = std::move(image->manifest);
  out.parsed = std::move(*parsed.manifest);
  return out;
}

std::optional<std::string> ImageStore::read_blob(const ImageReference& repo,
                                                 std::string_view digest, uint64_t max_bytes) {
  if (!blob_path(repo, digest)) {
    return std::nullopt;
  }
  return blobs_.read(digest, max_bytes);
}

std::optional<std::filesystem::path> ImageStore::blob_path(const ImageReference& repo,
                                                           std::string_view digest) {
  if (!is_valid_digest(digest) ||
      !store_.linked_blob_size(RepoKey{repo.account, repo.region, repo.repository}, digest)) {
    return std::nullopt;
  }
  return blobs_.path_of(digest);
}

}  // namespace services::ecr
