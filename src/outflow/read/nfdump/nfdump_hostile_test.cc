// The nfdump CSV reader on hostile records: each case asserts the reason it is counted under.
#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::read_result;

TEST(NfdumpHostile, NumbersTimesAndDurations) {
  auto r = read_result(read_nfdump_csv,
                       "ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n"
                       "2024-01-02 03:04:05,2024-01-02 03:04:06,1.0,10.0.0.1,10.0.0.2,70000,443,TCP,1,10\n"
                       "2024-01-02 03:04:05,2024-01-02 03:04:06,1.0,10.0.0.1,10.0.0.2,1,443,TCP,1,-1\n"
                       "1601-01-01 00:00:00,1601-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,1,443,TCP,1,10\n"
                       "9999-12-31 23:59:59,9999-12-31 23:59:59,0.0,10.0.0.1,10.0.0.2,1,443,TCP,1,10\n"
                       "2024-01-02 03:04:05,2024-01-02 03:04:04,-1.0,10.0.0.1,10.0.0.2,1,443,TCP,1,10\n"
                       "2024-01-02 03:04:05,2124-01-02 03:04:04,0.0,10.0.0.1,10.0.0.2,1,443,TCP,1,10\n"
                       "2024-01-02 03:04:05,2024-01-02 03:04:06,1.0,10.0.0.1,10.0.0.2,1,443,TCP,1,10\n");
  EXPECT_EQ(r->bad("nfdump: bad sp"), 1u);
  EXPECT_EQ(r->bad("nfdump: bad ibyt"), 1u);
  EXPECT_EQ(r->bad("nfdump: ts out of range (before 1970 or after 2099)"), 2u);
  EXPECT_EQ(r->bad("nfdump: te before ts (negative duration)"), 1u);
  EXPECT_EQ(r->bad("nfdump: bad te"), 1u);
  EXPECT_EQ(r->sink.flows.size(), 1u);
}

TEST(NfdumpHostile, NegativeDurationWithoutTeIsBad) {
  auto r = read_result(read_nfdump_csv, "ts,td,sa,da\n2024-01-02 03:04:05,-3.5,10.0.0.1,10.0.0.2\n");
  EXPECT_EQ(r->bad("nfdump: bad td"), 1u);
  EXPECT_TRUE(r->sink.flows.empty());
}

}  // namespace
}  // namespace outflow
