#include "protocol/content_encoding.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace protocol {
namespace {

std::string gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(ContentEncodingTest, RecognisesGzipInTheHeaderList) {
  EXPECT_TRUE(gzip_encoded("gzip"));
  EXPECT_TRUE(gzip_encoded("aws-chunked, gzip"));
  EXPECT_FALSE(gzip_encoded(""));
  EXPECT_FALSE(gzip_encoded("identity"));
  EXPECT_FALSE(gzip_encoded("gzipx"));
}

TEST(ContentEncodingTest, InflatesAndRejectsGarbageTruncationAndBombs) {
  std::string text(100'000, 'x');
  std::string packed = gzip(text);
  EXPECT_EQ(gunzip(packed, 1 << 20), text);
  EXPECT_FALSE(gunzip("not gzip", 1 << 20));
  EXPECT_FALSE(gunzip(packed.substr(0, packed.size() / 2), 1 << 20));
  EXPECT_FALSE(gunzip(packed, 1000));
}

}  // namespace
}  // namespace protocol
