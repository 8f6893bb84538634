#include "services/ecr/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

#include "core/ids.h"
#include "core/log.h"

namespace services::ecr {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kWritebackChunk = 8 << 20;

std::error_code last_error() { return {errno, std::generic_category()}; }

void fsync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

void stream_writeback(int fd, uint64_t size, uint64_t* written_back) {
  if (size - *written_back < kWritebackChunk) {
    return;
  }
  ::sync_file_range(fd, static_cast<off_t>(*written_back),
                    static_cast<off_t>(size - *written_back), SYNC_FILE_RANGE_WRITE);
  if (*written_back > 0) {
    // The previous range was submitted one chunk ago; waiting for it keeps the dirty data
    // bounded without stalling on the range just submitted.
    uint64_t previous = std::min<uint64_t>(*written_back, kWritebackChunk);
    ::sync_file_range(fd, static_cast<off_t>(*written_back - previous),
                      static_cast<off_t>(previous),
                      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                          SYNC_FILE_RANGE_WAIT_AFTER);
  }
  *written_back = size;
}

BlobWriter::BlobWriter(fs::path tmp_path, int fd) : tmp_path_(std::move(tmp_path)), fd_(fd) {}

BlobWriter::BlobWriter(BlobWriter&& other) noexcept
    : tmp_path_(std::move(other.tmp_path_)),
      fd_(std::exchange(other.fd_, -1)),
      size_(other.size_),
      written_back_(other.written_back_),
      hash_(other.hash_),
      error_(other.error_),
      committed_(std::exchange(other.committed_, true)) {}

BlobWriter::~BlobWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  if (!committed_ && !tmp_path_.empty()) {
    std::error_code ec;
    fs::remove(tmp_path_, ec);
  }
}

bool BlobWriter::write(std::string_view bytes) {
  if (error_) {
    return false;
  }
  hash_.update(bytes);
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      error_ = last_error();
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
  stream_writeback(fd_, size_, &written_back_);
  return true;
}

BlobStore::BlobStore(fs::path data_dir)
    : data_dir_(std::move(data_dir)), blobs_(data_dir_ / "blobs" / "sha256"),
      tmp_(data_dir_ / "blobs" / "tmp") {
  fs::create_directories(blobs_);
  fs::create_directories(tmp_);
}

void BlobStore::remove_temporaries() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tmp_, ec)) {
    fs::remove(entry.path(), ec);
  }
}

fs::path BlobStore::path_of(std::string_view digest) const {
  std::string_view hex = digest_hex(digest);
  return blobs_ / std::string(hex.substr(0, 2)) / std::string(hex);
}

std::optional<uint64_t> BlobStore::size_of(std::string_view digest) const {
  struct stat st {};
  if (!is_valid_digest(digest) || ::stat(path_of(digest).c_str(), &st) != 0) {
    return std::nullopt;
  }
  return static_cast<uint64_t>(st.st_size);
}

std::optional<OpenBlob> BlobStore::open(std::string_view digest) const {
  if (!is_valid_digest(digest)) {
    return std::nullopt;
  }
  int fd = ::open(path_of(digest).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  return OpenBlob{fd, static_cast<uint64_t>(st.st_size)};
}

std::optional<std::string> BlobStore::read(std::string_view digest, uint64_t max_bytes) const {
  std::optional<OpenBlob> blob = open(digest);
  if (!blob) {
    return std::nullopt;
  }
  std::optional<std::string> out;
  if (blob->size <= max_bytes) {
    std::string bytes(blob->size, '\0');
    std::size_t got = 0;
    while (got < bytes.size()) {
      ssize_t n = ::pread(blob->fd, bytes.data() + got, bytes.size() - got,
                          static_cast<off_t>(got));
      if (n <= 0) {
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    if (got == bytes.size()) {
      out = std::move(bytes);
    }
  }
  ::close(blob->fd);
  return out;
}

BlobWriter BlobStore::writer() {
  fs::path path = tmp_ / core::ids::uuid4();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::system_error(last_error(), "creating " + path.string());
  }
  return BlobWriter(std::move(path), fd);
}

CommitError BlobStore::commit(BlobWriter& writer, std::string_view expected) {
  if (writer.error_) {
    return CommitError::Io;
  }
  if (writer.digest() != expected) {
    return CommitError::DigestMismatch;  // the writer's destructor removes the file
  }
  if (::fsync(writer.fd_) != 0) {
    writer.error_ = last_error();
    return CommitError::Io;
  }
  ::close(writer.fd_);
  writer.fd_ = -1;
  CommitError result = commit_file(writer.tmp_path_, expected, /*synced=*/true);
  if (result == CommitError::None) {
    writer.committed_ = true;
  }
  return result;
}

CommitError BlobStore::commit_file(const fs::path& file, std::string_view digest, bool synced) {
  fs::path target = path_of(digest);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (!synced) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  // The same bytes may already be there (another repository pushed them): rename replaces them
  // atomically with identical content.
  if (::rename(file.c_str(), target.c_str()) != 0) {
    core::log::error("blob rename failed",
                     {{"from", file.string()}, {"error", last_error().message()}});
    return CommitError::Io;
  }
  fsync_dir(target.parent_path());
  return CommitError::None;
}

std::string BlobStore::put(std::string_view bytes) {
  BlobWriter w = writer();
  w.write(bytes);
  std::string digest = w.digest();
  if (commit(w, digest) != CommitError::None) {
    throw std::system_error(w.error() ? w.error() : std::make_error_code(std::errc::io_error),
                            "storing blob");
  }
  return digest;
}

bool BlobStore::remove(std::string_view digest) {
  std::error_code ec;
  return is_valid_digest(digest) && fs::remove(path_of(digest), ec);
}

std::vector<std::string> BlobStore::list() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(blobs_, ec)) {
    for (const auto& f : fs::directory_iterator(dir.path(), ec)) {
      std::string digest = "sha256:" + f.path().filename().string();
      if (is_valid_digest(digest)) {
        out.push_back(std::move(digest));
      }
    }
  }
  return out;
}

void BlobStore::wipe() {
  std::unique_lock lock(gc_lock_);
  std::error_code ec;
  fs::remove_all(blobs_, ec);
  fs::create_directories(blobs_, ec);
  for (const auto& entry : fs::directory_iterator(tmp_, ec)) {
    fs::remove(entry.path(), ec);
  }
}

}  // namespace services::ecr
