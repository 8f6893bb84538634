#pragma once
// RegistryPlane's body sink for blob uploads, shared by registry_plane.cc (stream_body, handle)
// and blob_uploads.cc. Internal to this directory.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "services/ecr/blob_store.h"
#include "services/ecr/registry/registry_plane.h"
#include "services/ecr/upload_store.h"

namespace services::ecr {

// The destination of an upload's body, opened before the body is read: an upload session
// (PATCH, PUT) or a temporary blob (monolithic POST ?digest=). A refused request carries its
// error instead and reads nothing.
class RegistryPlane::UploadSink final : public http::BodySink {
 public:
  bool write(std::string_view chunk) override {
    if (error_status != 0) {
      return false;
    }
    if (appender) {
      return appender->write(chunk);
    }
    if (blob) {
      return blob->write(chunk);
    }
    return true;
  }

  // Why the bytes could not be stored (disk full, read-only data directory); empty otherwise.
  std::error_code write_error() const {
    if (appender) return appender->error();
    if (blob) return blob->error();
    return {};
  }

  int error_status = 0;
  std::string error_code;
  std::string error_message;
  std::unique_ptr<UploadAppender> appender;
  std::optional<BlobWriter> blob;
};

}  // namespace services::ecr
