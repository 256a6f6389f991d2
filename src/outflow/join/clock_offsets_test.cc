#include "outflow/join/clock_offsets.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

constexpr TimeNs kSec = kNsPerSec;
constexpr TimeNs kDay = 86400 * kSec;
constexpr TimeNs kT0 = 1'700'000'000 * kSec;

// A connection event at host time t whose flow starts `off` later (plus jitter of a few s).
void sample(ClockOffsets& c, ClockKey k, TimeNs t, TimeNs off, int i) {
  c.add_sample(k, t, off + (i % 7) * kSec / 2);
}

TEST(ClockOffsets, DaysAndWeeksWithoutASearchWindow) {
  for (TimeNs off : {5 * kDay, -5 * kDay, 21 * kDay, -45 * kDay, 200 * kDay}) {
    ClockOffsets c;
    const ClockKey k{1, 3, TimeField::utc_time};
    for (int i = 0; i < 50; ++i) sample(c, k, kT0 + i * 60 * kSec, off, i);
    const OffsetEstimate e = c.estimate(k);
    ASSERT_TRUE(e.known) << off;
    EXPECT_NEAR(static_cast<double>(e.offset), static_cast<double>(off), 5.0 * kSec) << off;
    EXPECT_EQ(e.source, OffsetSource::samples);
    EXPECT_EQ(e.pieces, 1u);
  }
}

TEST(ClockOffsets, OutliersFromPortReuseDoNotMoveTheMode) {
  ClockOffsets c;
  const ClockKey k{1, 3, TimeField::utc_time};
  for (int i = 0; i < 40; ++i) sample(c, k, kT0 + i * 60 * kSec, -3 * kDay, i);
  // A dozen matches with the same 5-tuple days apart: scattered, not a cluster.
  for (int i = 0; i < 12; ++i) c.add_sample(k, kT0 + i * kSec, (i + 1) * 7919 * kSec);
  const OffsetEstimate e = c.estimate(k);
  ASSERT_TRUE(e.known);
  EXPECT_NEAR(static_cast<double>(e.offset), static_cast<double>(-3 * kDay), 5.0 * kSec);
  EXPECT_EQ(c.report(1)[0].outliers, 12u);
}

TEST(ClockOffsets, AClockThatJumpsMidFileIsPiecewise) {
  ClockOffsets c;
  const ClockKey k{1, 3, TimeField::utc_time};
  // Two hours on time, then the host's clock is set 5 days back (a restored snapshot).
  for (int i = 0; i < 60; ++i) sample(c, k, kT0 + i * 120 * kSec, 0, i);
  const TimeNs jump = kT0 + 2 * 3600 * kSec - 5 * kDay;
  for (int i = 0; i < 60; ++i) sample(c, k, jump + i * 120 * kSec, 5 * kDay, i);
  const auto rep = c.report(1);
  ASSERT_EQ(rep.size(), 1u);
  ASSERT_EQ(rep[0].pieces.size(), 2u);
  // Pieces are ordered by host time: the jumped-back stretch has the earlier host times.
  const OffsetEstimate before = c.estimate(k, kT0 + 30 * 60 * kSec);
  const OffsetEstimate after = c.estimate(k, jump + 30 * 60 * kSec);
  EXPECT_NEAR(static_cast<double>(before.offset), 0.0, 5.0 * kSec);
  EXPECT_NEAR(static_cast<double>(after.offset), static_cast<double>(5 * kDay), 5.0 * kSec);
  EXPECT_EQ(before.pieces, 2u);
}

TEST(ClockOffsets, TwoEventTypesOfOneHostHaveTheirOwnClocks) {
  ClockOffsets c;
  const ClockKey sysmon3{7, 3, TimeField::utc_time}, sec5156{7, 5156, TimeField::system_time};
  for (int i = 0; i < 30; ++i) {
    sample(c, sysmon3, kT0 + i * 60 * kSec, 33 * 3600 * kSec, i);
    sample(c, sec5156, kT0 + i * 60 * kSec, 19 * 3600 * kSec, i);
  }
  EXPECT_NEAR(static_cast<double>(c.estimate(sysmon3).offset), 33.0 * 3600 * kSec, 5.0 * kSec);
  EXPECT_NEAR(static_cast<double>(c.estimate(sec5156).offset), 19.0 * 3600 * kSec, 5.0 * kSec);
  // Sysmon 22 has no 5-tuple: it takes the connection clock of its own time field.
  const OffsetEstimate dns = c.estimate({7, 22, TimeField::utc_time});
  ASSERT_TRUE(dns.known);
  EXPECT_EQ(dns.source, OffsetSource::inherited);
  EXPECT_EQ(dns.from_event, 3);
  EXPECT_NEAR(static_cast<double>(dns.offset), 33.0 * 3600 * kSec, 5.0 * kSec);
  // Another host knows nothing.
  EXPECT_FALSE(c.estimate({8, 3, TimeField::utc_time}).known);
}

TEST(ClockOffsets, TooFewSamplesAreUnknown) {
  ClockOffsets c;
  const ClockKey k{1, 3, TimeField::utc_time};
  sample(c, k, kT0, 2 * kDay, 0);
  sample(c, k, kT0 + kSec, 2 * kDay, 1);
  EXPECT_FALSE(c.estimate(k).known);
  sample(c, k, kT0 + 2 * kSec, 2 * kDay, 2);
  EXPECT_TRUE(c.estimate(k).known);
}

