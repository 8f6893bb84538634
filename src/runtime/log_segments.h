#pragma once
// The files a container's captured output lives in, shared by gantry-shim (the writer) and
// log_reader (the reader). Output is cut into numbered segments in the container's directory:
//   log      segment 0 (the name every shim used before segments, so old logs still read)
//   log.1    segment 1, log.2, ...
// The shim appends whole records to the newest segment only; once it holds
// `log_segment_bytes` the shim opens the next one and never writes to the older again, so a
// segment is complete as soon as a later one exists. The reader deletes the segments it has
// forwarded; the shim deletes the oldest ones beyond `log_max_segments` (output nobody forwards,
// or a forwarder that fell that far behind), so a container's captured output never takes more
// than about log_segment_bytes × log_max_segments on disk.
// Header-only, standard library only: the shim compiles it too.

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace runtime {

inline constexpr std::uint64_t kDefaultLogSegmentBytes = std::uint64_t{8} << 20;
inline constexpr std::uint64_t kDefaultLogMaxSegments = 4;

inline std::filesystem::path log_segment_path(const std::filesystem::path& dir,
                                              std::uint64_t segment) {
  return segment == 0 ? dir / "log" : dir / ("log." + std::to_string(segment));
}

// The segment number a file name stands for ("log" → 0, "log.12" → 12), nullopt for others.
inline std::optional<std::uint64_t> log_segment_number(std::string_view name) {
  if (name == "log") {
    return 0;
  }
  if (!name.starts_with("log.") || name.size() == 4) {
    return std::nullopt;
  }
  std::uint64_t n = 0;
  const char* end = name.data() + name.size();
  auto [p, ec] = std::from_chars(name.data() + 4, end, n);
  if (ec != std::errc() || p != end || n == 0) {
    return std::nullopt;
  }
  return n;
}

}  // namespace runtime
