#pragma once
// Reads the records a gantry-shim appended to a container's log file: one line each,
// "<epoch-ms> <o|e> <text>". Offsets are byte offsets in the file; the caller (the awslogs
// forwarder) persists next_offset and resumes from it, so output written while the server was
// down is forwarded after a restart. Only complete lines are returned.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/result.h"

namespace runtime {

enum class LogStream { Stdout, Stderr };

struct LogRecord {
  std::int64_t timestamp_ms = 0;
  LogStream stream = LogStream::Stdout;
  std::string message;  // without the trailing newline
};

struct LogChunk {
  std::vector<LogRecord> records;
  std::uint64_t next_offset = 0;
};

// Up to `max_records` records starting at `offset`. A missing file is an empty chunk.
Result<LogChunk> read_log_records(const std::filesystem::path& file, std::uint64_t offset,
                                  std::size_t max_records = 10000);

}  // namespace runtime