TEST(ClockOffsets, ProcessStartsCrossCheckedAgainstFirstConnections) {
  // The real case (OTRF ninjacopy): Sysmon 3 UtcTime 33.7 h behind the sensor, Sysmon 1 on time.
  ClockOffsets c;
  const ClockKey s3{1, 3, TimeField::utc_time}, s1{1, 1, TimeField::utc_time}, s5{1, 5, TimeField::utc_time};
  const TimeNs skew = 121'270 * kSec;
  for (int i = 0; i < 20; ++i) sample(c, s3, kT0 - skew + i * 10 * kSec, skew, i);
  // Without checks, Sysmon 1 would take the Sysmon 3 clock of the same field.
  EXPECT_EQ(c.estimate(s1).source, OffsetSource::inherited);
  // Processes start at kT0 + i and connect seconds later (their connection events 33.7 h behind).
  for (int i = 0; i < 5; ++i) c.add_process_check(s1, kT0 + i * 30 * kSec, s3, kT0 - skew + i * 30 * kSec + 4 * kSec);
  const OffsetEstimate e = c.estimate(s1);
  ASSERT_TRUE(e.known);
  EXPECT_EQ(e.source, OffsetSource::process_check);
  EXPECT_LT(std::llabs(e.offset), 10 * kSec);
  // Process ends are on the clock of their starts.
  const OffsetEstimate end = c.estimate(s5);
  EXPECT_EQ(end.from_event, 1);
  EXPECT_LT(std::llabs(end.offset), 10 * kSec);
  // With the process clock used, no connection comes before its start.
  for (const auto& r : c.report(1))
    if (r.key.event_id == 1) {
      EXPECT_EQ(r.disagreements, 0u);
    }
}

TEST(ClockOffsets, ChecksThatAgreeKeepTheInheritedClock) {
  ClockOffsets c;
  const ClockKey s3{1, 3, TimeField::utc_time}, s1{1, 1, TimeField::utc_time};
  for (int i = 0; i < 20; ++i) sample(c, s3, kT0 + i * 10 * kSec, 3600 * kSec, i);
  // Long-running processes connecting minutes to hours after they start: consistent with it.
  for (int i = 0; i < 6; ++i) c.add_process_check(s1, kT0 - i * 1000 * kSec, s3, kT0 + i * 10 * kSec);
  const OffsetEstimate e = c.estimate(s1);
  EXPECT_EQ(e.source, OffsetSource::inherited);
  EXPECT_NEAR(static_cast<double>(e.offset), 3600.0 * kSec, 5.0 * kSec);
}

TEST(ClockOffsets, SamplesStaySpreadAndBounded) {
  ClockOffsets c;
  const ClockKey k{1, 3, TimeField::utc_time};
  // 100k samples: the first half at 0, the second half 2 days off (a jump late in a long run).
  for (int i = 0; i < 100'000; ++i) sample(c, k, kT0 + i * kSec, i < 50'000 ? 0 : 2 * kDay, i);
  const auto rep = c.report(1);
  EXPECT_EQ(rep[0].samples, 100'000u);
  ASSERT_EQ(rep[0].pieces.size(), 2u);  // decimation kept both halves
  EXPECT_NEAR(static_cast<double>(c.estimate(k, kT0 + 90'000 * kSec).offset), 2.0 * kDay, 5.0 * kSec);
}

TEST(ClockOffsets, PriorsUntilOwnSamplesSuffice) {
  ClockOffsets c;
  const ClockKey k{1, 3, TimeField::utc_time};
  OffsetEstimate prior;
  prior.known = true;
  prior.offset = 5 * kDay;
  prior.samples = 40;
  prior.source = OffsetSource::samples;
  c.set_priors({{k, prior}});
  EXPECT_TRUE(c.estimate(k).prior);
  EXPECT_EQ(c.estimate(k).offset, 5 * kDay);
  for (int i = 0; i < 5; ++i) sample(c, k, kT0 + i * kSec, 5 * kDay + 10 * kSec, i);
  const OffsetEstimate e = c.estimate(k);
  EXPECT_FALSE(e.prior);
  EXPECT_GT(e.offset, 5 * kDay);
}

}  // namespace
}  // namespace outflow

namespace outflow {
namespace {

TEST(ClockOffsetsMore, ProcessClockFarBehindItsConnectionClock) {
  // Sysmon 1 45 days behind the sensor, Sysmon 3 30 days ahead: taken from Sysmon 3, every
  // process would wait 75 days for its first connection.
  ClockOffsets c;
  const ClockKey s3{1, 3, TimeField::utc_time}, s1{1, 1, TimeField::utc_time};
  const TimeNs day = 86400 * kNsPerSec, t0 = 1'700'000'000 * kNsPerSec;
  for (int i = 0; i < 20; ++i) c.add_sample(s3, t0 + 30 * day + i * 60 * kNsPerSec, -30 * day);
  // Processes connect from seconds to hours after they start.
  for (int i = 0; i < 12; ++i) {
    const TimeNs start = t0 + i * 600 * kNsPerSec, gap = (i % 3 == 0 ? 5 : 3600 * (i % 4)) * kNsPerSec;
    c.add_process_check(s1, start - 45 * day, s3, start + gap + 30 * day);
  }
  const OffsetEstimate e = c.estimate(s1);
  EXPECT_EQ(e.source, OffsetSource::process_check);
  EXPECT_NEAR(static_cast<double>(e.offset), 45.0 * day, 60.0 * kNsPerSec);
}

}  // namespace
}  // namespace outflow
