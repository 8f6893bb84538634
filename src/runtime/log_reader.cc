#include "runtime/log_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>

#include "runtime/log_segments.h"

namespace runtime {

namespace fs = std::filesystem;

Result<LogChunk> read_log_records(const fs::path& file, std::uint64_t offset,
                                  LogReadLimits limits) {
  LogChunk chunk;
  chunk.next_offset = offset;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return chunk;
  }
  in.seekg(static_cast<std::streamoff>(offset));
  std::string line;
  std::size_t bytes = 0;
  while (chunk.records.size() < limits.max_records && bytes < limits.max_bytes &&
         std::getline(in, line)) {
    if (in.eof()) {
      break;  // no newline yet: the shim is still writing this record
    }
    std::uint64_t consumed = line.size() + 1;
    LogRecord record;
    const char* begin = line.data();
    const char* end = begin + line.size();
    auto [p, ec] = std::from_chars(begin, end, record.timestamp_ms);
    if (ec == std::errc() && end - p >= 3 && p[0] == ' ' && p[2] == ' ') {
      record.stream = p[1] == 'e' ? LogStream::Stderr : LogStream::Stdout;
      record.message.assign(p + 3, end);
      bytes += record.message.size();
      chunk.records.push_back(std::move(record));
    }
    chunk.next_offset += consumed;
  }
  return chunk;
}

std::vector<std::uint64_t> list_log_segments(const fs::path& dir) {
  std::vector<std::uint64_t> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (std::optional<std::uint64_t> n = log_segment_number(e.path().filename().string())) {
      out.push_back(*n);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<LogChunk> read_log(const fs::path& dir, LogPosition from, LogReadLimits limits) {
  LogChunk chunk;
  chunk.next = from;
  std::vector<std::uint64_t> segments = list_log_segments(dir);
  if (segments.empty()) {
    return chunk;
  }
  if (from.segment < segments.front()) {
    // The shim dropped what we had not read yet: resume at the oldest segment left.
    chunk.skipped_segments = segments.front() - from.segment;
    chunk.next = {segments.front(), 0};
  }
  std::size_t bytes = 0;
  for (;;) {
    // Whether a later segment exists is checked BEFORE reading: the shim opens the next segment
    // only after its last write to this one, so reading to the end afterwards sees everything.
    auto later = std::upper_bound(segments.begin(), segments.end(), chunk.next.segment);
    bool complete = later != segments.end();
    LogReadLimits left{limits.max_records - chunk.records.size(), limits.max_bytes - bytes};
    Result<LogChunk> part = read_log_records(log_segment_path(dir, chunk.next.segment),
                                             chunk.next.offset, left);
    if (!part) {
      return part.error();
    }
    for (LogRecord& r : part->records) {
      bytes += r.message.size();
      chunk.records.push_back(std::move(r));
    }
    chunk.next.offset = part->next_offset;
    if (chunk.records.size() >= limits.max_records || bytes >= limits.max_bytes || !complete) {
      return chunk;
    }
    // A complete segment read to its end (a partial last line in it can never complete).
    chunk.next = {*later, 0};
  }
}

void release_log_segments(const fs::path& dir, LogPosition forwarded) {
  for (std::uint64_t n : list_log_segments(dir)) {
    if (n >= forwarded.segment) {
      break;
    }
    std::error_code ec;
    fs::remove(log_segment_path(dir, n), ec);
  }
}

}  // namespace runtime
