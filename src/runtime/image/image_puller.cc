#include "runtime/image/image_puller.h"

#include "core/log.h"

namespace runtime::image {

ImagePuller::ImagePuller(const std::filesystem::path& data_dir, UnpackLimits limits)
    : cache_(data_dir / "runtime" / "layers", limits) {}

Result<PreparedImage> ImagePuller::pull(const ImageSource& source, std::string_view reference) {
  Result<Image> image = load_image(source, reference);
  if (!image) {
    if (image.error().code == errc::image_not_found) {
      return Error(errc::image_not_found,
                   "pull image manifest has been retried 1 time(s): failed to resolve ref " +
                       std::string(reference) + ": " + std::string(reference) + ": not found");
    }
    return Error(image.error().code,
                 "failed to pull image " + std::string(reference) + ": " + image.error().message);
  }
  Result<std::vector<std::filesystem::path>> layers = cache_.prepare(source, *image);
  if (!layers) {
    core::log::warn("image pull failed",
                    {{"image", std::string(reference)}, {"error", layers.error().message}});
    return Error(layers.error().code, "failed to unpack image " + std::string(reference) + ": " +
                                          layers.error().message);
  }
  return PreparedImage{std::move(*image), std::move(*layers)};
}

}  // namespace runtime::image
