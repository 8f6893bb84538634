#pragma once
// A cgroupfs stand-in for unit tests: plain directories and files under a temporary root that
// the cgroup code (runtime/cgroup.h) reads and writes as it would /sys/fs/cgroup. Removed with
// the object.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/ids.h"

namespace fakes {

class FakeCgroupfs {
 public:
  FakeCgroupfs()
      : root_(std::filesystem::temp_directory_path() /
              ("gantry-cgfs-" + core::ids::random_hex(8))) {
    std::filesystem::create_directories(root_);
  }
  ~FakeCgroupfs() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  FakeCgroupfs(const FakeCgroupfs&) = delete;
  FakeCgroupfs& operator=(const FakeCgroupfs&) = delete;

  const std::filesystem::path& root() const { return root_; }

  // Writes `content` to <root>/<relative>, creating the directories on the way.
  void put(const std::string& relative, const std::string& content) const {
    std::filesystem::path file = root_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::trunc) << content;
  }
  void mkdir(const std::string& relative) const {
    std::filesystem::create_directories(root_ / relative);
  }
  bool exists(const std::string& relative) const {
    return std::filesystem::exists(root_ / relative);
  }
  // The file's content; "<missing>" when it does not exist.
  std::string read(const std::string& relative) const {
    std::ifstream in(root_ / relative);
    if (!in) {
      return "<missing>";
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

 private:
  std::filesystem::path root_;
};

}  // namespace fakes
