#include <gtest/gtest.h>

#include "core/log.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  core::log::set_level(core::log::Level::Warn);
  return RUN_ALL_TESTS();
}
