#include "outflow/join/recent_uids.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

constexpr TimeNs kHour = 3600 * kNsPerSec;

TEST(RecentUids, RememberedForAtLeastSpanThenForgotten) {
  RecentUids r(1'000'000);
  r.add(42, 0, kHour);
  r.add(0, 0, kHour);  // a hash of 0 is a key like any other
  EXPECT_TRUE(r.contains(42));
  EXPECT_TRUE(r.contains(0));
  EXPECT_FALSE(r.contains(43));
  r.add(7, kHour, kHour);  // a new generation: 42 is in the previous one
  EXPECT_TRUE(r.contains(42));
  r.add(8, 2 * kHour - 1, kHour);
  EXPECT_TRUE(r.contains(42));
  r.add(9, 2 * kHour, kHour);  // two generations on: 42 is forgotten, 7 and 8 not yet
  EXPECT_FALSE(r.contains(42));
  EXPECT_TRUE(r.contains(7));
  EXPECT_TRUE(r.contains(8));
}

TEST(RecentUids, CapBoundsMemory) {
  RecentUids r(1000);
  for (uint64_t i = 1; i <= 100'000; ++i) r.add(i * 0x9E3779B97F4A7C15ULL, kNoTime, kHour);
  EXPECT_LE(r.size(), 1000u);
  EXPECT_TRUE(r.contains(100'000 * 0x9E3779B97F4A7C15ULL));  // the latest are kept
  EXPECT_FALSE(r.contains(1 * 0x9E3779B97F4A7C15ULL));
}

}  // namespace
}  // namespace outflow
