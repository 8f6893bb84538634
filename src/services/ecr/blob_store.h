#pragma once
// The content-addressed blob store shared by every repository of every account: one file per
// blob at <data_dir>/blobs/sha256/<first two hex digits>/<64 hex digits>.
//
// A blob is written to <data_dir>/blobs/tmp, hashed while it is written, fsynced, and renamed into
// place only when its digest matches, so a crash never leaves a blob with the wrong bytes under a
// digest. Which repository may serve a blob is the store's business (ecr_repo_blobs), not this
// class's. Thread-safe.
//
// Garbage collection races with writers: a writer renames a blob into place and then links it in
// the database. gc_lock() in shared mode around that pair, and in exclusive mode around a
// collection, keeps a collection from deleting a blob between the two steps.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "services/ecr/digest.h"

namespace services::ecr {

// Streaming writeback for a file being appended to, so that its final fsync has little left to
// wait for: every 8 MiB it starts writing the newest range and waits for the range before it
// (usually long done), which bounds the dirty data to about 16 MiB. `*written_back` is the
// caller's state (0 for a new file); `size` is the file's size after the latest write.
void stream_writeback(int fd, uint64_t size, uint64_t* written_back);

// A blob being written: hashes as it goes, becomes visible only through BlobStore::commit().
class BlobWriter {
 public:
  BlobWriter(std::filesystem::path tmp_path, int fd);
  BlobWriter(BlobWriter&& other) noexcept;
  BlobWriter& operator=(BlobWriter&&) = delete;
  ~BlobWriter();  // removes the temporary file unless committed

  // Appends; false on a write error (disk full), which error() then describes.
  bool write(std::string_view bytes);
  uint64_t size() const { return size_; }
  std::string digest() const { return hash_.digest(); }
  std::error_code error() const { return error_; }

 private:
  friend class BlobStore;
  std::filesystem::path tmp_path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  uint64_t written_back_ = 0;
  Sha256 hash_;
  std::error_code error_;
  bool committed_ = false;
};

struct OpenBlob {
  int fd = -1;  // the caller owns it
  uint64_t size = 0;
};

enum class CommitError { None, DigestMismatch, Io };

class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path data_dir);

  std::filesystem::path path_of(std::string_view digest) const;
  // Size of a stored blob, or nullopt. `digest` must be valid.
  std::optional<uint64_t> size_of(std::string_view digest) const;
  std::optional<OpenBlob> open(std::string_view digest) const;
  // The whole blob, for small ones (configs); nullopt if absent or larger than max_bytes.
  std::optional<std::string> read(std::string_view digest, uint64_t max_bytes) const;

  // A writer on a new temporary file. Throws std::system_error if it cannot be created.
  BlobWriter writer();
  // Moves a finished writer into place if its bytes hash to `expected` (temp → fsync → rename →
  // fsync dir). On DigestMismatch the temporary file is gone and nothing is stored. Callers hold
  // gc_lock() shared from before commit until the blob is linked.
  CommitError commit(BlobWriter& writer, std::string_view expected);
  // Stores a file that was written and hashed elsewhere (an upload session's data), by rename;
  // fsyncs it first unless the caller already did (`synced`).
  CommitError commit_file(const std::filesystem::path& file, std::string_view digest,
                          bool synced = false);
  // Stores bytes in one go (tests, small blobs); returns the digest.
  std::string put(std::string_view bytes);

  bool remove(std::string_view digest);
  // Every stored digest.
  std::vector<std::string> list() const;
  // Deletes temporary files left by a crash mid-upload (never renamed, so never visible). Call at
  // start-up only, before any writer exists.
  void remove_temporaries();
  // Deletes every blob and temporary file (POST /_gantry/reset).
  void wipe();

  std::shared_mutex& gc_lock() { return gc_lock_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path blobs_;
  std::filesystem::path tmp_;
  std::shared_mutex gc_lock_;
};

}  // namespace services::ecr
