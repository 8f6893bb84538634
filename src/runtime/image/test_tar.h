#pragma once
// Test helper: builds tar streams in memory (optionally gzip or zstd compressed) with libarchive,
// including entries no honest image would carry.

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <memory>
#include <string>

namespace runtime::image::testing {

class TestTar {
 public:
  enum class Compression { None, Gzip, Zstd };

  explicit TestTar(Compression c = Compression::None)
      : a_(archive_write_new(), &archive_write_free) {
    archive_write_set_format_pax_restricted(a_.get());
    if (c == Compression::Gzip) {
      archive_write_add_filter_gzip(a_.get());
    } else if (c == Compression::Zstd) {
      archive_write_add_filter_zstd(a_.get());
    } else {
      archive_write_add_filter_none(a_.get());
    }
    archive_write_set_bytes_in_last_block(a_.get(), 1);
    archive_write_open(a_.get(), this, nullptr, &TestTar::write_cb, nullptr);
  }

  TestTar& file(const std::string& path, const std::string& data, int mode = 0644) {
    Entry e(path, AE_IFREG, mode);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
    archive_write_header(a_.get(), e.get());
    archive_write_data(a_.get(), data.data(), data.size());
    return *this;
  }
  TestTar& dir(const std::string& path, int mode = 0755) {
    Entry e(path, AE_IFDIR, mode);
    archive_write_header(a_.get(), e.get());
    return *this;
  }
  TestTar& symlink(const std::string& path, const std::string& target) {
    Entry e(path, AE_IFLNK, 0777);
    archive_entry_set_symlink(e.get(), target.c_str());
    archive_write_header(a_.get(), e.get());
    return *this;
  }
  TestTar& hardlink(const std::string& path, const std::string& target) {
    Entry e(path, AE_IFREG, 0644);
    archive_entry_set_hardlink(e.get(), target.c_str());
    archive_entry_set_size(e.get(), 0);
    archive_write_header(a_.get(), e.get());
    return *this;
  }
  TestTar& device(const std::string& path, mode_t type, int major, int minor) {
    Entry e(path, type, 0600);
    archive_entry_set_rdevmajor(e.get(), major);
    archive_entry_set_rdevminor(e.get(), minor);
    archive_write_header(a_.get(), e.get());
    return *this;
  }

  // Finishes the archive and returns its bytes.
  std::string bytes() {
    archive_write_close(a_.get());
    return out_;
  }

 private:
  class Entry {
   public:
    Entry(const std::string& path, mode_t type, int mode) : e_(archive_entry_new()) {
      archive_entry_set_pathname(e_, path.c_str());
      archive_entry_set_filetype(e_, type);
      archive_entry_set_perm(e_, mode);
      archive_entry_set_mtime(e_, 1700000000, 0);
    }
    ~Entry() { archive_entry_free(e_); }
    archive_entry* get() { return e_; }

   private:
    archive_entry* e_;
  };

  static la_ssize_t write_cb(archive*, void* self, const void* buf, size_t n) {
    static_cast<TestTar*>(self)->out_.append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  }

  std::unique_ptr<archive, decltype(&archive_write_free)> a_;
  std::string out_;
};

}  // namespace runtime::image::testing
