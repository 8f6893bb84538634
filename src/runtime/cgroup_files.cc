#include "runtime/cgroup_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

namespace runtime {

namespace fs = std::filesystem;

namespace {

// v1 writes "no limit" as LONG_MAX rounded down to a page (9223372036854771712 with 4 KiB pages).
constexpr std::uint64_t kV1Unlimited = std::uint64_t{1} << 62;

std::optional<std::string> read_text(const fs::path& file) {
  std::ifstream in(file);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

bool has_subdirectory(const fs::path& dir) {
  int saved = errno;
  std::error_code ec;
  bool found = false;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    found = found || e.is_directory(ec);
  }
  errno = saved;
  return found;
}

}  // namespace

std::optional<std::uint64_t> read_cgroup_number(const fs::path& file) {
  std::optional<std::string> text = read_text(file);
  if (!text) {
    return std::nullopt;
  }
  return parse_u64(trim(*text));
}

std::optional<std::optional<std::uint64_t>> read_cgroup_limit(const fs::path& file) {
  using Limit = std::optional<std::uint64_t>;
  std::optional<std::string> text = read_text(file);
  if (!text) {
    return std::optional<Limit>();
  }
  std::string_view s = trim(*text);
  if (s == "max") {
    return std::optional<Limit>(Limit());
  }
  Limit v = parse_u64(s);
  if (!v) {
    return std::optional<Limit>();
  }
  return std::optional<Limit>(*v >= kV1Unlimited ? Limit() : v);
}

std::map<std::string, std::uint64_t> read_cgroup_keyed(const fs::path& file) {
  std::map<std::string, std::uint64_t> out;
  std::istringstream in(read_text(file).value_or(""));
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = trim(line);
    std::size_t space = l.find(' ');
    if (space == std::string_view::npos) {
      continue;
    }
    if (std::optional<std::uint64_t> v = parse_u64(trim(l.substr(space + 1)))) {
      out[std::string(l.substr(0, space))] = *v;
    }
  }
  return out;
}

std::uint64_t keyed_value(const std::map<std::string, std::uint64_t>& keyed,
                          const std::string& key) {
  auto it = keyed.find(key);
  return it == keyed.end() ? 0 : it->second;
}

std::optional<CgroupMemoryStats> read_memory_stats(const fs::path& dir, const MemoryFiles& files) {
  std::optional<std::uint64_t> usage = read_cgroup_number(dir / files.usage);
  if (!usage) {
    return std::nullopt;
  }
  CgroupMemoryStats m;
  m.usage = *usage;
  m.max_usage = read_cgroup_number(dir / files.max_usage).value_or(0);
  m.limit = read_cgroup_limit(dir / files.limit).value_or(std::nullopt);
  m.raw = read_cgroup_keyed(dir / "memory.stat");
  auto value = [&](const std::string& key) {
    auto it = m.raw.find(files.prefix + key);
    return it != m.raw.end() ? it->second : keyed_value(m.raw, key);
  };
  m.anon = value(files.anon);
  m.file = value(files.file);
  m.inactive_file = value(files.inactive_file);
  m.active_file = value(files.active_file);
  m.mapped_file = value(files.mapped_file);
  m.pgfault = value("pgfault");
  m.pgmajfault = value("pgmajfault");
  m.oom_kills = keyed_value(read_cgroup_keyed(dir / files.events), "oom_kill");
  return m;
}

std::vector<std::string> read_cgroup_list(const fs::path& file) {
  std::vector<std::string> out;
  std::istringstream in(read_text(file).value_or(""));
  std::string word;
  while (in >> word) {
    out.push_back(word);
  }
  return out;
}

Result<void> write_cgroup_file(const fs::path& file, const std::string& value) {
  // O_CREAT changes nothing on cgroupfs (its files exist, and it creates none); it lets a test's
  // plain directory stand in for a cgroup.
  int fd = ::open(file.c_str(), O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error::from_errno(errno, "open " + file.string());
  }
  ssize_t n = ::write(fd, value.data(), value.size());
  int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(value.size())) {
    return Error::from_errno(n < 0 ? saved : EIO, "write " + value + " to " + file.string());
  }
  return {};
}

Result<void> write_cgroup_files(const std::vector<CgroupWrite>& writes) {
  for (const CgroupWrite& w : writes) {
    std::error_code ec;
    if (!w.required && !fs::exists(w.file, ec)) {
      continue;
    }
    if (Result<void> r = write_cgroup_file(w.file, w.value); !r) {
      return r;
    }
  }
  return {};
}

Result<void> make_cgroup_dirs(const fs::path& dir) {
  // Another manager may rmdir an empty parent between our mkdir of it and of the child.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!ec || fs::is_directory(dir)) {
      return {};
    }
    if (ec != std::errc::no_such_file_or_directory) {
      return Error(ec, "mkdir " + dir.string());
    }
  }
  return Error(std::make_error_code(std::errc::no_such_file_or_directory), "mkdir " + dir.string());
}

Result<void> remove_cgroup_dir(const fs::path& dir, std::chrono::milliseconds busy_wait) {
  auto deadline = std::chrono::steady_clock::now() + busy_wait;
  while (::rmdir(dir.c_str()) != 0) {
    if (errno == ENOENT) {
      return {};
    }
    if (errno == ENOTEMPTY) {
      // cgroupfs never says this (its files go with the directory): a plain directory standing
      // in for one, as in tests. Its files go first; a subdirectory still fails the rmdir.
      std::error_code ec;
      for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec)) {
          fs::remove(e.path(), ec);
        }
      }
      if (::rmdir(dir.c_str()) == 0) {
        return {};
      }
    }
    // Busy with child cgroups is not transient: only processes still exiting are waited for.
    if (errno != EBUSY || has_subdirectory(dir) || std::chrono::steady_clock::now() >= deadline) {
      return Error::from_errno(errno, "rmdir " + dir.string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return {};
}

}  // namespace runtime
