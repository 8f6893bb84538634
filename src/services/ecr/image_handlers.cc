// Images: ListImages, DescribeImages, BatchGetImage, BatchDeleteImage, PutImage.
#include <algorithm>

#include "services/ecr/ecr_service.h"
#include "services/ecr/errors.h"

namespace services::ecr {

namespace json = boost::json;

namespace {

struct ImageId {
  std::string digest;
  std::string tag;
};

ImageId image_id_of(const json::value& v) {
  ImageId id;
  if (const json::object* o = v.if_object()) {
    id.digest = str(*o, "imageDigest");
    id.tag = str(*o, "imageTag");
  }
  return id;
}

json::object image_id_json(std::string_view digest, std::string_view tag) {
  json::object o;
  if (!digest.empty()) {
    o["imageDigest"] = digest;
  }
  if (!tag.empty()) {
    o["imageTag"] = tag;
  }
  return o;
}

// "{imageDigest:'null', imageTag:'latest'}", as ECR prints an ImageIdentifier in messages.
std::string describe_id(const ImageId& id) {
  return "{imageDigest:'" + (id.digest.empty() ? "null" : id.digest) + "', imageTag:'" +
         (id.tag.empty() ? "null" : id.tag) + "'}";
}

struct Lookup {
  std::optional<Image> image;
  std::string failure_code;
  std::string failure_reason;
};

Lookup lookup(EcrStore& store, const RepoKey& key, const ImageId& id) {
  Lookup out;
  if (id.digest.empty() && id.tag.empty()) {
    out.failure_code = "MissingDigestAndTag";
    out.failure_reason = "Invalid request parameters: both tag and digest cannot be null";
    return out;
  }
  if (!id.digest.empty() && !is_valid_digest(id.digest)) {
    out.failure_code = "InvalidImageDigest";
    out.failure_reason = "Invalid request parameters: image digest should satisfy the regex "
                         "'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'";
    return out;
  }
  if (!id.tag.empty() && id.tag.size() > 300) {
    out.failure_code = "InvalidImageTag";
    out.failure_reason = "Invalid request parameters: image tag is too long";
    return out;
  }
  out.image = store.find_image(key, id.tag.empty() ? id.digest : id.tag);
  if (!out.image) {
    out.failure_code = "ImageNotFound";
    out.failure_reason = "Requested image not found";
  } else if (!id.digest.empty() && out.image->digest != id.digest) {
    out.image.reset();
    out.failure_code = "ImageTagDoesNotMatchDigest";
    out.failure_reason = "Invalid request parameters: given tag and digest do not match";
  }
  return out;
}

bool tag_status_matches(const Doc& in, const Image& image) {
  const json::value* filter = in.if_contains("filter");
  std::string status =
      filter && filter->is_object() ? str(filter->get_object(), "tagStatus", "ANY") : "ANY";
  if (status == "TAGGED") {
    return !image.tags.empty();
  }
  if (status == "UNTAGGED") {
    return image.tags.empty();
  }
  return true;
}

json::object failure(const ImageId& id, std::string_view code, std::string_view reason) {
  return json::object{{"imageId", image_id_json(id.digest, id.tag)},
                      {"failureCode", code},
                      {"failureReason", reason}};
}

}  // namespace

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ListImages.html
Reply EcrService::list_images(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::vector<json::object> ids;
  for (const Image& image : store_.list_images(key)) {
    if (!tag_status_matches(in, image)) {
      continue;
    }
    if (image.tags.empty()) {
      ids.push_back(image_id_json(image.digest, ""));
    }
    for (const std::string& tag : image.tags) {
      ids.push_back(image_id_json(image.digest, tag));
    }
  }
  Doc out;
  auto bounds = page_bounds(in, ids.size(), 1000, out);
  if (!bounds) {
    return bounds.error();
  }
  json::array page;
  for (std::size_t i = bounds->first; i < bounds->second; ++i) {
    page.push_back(std::move(ids[i]));
  }
  out["imageIds"] = std::move(page);
  return out;
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html
Reply EcrService::describe_images(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::vector<Image> images;
  const json::value* ids = in.if_contains("imageIds");
  if (ids && ids->is_array()) {
    if (in.contains("nextToken") || in.contains("maxResults")) {
      return errors::invalid_parameter("Invalid parameter: maxResults and nextToken cannot be "
                                       "used with imageIds");
    }
    for (const json::value& v : ids->get_array()) {
      ImageId id = image_id_of(v);
      Lookup found = lookup(store_, key, id);
      if (!found.image) {
        if (found.failure_code == "ImageNotFound" ||
            found.failure_code == "ImageTagDoesNotMatchDigest") {
          return errors::image_not_found("The image with imageId " + describe_id(id) +
                                         " does not exist within the repository with name '" +
                                         key.name + "' in the registry with id '" +
                                         key.account + "'");
        }
        return errors::invalid_parameter(found.failure_reason);
      }
      bool seen = std::any_of(images.begin(), images.end(),
                              [&](const Image& i) { return i.digest == found.image->digest; });
      if (!seen && tag_status_matches(in, *found.image)) {
        images.push_back(std::move(*found.image));
      }
    }
  } else {
    for (Image& image : store_.list_images(key)) {
      if (tag_status_matches(in, image)) {
        images.push_back(std::move(image));
      }
    }
  }
  Doc out;
  auto bounds = page_bounds(in, images.size(), 100, out);
  if (!bounds) {
    return bounds.error();
  }
  json::array details;
  for (std::size_t i = bounds->first; i < bounds->second; ++i) {
    const Image& image = images[i];
    json::object d{
        {"registryId", key.account},
        {"repositoryName", key.name},
        {"imageDigest", image.digest},
        {"imageSizeInBytes", image.size},
        {"imagePushedAt", static_cast<double>(image.pushed_at_ms) / 1000.0},
        {"imageManifestMediaType", image.media_type},
    };
    if (!image.tags.empty()) {
      json::array tags;
      for (const std::string& t : image.tags) {
        tags.emplace_back(t);
      }
      d["imageTags"] = std::move(tags);
    }
    if (image.artifact_media_type) {
      d["artifactMediaType"] = *image.artifact_media_type;
    }
    if (image.last_pulled_at_ms) {
      d["lastRecordedPullTime"] = static_cast<double>(*image.last_pulled_at_ms) / 1000.0;
    }
    if (image.subject) {
      d["subjectManifestDigest"] = *image.subject;
    }
    details.push_back(std::move(d));
  }
  out["imageDetails"] = std::move(details);
  return out;
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html
Reply EcrService::batch_get_image(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::vector<std::string> accepted;
  if (const json::value* a = in.if_contains("acceptedMediaTypes"); a && a->is_array()) {
    for (const json::value& t : a->get_array()) {
      if (t.is_string()) {
        accepted.emplace_back(t.get_string());
      }
    }
  }
  json::array images;
  json::array failures;
  if (const json::value* ids = in.if_contains("imageIds"); ids && ids->is_array()) {
    for (const json::value& v : ids->get_array()) {
      ImageId id = image_id_of(v);
      Lookup found = lookup(store_, key, id);
      if (!found.image) {
        failures.push_back(failure(id, found.failure_code, found.failure_reason));
        continue;
      }
      const Image& image = *found.image;
      if (!accepted.empty() &&
          std::find(accepted.begin(), accepted.end(), image.media_type) == accepted.end()) {
        failures.push_back(failure(id, "UnsupportedImageType",
                                   "The image's manifest media type '" + image.media_type +
                                       "' is not in acceptedMediaTypes"));
        continue;
      }
      images.push_back(json::object{
          {"registryId", key.account},
          {"repositoryName", key.name},
          {"imageId", image_id_json(image.digest, id.tag)},
          {"imageManifest", image.manifest},
          {"imageManifestMediaType", image.media_type},
      });
      store_.record_pull(key, image.digest);
    }
  }
  return Doc{{"images", std::move(images)}, {"failures", std::move(failures)}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchDeleteImage.html
// A tag names one reference: deleting it removes the tag, and the image too when that was its
// last tag. A digest deletes the image with all its tags.
Reply EcrService::batch_delete_image(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  json::array deleted;
  json::array failures;
  bool changed = false;
  if (const json::value* ids = in.if_contains("imageIds"); ids && ids->is_array()) {
    for (const json::value& v : ids->get_array()) {
      ImageId id = image_id_of(v);
      Lookup found = lookup(store_, key, id);
      if (!found.image) {
        failures.push_back(failure(id, found.failure_code, found.failure_reason));
        continue;
      }
      const Image& image = *found.image;
      if (!id.tag.empty() && image.tags.size() > 1) {
        store_.delete_tag(key, id.tag);
        deleted.push_back(image_id_json(image.digest, id.tag));
        changed = true;
        continue;
      }
      switch (store_.delete_image(key, image.digest)) {
        case DeleteStatus::NotFound:
          failures.push_back(failure(id, "ImageNotFound", "Requested image not found"));
          break;
        case DeleteStatus::ReferencedByIndex:
          failures.push_back(failure(id, "ImageReferencedByManifestList",
                                     "Requested image is referenced by a manifest list"));
          break;
        case DeleteStatus::Deleted:
          changed = true;
          if (image.tags.empty()) {
            deleted.push_back(image_id_json(image.digest, ""));
          }
          for (const std::string& tag : image.tags) {
            deleted.push_back(image_id_json(image.digest, tag));
          }
          break;
      }
    }
  }
  if (changed && hooks_.images_changed) {
    hooks_.images_changed(key);
  }
  return Doc{{"imageIds", std::move(deleted)}, {"failures", std::move(failures)}};
}

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html
Reply EcrService::put_image(const Ctx& ctx, const Doc& in) {
  auto repo = repository(ctx, in);
  if (!repo) {
    return repo.error();
  }
  RepoKey key{repo->account, repo->region, repo->name};
  std::string manifest = str(in, "imageManifest");
  std::string tag = str(in, "imageTag");
  std::string digest = str(in, "imageDigest");
  if (!digest.empty() && !is_valid_digest(digest)) {
    return errors::invalid_parameter("Invalid parameter at 'imageDigest' failed to satisfy "
                                     "constraint: 'must be a valid sha256 digest'");
  }
  if (!digest.empty() && !tag.empty() && sha256_digest(manifest) != digest) {
    return errors::image_digest_does_not_match(
        "The specified digest '" + digest + "' does not match the digest of the manifest, '" +
        sha256_digest(manifest) + "'");
  }
  PutResult put = store_.put_manifest(key, manifest, str(in, "imageManifestMediaType"),
                                      tag.empty() ? digest : tag, /*api_semantics=*/true);
  switch (put.status) {
    case PutStatus::Created:
      break;
    case PutStatus::Unchanged:
      return errors::image_already_exists(put.message);
    case PutStatus::RepositoryNotFound:
      return errors::repository_not_found(key);
    case PutStatus::Invalid:
    case PutStatus::TagInvalid:
      return errors::invalid_parameter(put.message);
    case PutStatus::BlobUnknown:
      return errors::layers_not_found(put.message);
    case PutStatus::ManifestUnknown:
      return errors::referenced_images_not_found(put.message);
    case PutStatus::DigestMismatch:
      return errors::image_digest_does_not_match(put.message);
    case PutStatus::TagImmutable:
      return errors::image_tag_already_exists(put.message);
  }
  if (hooks_.images_changed) {
    hooks_.images_changed(key);
  }
  return Doc{{"image", json::object{
                           {"registryId", key.account},
                           {"repositoryName", key.name},
                           {"imageId", image_id_json(put.digest, tag)},
                           {"imageManifest", manifest},
                           {"imageManifestMediaType", put.media_type},
                       }}};
}

}  // namespace services::ecr
