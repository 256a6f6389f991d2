// BeaconAccumulator on synthetic series: RITA v5's scoring rules (analysis/beacons.go) and the
// accumulator's memory bound. Real-data checks against RITA's asserted scores: beacon_rita_test.cc.
#include "outflow/features/beacon.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace outflow {
namespace {

constexpr int64_t kT0 = 1'700'000'000;  // seconds
constexpr TimeNs sec(double s) { return static_cast<TimeNs>(s * 1e9); }
const BeaconWindow kDay{kT0, kT0 + 86'400};

BeaconScore beacon(double period, double jitter, uint64_t seed = 1, uint64_t bytes = 512,
                   const BeaconWindow& w = kDay) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> j(-jitter, jitter);
  BeaconAccumulator acc;
  for (double t = 0; t < 86'400; t += period) acc.add(sec(kT0 + t + (jitter > 0 ? j(rng) : 0)), bytes, sec(0.2));
  return acc.score(w);
}

TEST(Beacon, PerfectSixtySecondBeaconScoresOne) {
  const BeaconScore r = beacon(60, 0);
  ASSERT_EQ(r.status, BeaconStatus::scored);
  EXPECT_EQ(r.connections, 1440u);
  EXPECT_DOUBLE_EQ(r.ts_score, 1.0);
  EXPECT_DOUBLE_EQ(r.ds_score, 1.0);
  EXPECT_DOUBLE_EQ(r.dur_score, 1.0);
  EXPECT_DOUBLE_EQ(r.hist_score, 1.0);
  EXPECT_DOUBLE_EQ(r.score, 1.0);
  ASSERT_EQ(r.intervals.size(), 1u);
  EXPECT_EQ(r.intervals[0].first, 60);
  EXPECT_EQ(r.intervals[0].second, 1439u);
  EXPECT_EQ(r.interval_mode, 60);
  for (const uint64_t b : r.histogram) EXPECT_EQ(b, 60u);
  EXPECT_EQ(r.sample_stride, 1u);
}

TEST(Beacon, PoissonArrivalsScoreLow) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> gap(1.0 / 300);
  std::uniform_int_distribution<uint64_t> size(100, 100'000);
  BeaconAccumulator acc;
  for (double t = 0; t < 86'400; t += gap(rng)) acc.add(sec(kT0 + t), size(rng), sec(1));
  const BeaconScore r = acc.score(kDay);
  ASSERT_EQ(r.status, BeaconStatus::scored);
  // Exponential intervals: MAD / median ~ 0.6 and Bowley skew ~ 0.26.
  EXPECT_LT(r.ts_score, 0.7);
  EXPECT_LT(r.ds_score, 0.8);  // uniform 100..100,000 bytes: MAD / median 0.5
  EXPECT_LT(r.score, 0.8);  // a day of steady arrivals still fills the histogram and duration
  EXPECT_LT(r.score, beacon(300, 0).score - 0.2);
}

TEST(Beacon, JitterLowersTheTimestampScoreGradually) {
  double prev = 2;
  std::vector<double> scores;
  for (const double jitter : {0.0, 3.0, 10.0, 20.0, 40.0, 55.0}) {
    const BeaconScore r = beacon(60, jitter);
    ASSERT_EQ(r.status, BeaconStatus::scored) << jitter;
    EXPECT_LE(r.ts_score, prev + 0.02) << "jitter " << jitter;
    prev = r.ts_score;
    scores.push_back(r.ts_score);
  }
  EXPECT_DOUBLE_EQ(scores.front(), 1.0);
  EXPECT_GT(scores[1], 0.9);                // +-3 s on 60 s hardly matters
  // +-55 s is barely periodic; RITA's score bottoms out near 0.5 for symmetric jitter (the skew
  // part stays 1, only the MAD part falls).
  EXPECT_LT(scores.back(), 0.8);
  EXPECT_LT(scores.back(), scores[1] - 0.2);
  EXPECT_GT(scores.back(), 0.0);
}

TEST(Beacon, StrobeIsFlaggedAndNotScored) {
  BeaconAccumulator acc;
  for (int64_t i = 0; i < 86'400; ++i) acc.add(sec(kT0 + i), 60, 0);
  const BeaconScore r = acc.score(kDay);
  EXPECT_EQ(r.status, BeaconStatus::strobe);
  EXPECT_TRUE(r.strobe);
  EXPECT_EQ(r.connections, 86'400u);
  EXPECT_EQ(r.score, 0);
  // Memory stayed bounded: the samples were decimated, the count is exact.
  EXPECT_LE(acc.samples(), BeaconAccumulator::kDefaultMaxSamples);
  EXPECT_GT(acc.stride(), 1u);
  EXPECT_LT(acc.memory_bytes(), 200'000u);

  BeaconAccumulator one_less;
  for (int64_t i = 0; i < 86'399; ++i) one_less.add(sec(kT0 + i), 60, 0);
  const BeaconScore s = one_less.score(kDay);
  EXPECT_FALSE(s.strobe);
  EXPECT_EQ(s.status, BeaconStatus::scored);
}

TEST(Beacon, FewerThanTheMinimumGiveNoScore) {
  BeaconAccumulator acc;
  for (int i = 0; i < 3; ++i) acc.add(sec(kT0 + 600.0 * i), 100, 0);
  EXPECT_EQ(acc.score(kDay).status, BeaconStatus::too_few);
  acc.add(sec(kT0 + 1800), 100, 0);  // the 4th unique timestamp: 3 intervals, scored
  const BeaconScore r = acc.score(kDay);
  EXPECT_EQ(r.status, BeaconStatus::scored);
  EXPECT_EQ(r.unique_timestamps, 4u);
  EXPECT_DOUBLE_EQ(r.ts_score, 1.0);
  EXPECT_DOUBLE_EQ(r.dur_score, 0.0);  // one histogram bar, fewer than duration_min_hours_seen

  // Many connections in the same seconds count once: 10 connections on 3 distinct seconds.
  BeaconAccumulator dup;
  for (int i = 0; i < 10; ++i) dup.add(sec(kT0 + 60.0 * (i % 3) + 0.1 * i / 10), 100, 0);
  EXPECT_EQ(dup.score(kDay).status, BeaconStatus::too_few);
  EXPECT_EQ(dup.score(kDay).unique_timestamps, 3u);

  BeaconConfig strict;
  strict.unique_connection_threshold = 5;
  EXPECT_EQ(acc.score(kDay, strict).status, BeaconStatus::too_few);
}

TEST(Beacon, ZeroIntervalsAreListedButNotScored) {
  BeaconAccumulator acc;
  for (int i = 0; i < 100; ++i) {
    acc.add(sec(kT0 + 600.0 * i), 100, 0);
    acc.add(sec(kT0 + 600.0 * i + 0.5), 100, 0);  // same second
  }
  const BeaconScore r = acc.score(kDay);
  ASSERT_EQ(r.status, BeaconStatus::scored);
  EXPECT_DOUBLE_EQ(r.ts_score, 1.0);
  ASSERT_EQ(r.intervals.size(), 2u);
  EXPECT_EQ(r.intervals[0], (std::pair<int64_t, uint64_t>{0, 100}));
  EXPECT_EQ(r.intervals[1], (std::pair<int64_t, uint64_t>{600, 99}));
}

TEST(Beacon, OrderOfAddsDoesNotMatter) {
  std::vector<std::pair<double, uint64_t>> conns;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> j(-20, 20);
  for (int i = 0; i < 500; ++i) conns.emplace_back(kT0 + 120.0 * i + j(rng), 400 + i % 7);
  BeaconAccumulator sorted, shuffled;
  for (const auto& [t, b] : conns) sorted.add(sec(t), b, 0);
  std::shuffle(conns.begin(), conns.end(), rng);
  for (const auto& [t, b] : conns) shuffled.add(sec(t), b, 0);
  const BeaconScore a = sorted.score(kDay), b = shuffled.score(kDay);
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.ts_score, b.ts_score);
  EXPECT_EQ(a.histogram, b.histogram);
}

TEST(Beacon, OnlyHoursFromTheWindowsFirstHourCount) {
  BeaconAccumulator acc;
  // A day before the window: ignored. Window starts at kT0 + 1800: its hour starts at kT0.
  for (int i = 0; i < 50; ++i) acc.add(sec(kT0 - 86'400 + 60.0 * i), 1000, sec(1));
  for (int i = 0; i < 50; ++i) acc.add(sec(kT0 + 600.0 * i), 100, sec(1));
  const BeaconScore r = acc.score({kT0 + 1800, kT0 + 1800 + 86'400});
  ASSERT_EQ(r.status, BeaconStatus::scored);
  EXPECT_EQ(r.connections, 50u);
  EXPECT_EQ(r.total_bytes, 5000u);
  EXPECT_NEAR(r.total_duration_s, 50, 1e-9);
  EXPECT_DOUBLE_EQ(r.ds_score, 1.0);
  EXPECT_EQ(r.histogram[0], 9u);  // kT0 .. +4800: before the window min counts in the first bin
}

TEST(Beacon, DecimationKeepsMemoryBoundedAndScoresClose) {
  // 20,000 connections every 4 s +- 1 s, kept exactly and with a 1,024-sample cap.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> j(-1, 1);
  std::uniform_int_distribution<uint64_t> size(900, 1100);
  BeaconAccumulator exact(100'000), capped(1024);
  for (int i = 0; i < 20'000; ++i) {
    const TimeNs t = sec(kT0 + 4.0 * i + j(rng));
    const uint64_t b = size(rng);
    exact.add(t, b, 0);
    capped.add(t, b, 0);
  }
  EXPECT_EQ(exact.stride(), 1u);
  EXPECT_GE(capped.stride(), 16u);
  EXPECT_LT(capped.samples(), 1024u);
  const BeaconScore e = exact.score(kDay), c = capped.score(kDay);
  ASSERT_EQ(c.status, BeaconStatus::scored);
  EXPECT_EQ(c.connections, 20'000u);  // exact despite the sampling
  EXPECT_EQ(c.sample_stride, capped.stride());
  EXPECT_NEAR(c.ds_score, e.ds_score, 0.05);
  EXPECT_NEAR(c.hist_score, e.hist_score, 0.05);
  EXPECT_NEAR(c.dur_score, e.dur_score, 0.05);
  EXPECT_NEAR(c.score, e.score, 0.1);
  EXPECT_GE(c.ts_score, e.ts_score - 0.01);  // decimation averages jitter: never lower
  EXPECT_EQ(c.interval_mode, 4);
}

TEST(Beacon, RitaWindowIsTheLastDay) {
  const BeaconWindow short_set = rita_beacon_window(sec(kT0 + 0.7), sec(kT0 + 3600.2));
  EXPECT_EQ(short_set.min_s, kT0);
  EXPECT_EQ(short_set.max_s, kT0 + 3600);
  const BeaconWindow long_set = rita_beacon_window(sec(kT0), sec(kT0 + 3 * 86'400));
  EXPECT_EQ(long_set.min_s, kT0 + 2 * 86'400);
  BeaconAccumulator acc;
  for (int i = 0; i < 10; ++i) acc.add(sec(kT0 + i), 1, 0);
  EXPECT_EQ(acc.score({kT0, kT0}).status, BeaconStatus::bad_window);
}

}  // namespace
}  // namespace outflow
