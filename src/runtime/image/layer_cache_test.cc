#include "runtime/image/layer_cache.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/ids.h"
#include "runtime/image/oci_layout_source.h"
#include "runtime/image/sha256.h"
#include "runtime/image/test_tar.h"
#include "testing/manual_clock.h"

namespace runtime::image {
namespace {

namespace fs = std::filesystem;
using testing::TestTar;

class LayerCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("gantry-layers-" + core::ids::random_hex(8));
    source_ = std::make_unique<OciLayoutSource>(root_ / "oci");
  }
  void TearDown() override { fs::remove_all(root_); }

  // Stores `tar` gzip-compressed and returns the layer with its true diff_id.
  Layer add_layer(const std::string& uncompressed, const std::string& stored) {
    Layer layer;
    layer.digest = *source_->put_blob(stored);
    layer.diff_id = sha256_digest(uncompressed.data(), uncompressed.size());
    layer.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
    return layer;
  }
  std::vector<fs::path> entries(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
      out.push_back(e.path().filename());
    }
    return out;
  }

  fs::path root_;
  std::unique_ptr<OciLayoutSource> source_;
};

TEST_F(LayerCacheTest, UnpacksALayerOnceAndReusesItsDirectory) {
  Layer layer = add_layer(TestTar().file("hello", "world").bytes(),
                          TestTar(TestTar::Compression::Gzip).file("hello", "world").bytes());
  LayerCache cache(root_ / "layers");
  Result<fs::path> first = cache.ensure(*source_, layer);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, cache.path_for(layer.diff_id));
  EXPECT_TRUE(fs::exists(*first / "hello"));
  fs::remove(*first / "hello");  // a second ensure must not unpack again
  Result<fs::path> second = cache.ensure(*source_, layer);
  ASSERT_TRUE(second);
  EXPECT_FALSE(fs::exists(*second / "hello"));
}

TEST_F(LayerCacheTest, RejectsALayerWhoseContentDoesNotMatchItsDiffIdAndKeepsNothing) {
  Layer layer = add_layer(TestTar().file("a", "1").bytes(),
                          TestTar(TestTar::Compression::Gzip).file("a", "2").bytes());
  LayerCache cache(root_ / "layers");
  Result<fs::path> r = cache.ensure(*source_, layer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::digest_mismatch);
  EXPECT_EQ(entries(root_ / "layers"), std::vector<fs::path>{"empty"});
}

TEST_F(LayerCacheTest, AMaliciousLayerFailsWithBadLayerAndLeavesNoDirectory) {
  Layer layer = add_layer(TestTar().file("../x", "1").bytes(), TestTar().file("../x", "1").bytes());
  LayerCache cache(root_ / "layers");
  Result<fs::path> r = cache.ensure(*source_, layer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_layer);
  EXPECT_EQ(entries(root_ / "layers"), std::vector<fs::path>{"empty"});
}

TEST_F(LayerCacheTest, AnUnknownBlobIsImageNotFound) {
  Layer layer;
  layer.digest = "sha256:" + std::string(64, 'a');
  layer.diff_id = "sha256:" + std::string(64, 'b');
  LayerCache cache(root_ / "layers");
  Result<fs::path> r = cache.ensure(*source_, layer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::image_not_found);
}

TEST_F(LayerCacheTest, ConcurrentPullsOfOneLayerAllGetTheSameDirectory) {
  Layer layer =
      add_layer(TestTar().file("f", std::string(1 << 20, 'q')).bytes(),
                TestTar(TestTar::Compression::Gzip).file("f", std::string(1 << 20, 'q')).bytes());
  LayerCache cache(root_ / "layers");
  std::vector<std::thread> threads;
  std::vector<Result<fs::path>> results(8, Error(errc::bad_layer, "unset"));
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] { results[i] = cache.ensure(*source_, layer); });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  for (const Result<fs::path>& r : results) {
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, cache.path_for(layer.diff_id));
  }
  EXPECT_EQ(entries(root_ / "layers").size(), 2u);  // empty + the layer, no temp dirs
}

TEST_F(LayerCacheTest, RemovesTemporaryDirectoriesLeftByACrash) {
  fs::create_directories(root_ / "layers" / "abc.tmp-1234");
  LayerCache cache(root_ / "layers");
  EXPECT_FALSE(fs::exists(root_ / "layers" / "abc.tmp-1234"));
}

TEST_F(LayerCacheTest, ListsLayersWithSizeAndLastUseAndRemovesThemUnlessUsedSince) {
  fakes::ManualClock clock;
  Layer layer = add_layer(TestTar().file("big", std::string(50000, 'x')).bytes(),
                          TestTar(TestTar::Compression::Gzip)
                              .file("big", std::string(50000, 'x'))
                              .bytes());
  LayerCache cache(root_ / "layers", {}, clock);
  ASSERT_TRUE(cache.ensure(*source_, layer));
  core::TimePoint used = clock.now();
  std::vector<LayerCache::Entry> listed = cache.entries();
  ASSERT_EQ(listed.size(), 1u);  // "empty" is not a layer
  EXPECT_EQ(listed[0].name, cache.path_for(layer.diff_id).filename().string());
  EXPECT_GE(listed[0].bytes, 50000u);
  EXPECT_EQ(listed[0].last_used, used);

  clock.advance(std::chrono::hours(1));
  ASSERT_TRUE(cache.ensure(*source_, layer));  // used again after the pruner looked
  EXPECT_FALSE(cache.remove(listed[0].name, used + std::chrono::minutes(1)));
  EXPECT_TRUE(fs::exists(cache.path_for(layer.diff_id)));
  EXPECT_TRUE(cache.remove(listed[0].name, clock.now() + std::chrono::seconds(1)));
  EXPECT_FALSE(fs::exists(cache.path_for(layer.diff_id)));
  EXPECT_EQ(entries(root_ / "layers"), std::vector<fs::path>{"empty"});
  // A later pull unpacks it again.
  ASSERT_TRUE(cache.ensure(*source_, layer));
  EXPECT_TRUE(fs::exists(cache.path_for(layer.diff_id) / "big"));
}

TEST_F(LayerCacheTest, ALayerFoundOnDiskAfterARestartCountsAsUsedWhenFirstListed) {
  fakes::ManualClock clock;
  Layer layer = add_layer(TestTar().file("a", "b").bytes(),
                          TestTar(TestTar::Compression::Gzip).file("a", "b").bytes());
  ASSERT_TRUE(LayerCache(root_ / "layers", {}, clock).ensure(*source_, layer));
  clock.advance(std::chrono::hours(100));
  LayerCache restarted(root_ / "layers", {}, clock);
  std::vector<LayerCache::Entry> listed = restarted.entries();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used, clock.now());  // not the image's mtimes, nor the unpack
  EXPECT_FALSE(restarted.remove(listed[0].name, clock.now()));
}

}  // namespace
}  // namespace runtime::image
