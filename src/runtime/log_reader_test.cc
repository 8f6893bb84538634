#include "runtime/log_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/ids.h"
#include "runtime/log_segments.h"

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
  Result<LogChunk> first = read_log_records(file_, 0, {.max_records = 2});
  ASSERT_EQ(first->records.size(), 2u);
  Result<LogChunk> rest = read_log_records(file_, first->next_offset, {.max_records = 2});
  ASSERT_EQ(rest->records.size(), 1u);
  EXPECT_EQ(rest->records[0].message, "c");
}

class LogSegmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gantry-logs-" + core::ids::random_hex(8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void append(std::uint64_t segment, const std::string& text) {
    std::ofstream(log_segment_path(dir_, segment), std::ios::app) << text;
  }
  std::vector<std::string> messages(const LogChunk& c) {
    std::vector<std::string> out;
    for (const LogRecord& r : c.records) out.push_back(r.message);
    return out;
  }
  fs::path dir_;
};

TEST_F(LogSegmentsTest, NamesSegmentZeroLogAsBeforeSegmentsExisted) {
  EXPECT_EQ(log_segment_path(dir_, 0), dir_ / "log");
  EXPECT_EQ(log_segment_path(dir_, 3), dir_ / "log.3");
  EXPECT_EQ(log_segment_number("log"), 0u);
  EXPECT_EQ(log_segment_number("log.12"), 12u);
  EXPECT_FALSE(log_segment_number("log.json"));
  EXPECT_FALSE(log_segment_number("log."));
  EXPECT_FALSE(log_segment_number("log.0"));
}

TEST_F(LogSegmentsTest, ReadsAcrossACompleteSegmentIntoTheNext) {
  append(0, "1 o a\n2 o b\n");
  append(1, "3 o c\n");
  Result<LogChunk> c = read_log(dir_, {});
  ASSERT_TRUE(c);
  EXPECT_EQ(messages(*c), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(c->next, (LogPosition{1, 6}));
  EXPECT_EQ(c->skipped_segments, 0u);
}

TEST_F(LogSegmentsTest, StaysInTheNewestSegmentAndResumesWhereItStopped) {
  append(0, "1 o a\n");
  Result<LogChunk> first = read_log(dir_, {});
  EXPECT_EQ(first->next, (LogPosition{0, 6}));
  append(0, "2 o b\n");
  append(1, "3 o c\n");
  Result<LogChunk> second = read_log(dir_, first->next);
  EXPECT_EQ(messages(*second), (std::vector<std::string>{"b", "c"}));
}

TEST_F(LogSegmentsTest, AResumedReadNeitherRepeatsNorLosesRecordsAcrossARotation) {
  append(0, "1 o a\n2 o b\n");
  Result<LogChunk> first = read_log(dir_, {}, {.max_records = 1});
  EXPECT_EQ(messages(*first), (std::vector<std::string>{"a"}));
  append(1, "3 o c\n");
  release_log_segments(dir_, first->next);  // nothing before segment 0: keeps it
  Result<LogChunk> second = read_log(dir_, first->next);
  EXPECT_EQ(messages(*second), (std::vector<std::string>{"b", "c"}));
  release_log_segments(dir_, second->next);
  EXPECT_EQ(list_log_segments(dir_), (std::vector<std::uint64_t>{1}));
  Result<LogChunk> third = read_log(dir_, second->next);
  EXPECT_TRUE(third->records.empty());
  EXPECT_EQ(third->next, second->next);
}

TEST_F(LogSegmentsTest, SkipsSegmentsTheShimDroppedAndCountsThem) {
  append(3, "7 o late\n");
  Result<LogChunk> c = read_log(dir_, {1, 40});
  EXPECT_EQ(messages(*c), (std::vector<std::string>{"late"}));
  EXPECT_EQ(c->skipped_segments, 2u);
}

TEST_F(LogSegmentsTest, StopsAtTheByteLimit) {
  append(0, "1 o aaaa\n2 o bbbb\n3 o cccc\n");
  Result<LogChunk> c = read_log(dir_, {}, {.max_bytes = 5});
  EXPECT_EQ(messages(*c), (std::vector<std::string>{"aaaa", "bbbb"}));
}

}  // namespace
}  // namespace runtime
