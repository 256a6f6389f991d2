#include "outflow/core/time.h"

#include <gtest/gtest.h>

namespace outflow {

TEST(Time, ParsesSysmonUtcTime) {
  TimeNs t;
  ASSERT_TRUE(parse_datetime("2020-09-20 16:17:01.152", t));
  EXPECT_EQ(format_time(t), "2020-09-20T16:17:01.152000Z");
}

TEST(Time, ParsesIsoWithSevenDigitFractionAndZ) {
  TimeNs t;
  ASSERT_TRUE(parse_datetime("2022-05-13T08:54:05.1230000Z", t));
  EXPECT_EQ(format_time(t), "2022-05-13T08:54:05.123000Z");
}

TEST(Time, AppliesZoneOffset) {
  TimeNs a, b;
  ASSERT_TRUE(parse_datetime("2020-09-20T12:17:01-04:00", a));
  ASSERT_TRUE(parse_datetime("2020-09-20 16:17:01", b));
  EXPECT_EQ(a, b);
}

TEST(Time, RejectsGarbageAndOutOfRange) {
  TimeNs t = 42;
  EXPECT_FALSE(parse_datetime("2020-13-01 00:00:00", t));
  EXPECT_FALSE(parse_datetime("not a time", t));
  EXPECT_FALSE(parse_datetime("2020-09-20 16:17:01.152junk", t));
  EXPECT_FALSE(parse_datetime("1600-01-01 00:00:00", t));
  EXPECT_EQ(t, 42);
}

TEST(Time, ExtremeYearsDoNotOverflow) {
  TimeNs t = 0;
  // 1601 and 9999 are outside what int64 nanoseconds hold: rejected, not wrapped.
  EXPECT_FALSE(parse_datetime("9999-12-31 23:59:59", t));
  EXPECT_FALSE(parse_datetime("1601-01-01 00:00:00", t));
  EXPECT_TRUE(parse_datetime("2200-01-01 00:00:00", t));
}

TEST(Time, EpochSeconds) {
  TimeNs t;
  ASSERT_TRUE(parse_epoch_seconds("1517422326.539915", t));
  EXPECT_EQ(t, 1517422326539915000LL);
  EXPECT_FALSE(parse_epoch_seconds("15x", t));
  EXPECT_FALSE(parse_epoch_seconds("", t));
  // Found by fuzzing the Zeek reader: an 11-digit epoch overflowed the nanosecond product.
  EXPECT_FALSE(parse_epoch_seconds("15174322326", t));
  EXPECT_FALSE(parse_epoch_seconds("99999999999.5", t));
}

}  // namespace outflow
