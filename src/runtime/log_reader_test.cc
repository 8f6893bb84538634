#include "runtime/log_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/ids.h"

namespace runtime {
namespace {

namespace fs = std::filesystem;

class LogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = fs::temp_directory_path() / ("gantry-log-" + core::ids::random_hex(8));
  }
  void TearDown() override { fs::remove(file_); }
  void append(const std::string& text) { std::ofstream(file_, std::ios::app) << text; }
  fs::path file_;
};

TEST_F(LogReaderTest, AMissingFileIsEmpty) {
  Result<LogChunk> chunk = read_log_records(file_, 0);
  ASSERT_TRUE(chunk);
  EXPECT_TRUE(chunk->records.empty());
  EXPECT_EQ(chunk->next_offset, 0u);
}

TEST_F(LogReaderTest, ReadsRecordsWithTheirStreamAndTimestamp) {
  append("1700000000123 o hello world\n1700000000456 e oops\n1700000000789 o \n");
  Result<LogChunk> chunk = read_log_records(file_, 0);
  ASSERT_TRUE(chunk);
  ASSERT_EQ(chunk->records.size(), 3u);
  EXPECT_EQ(chunk->records[0].timestamp_ms, 1700000000123);
  EXPECT_EQ(chunk->records[0].stream, LogStream::Stdout);
  EXPECT_EQ(chunk->records[0].message, "hello world");
  EXPECT_EQ(chunk->records[1].stream, LogStream::Stderr);
  EXPECT_EQ(chunk->records[2].message, "");
  EXPECT_EQ(chunk->next_offset, fs::file_size(file_));
}

TEST_F(LogReaderTest, LeavesAPartlyWrittenRecordForTheNextRead) {
  append("1 o done\n2 o half");
  Result<LogChunk> first = read_log_records(file_, 0);
  ASSERT_EQ(first->records.size(), 1u);
  EXPECT_EQ(first->next_offset, 9u);
  append("-way\n");
  Result<LogChunk> second = read_log_records(file_, first->next_offset);
  ASSERT_EQ(second->records.size(), 1u);
  EXPECT_EQ(second->records[0].message, "half-way");
}

TEST_F(LogReaderTest, StopsAtMaxRecordsAndResumesFromTheOffset) {
  append("1 o a\n2 o b\n3 o c\n");
  Result<LogChunk> first = read_log_records(file_, 0, 2);
  ASSERT_EQ(first->records.size(), 2u);
  Result<LogChunk> rest = read_log_records(file_, first->next_offset, 2);
  ASSERT_EQ(rest->records.size(), 1u);
  EXPECT_EQ(rest->records[0].message, "c");
}

}  // namespace
}  // namespace runtime
