#include "services/ecr/upload_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <shared_mutex>

#include "core/ids.h"
#include "core/log.h"

namespace services::ecr {

namespace fs = std::filesystem;

struct UploadAppender::State {
  std::string id;
  fs::path file;
  Sha256 hash;
  uint64_t size = 0;
  uint64_t written_back = 0;  // stream_writeback()'s state
  bool busy = false;  // guarded by UploadStore::mutex_
  UploadStore* owner = nullptr;
  std::mutex* owner_mutex = nullptr;
};

UploadAppender::UploadAppender(std::shared_ptr<State> state) : state_(std::move(state)) {
  fd_ = ::open(state_->file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = {errno, std::generic_category()};
  }
}

UploadAppender::~UploadAppender() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  std::lock_guard lock(*state_->owner_mutex);
  state_->busy = false;
}

bool UploadAppender::write(std::string_view bytes) {
  if (error_) {
    return false;
  }
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      error_ = {errno, std::generic_category()};
      // Drop the part of `bytes` that did get written: the file stays what the session says
      // it holds, so that the client can send the part again.
      (void)::ftruncate(fd_, static_cast<off_t>(state_->size));
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  state_->hash.update(bytes);
  state_->size += bytes.size();
  stream_writeback(fd_, state_->size, &state_->written_back);
  return true;
}

bool UploadAppender::sync() {
  if (error_ || fd_ < 0) {
    return false;
  }
  if (::fdatasync(fd_) != 0) {
    error_ = {errno, std::generic_category()};
    return false;
  }
  return true;
}

uint64_t UploadAppender::size() const { return state_->size; }
std::string UploadAppender::digest() const { return state_->hash.digest(); }
const std::string& UploadAppender::id() const { return state_->id; }

UploadStore::UploadStore(store::Db& db, BlobStore& blobs, const core::Clock& clock)
    : db_(db), blobs_(blobs), clock_(clock), dir_(blobs.data_dir() / "uploads") {
  fs::create_directories(dir_);
}

fs::path UploadStore::file_of(std::string_view id) const { return dir_ / std::string(id); }

UploadSession UploadStore::create(const RepoKey& key) {
  UploadSession s{core::ids::uuid4(), key, 0};
  int fd = ::open(file_of(s.id).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "creating upload file");
  }
  ::close(fd);
  store::Transaction tx = db_.begin();
  tx.execute(
      "INSERT INTO ecr_uploads (id, account, region, repository, created_at_ms) VALUES (?1, ?2, "
      "?3, ?4, ?5)",
      s.id, key.account, key.region, key.name, core::to_epoch_millis(clock_.now()));
  tx.commit();
  return s;
}

std::optional<UploadSession> UploadStore::find(std::string_view id) {
  std::optional<UploadSession> out;
  {
    store::Transaction tx = db_.read();
    tx.query("SELECT id, account, region, repository FROM ecr_uploads WHERE id = ?1",
             [&](const store::Statement& s) {
               out = UploadSession{s.text(0), RepoKey{s.text(1), s.text(2), s.text(3)}, 0};
             },
             id);
  }
  if (out) {
    struct stat st {};
    if (::stat(file_of(id).c_str(), &st) != 0) {
      return std::nullopt;
    }
    out->size = static_cast<uint64_t>(st.st_size);
  }
  return out;
}

std::unique_ptr<UploadAppender> UploadStore::acquire(std::string_view id, bool* busy) {
  if (busy) {
    *busy = false;
  }
  if (!find(id)) {
    return nullptr;
  }
  std::lock_guard lock(mutex_);
  auto it = states_.find(id);
  if (it == states_.end()) {
    // First use since start-up: rebuild the running hash from the bytes on disk.
    auto state = std::make_shared<UploadAppender::State>();
    state->id = std::string(id);
    state->file = file_of(id);
    state->owner = this;
    state->owner_mutex = &mutex_;
    int fd = ::open(state->file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return nullptr;
    }
    std::string buf(1 << 20, '\0');
    for (;;) {
      ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n <= 0) {
        break;
      }
      state->hash.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
      state->size += static_cast<uint64_t>(n);
    }
    ::close(fd);
    it = states_.emplace(std::string(id), std::move(state)).first;
  }
  if (it->second->busy) {
    if (busy) {
      *busy = true;
    }
    return nullptr;
  }
  it->second->busy = true;
  return std::unique_ptr<UploadAppender>(new UploadAppender(it->second));
}

FinishStatus UploadStore::finish(std::unique_ptr<UploadAppender> appender,
                                 std::string_view digest, EcrStore& ecr) {
  std::string id = appender->id();
  std::optional<UploadSession> session = find(id);
  FinishStatus status = FinishStatus::Stored;
  if (appender->error()) {
    status = FinishStatus::Io;
  } else if (!session || appender->digest() != digest) {
    status = FinishStatus::DigestMismatch;
  } else {
    std::shared_lock gc(blobs_.gc_lock());
    if (!appender->sync() ||
        blobs_.commit_file(file_of(id), digest, /*synced=*/true) != CommitError::None) {
      status = FinishStatus::Io;
    } else {
      ecr.link_blob(session->repository, digest, appender->size());
    }
  }
  appender.reset();
  forget(id);
  return status;
}

void UploadStore::forget(std::string_view id) {
  {
    store::Transaction tx = db_.begin();
    tx.execute("DELETE FROM ecr_uploads WHERE id = ?1", id);
    tx.commit();
  }
  std::error_code ec;
  fs::remove(file_of(id), ec);
  std::lock_guard lock(mutex_);
  states_.erase(std::string(id));
}

void UploadStore::cancel(std::string_view id) { forget(id); }

void UploadStore::expire(core::Duration max_age) {
  std::vector<std::string> old;
  {
    store::Transaction tx = db_.read();
    tx.query("SELECT id FROM ecr_uploads WHERE created_at_ms < ?1",
             [&](const store::Statement& s) { old.push_back(s.text(0)); },
             core::to_epoch_millis(clock_.now() - max_age));
  }
  for (const std::string& id : old) {
    forget(id);
  }
}

void UploadStore::wipe() {
  std::lock_guard lock(mutex_);
  states_.clear();
  std::error_code ec;
  fs::remove_all(dir_, ec);
  fs::create_directories(dir_, ec);
}

}  // namespace services::ecr
