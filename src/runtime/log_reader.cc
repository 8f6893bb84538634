#include "runtime/log_reader.h"

#include <cerrno>
#include <charconv>
#include <fstream>

namespace runtime {

Result<LogChunk> read_log_records(const std::filesystem::path& file, std::uint64_t offset,
                                  std::size_t max_records) {
  LogChunk chunk;
  chunk.next_offset = offset;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return chunk;
  }
  in.seekg(static_cast<std::streamoff>(offset));
  std::string line;
  while (chunk.records.size() < max_records && std::getline(in, line)) {
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
      chunk.records.push_back(std::move(record));
    }
    chunk.next_offset += consumed;
  }
  return chunk;
}

}  // namespace runtime
