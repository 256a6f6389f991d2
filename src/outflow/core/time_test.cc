#include "outflow/core/time.h"

#include <gtest/gtest.h>

#include <cstdio>

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

// format_time keeps the last day's date text: times that go back and forth between days, and
// before 1970, must still each get their own date.
TEST(Time, FormatMatchesCivilDateAcrossDays) {
  auto reference = [](TimeNs t) {
    int64_t secs = t / kNsPerSec, ns = t % kNsPerSec;
    if (ns < 0) ns += kNsPerSec, secs -= 1;
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) rem += 86400, days -= 1;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60), static_cast<long long>(ns / 1000));
    return std::string(buf);
  };
  const TimeNs day = 86400 * kNsPerSec;
  const TimeNs base = 1'600'618'621'152'345'678;  // 2020-09-20T16:17:01.152345Z
  const TimeNs times[] = {base, base + day, base, base - 17 * day + 999, -1000, -1, 0, day - 1, -day,
                          -day - 1, std::numeric_limits<int64_t>::max(), kNoTime + 1, base + 400 * day, base};
  for (TimeNs t : times) EXPECT_EQ(format_time(t), reference(t)) << t;
  EXPECT_EQ(format_time(-1000), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_time(kNoTime), "");
  char buf[kTimeTextSize];
  EXPECT_EQ(format_time_to(kNoTime, buf), 0u);
  ASSERT_EQ(format_time_to(base, buf), kTimeTextSize);
  EXPECT_EQ(std::string(buf, kTimeTextSize), "2020-09-20T16:17:01.152345Z");
}

}  // namespace outflow
