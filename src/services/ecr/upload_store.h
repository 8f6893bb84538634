#pragma once
// Blob upload sessions, shared by the registry (POST/PATCH/PUT /v2/<name>/blobs/uploads/) and the
// ECR layer API (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload).
//
// A session is a row in ecr_uploads and a file <data_dir>/uploads/<id>; both survive a restart.
// The running SHA-256 lives in memory and is rebuilt from the file after a restart. One request
// appends to a session at a time (acquire() fails while another holds it). Thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "services/ecr/blob_store.h"
#include "services/ecr/ecr_store.h"
#include "store/db.h"

namespace services::ecr {

struct UploadSession {
  std::string id;
  RepoKey repository;
  uint64_t size = 0;  // bytes received so far
};

// An exclusive hold on one session for appending; released on destruction.
class UploadAppender {
 public:
  ~UploadAppender();
  UploadAppender(const UploadAppender&) = delete;
  UploadAppender& operator=(const UploadAppender&) = delete;
  bool write(std::string_view bytes);
  uint64_t size() const;
  std::string digest() const;
  const std::string& id() const;
  std::error_code error() const { return error_; }
  // Flushes the bytes written so far to disk (before the session becomes a blob).
  bool sync();

 private:
  friend class UploadStore;
  struct State;
  explicit UploadAppender(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
  int fd_ = -1;  // the session's file, open for appending while this appender lives
  std::error_code error_;
};

enum class FinishStatus { Stored, DigestMismatch, Io };

class UploadStore {
 public:
  UploadStore(store::Db& db, BlobStore& blobs, const core::Clock& clock);

  // A new empty session for a repository that exists.
  UploadSession create(const RepoKey& key);
  std::optional<UploadSession> find(std::string_view id);
  // Exclusive append access; nullptr if the session is unknown or busy (*busy says which).
  std::unique_ptr<UploadAppender> acquire(std::string_view id, bool* busy = nullptr);
  // Moves the session's bytes into the blob store if they hash to `digest`, and links the blob
  // into the session's repository. The session ends either way. The caller holds the appender.
  FinishStatus finish(std::unique_ptr<UploadAppender> appender, std::string_view digest,
                      EcrStore& ecr);
  void cancel(std::string_view id);
  // Sessions older than max_age are abandoned pushes.
  void expire(core::Duration max_age);
  void wipe();

 private:
  std::filesystem::path file_of(std::string_view id) const;
  void forget(std::string_view id);

  store::Db& db_;
  BlobStore& blobs_;
  const core::Clock& clock_;
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<UploadAppender::State>, std::less<>> states_;
};

}  // namespace services::ecr
