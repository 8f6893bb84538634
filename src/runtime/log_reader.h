#pragma once
// Reads the records a gantry-shim appended to a container's log segments (log_segments.h): one
// line each, "<epoch-ms> <o|e> <text>". A position is a segment and a byte offset in it; the
// caller (the awslogs forwarder) persists next and resumes from it, so output written while the
// server was down is forwarded after a restart, and calls release_log_segments() once what it
// read is safely stored, which deletes the segments it has finished. Only complete lines are
// returned.

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

struct LogPosition {
  std::uint64_t segment = 0;
  std::uint64_t offset = 0;  // bytes into the segment
  friend bool operator==(const LogPosition&, const LogPosition&) = default;
};

struct LogReadLimits {
  std::size_t max_records = 10000;
  std::size_t max_bytes = std::size_t{4} << 20;  // message bytes per read (memory bound)
};

struct LogChunk {
  std::vector<LogRecord> records;
  std::uint64_t next_offset = 0;  // read_log_records: in the file read
  LogPosition next;               // read_log: where the next read starts
  // read_log: segments the shim deleted before they were read (the reader fell behind by more
  // than the shim keeps); their output is lost.
  std::uint64_t skipped_segments = 0;
};

// One file: up to the limits' worth of records starting at `offset`. A missing file is an empty
// chunk.
Result<LogChunk> read_log_records(const std::filesystem::path& file, std::uint64_t offset,
                                  LogReadLimits limits = {});

// The segments of the container directory `dir`, from `from` on: finishes a segment before
// moving to the next, and moves past a segment only once a later one exists.
Result<LogChunk> read_log(const std::filesystem::path& dir, LogPosition from,
                          LogReadLimits limits = {});

// Deletes the segments before `forwarded.segment`: their records have all been read and stored.
void release_log_segments(const std::filesystem::path& dir, LogPosition forwarded);

// The segment numbers present in `dir`, ascending.
std::vector<std::uint64_t> list_log_segments(const std::filesystem::path& dir);

}  // namespace runtime
