// Pair analytics: sessions grouped by address and by name, lazy accumulators, caps and the
// sample budget, and a table that reads back whole from bytes (score/retire.cc keeps it on disk).
#include "outflow/features/pairs.h"

#include <gtest/gtest.h>

#include "outflow/features/activity.h"
#include "outflow/score/retire.h"
#include "outflow/score/hunter.h"
#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::ip;
constexpr TimeNs kT0 = 1'700'000'000 * kNsPerSec;

PairTable::Conn conn(const IpAddr& dst, TimeNs start, TimeNs dur, uint64_t out, uint32_t name = PairActivity::kNoName) {
  static IpAddr keep[64];
  static size_t next = 0;
  IpAddr& d = keep[next++ % 64];
  d = dst;
  PairTable::Conn c;
  c.resp = &d;
  c.name_id = name;
  c.start = start;
  c.end = start + dur;
  c.bytes_out = out;
  c.bytes_in = 2 * out;
  return c;
}

TEST(Pairs, NamesAndAddressesAreSeparatePairs) {
  PairTable t;
  PairLimits lim;
  PairBudget budget;
  // One name over two CDN addresses: one name pair; the address without a name: an ip pair.
  t.add(conn(ip("203.0.113.1"), kT0, 10 * kNsPerSec, 100, 7), lim, budget);
  t.add(conn(ip("203.0.113.2"), kT0 + 60 * kNsPerSec, 20 * kNsPerSec, 100, 7), lim, budget);
  t.add(conn(ip("203.0.113.1"), kT0 + 120 * kNsPerSec, 5 * kNsPerSec, 100), lim, budget);
  ASSERT_EQ(t.pairs().size(), 2u);
  const PairActivity& named = t.pairs()[0];
  EXPECT_TRUE(named.by_name);
  EXPECT_EQ(named.sessions, 2u);
  EXPECT_EQ(named.addresses, 2u);
  EXPECT_EQ(named.longest, 20 * kNsPerSec);
  EXPECT_EQ(named.duration_sum, 30 * kNsPerSec);
  EXPECT_EQ(named.bytes_out, 200u);
  EXPECT_EQ(named.bytes_in, 400u);
  EXPECT_FALSE(t.pairs()[1].by_name);
  EXPECT_EQ(t.pairs()[1].sessions, 1u);
}

TEST(Pairs, AccumulatorOnlyFromTheFourthSessionAndScoresAsIfFedDirectly) {
  PairTable t;
  PairLimits lim;
  PairBudget budget;
  BeaconAccumulator direct(lim.max_samples, lim.horizon_s);
  for (int i = 0; i < 3; ++i) t.add(conn(ip("198.51.100.9"), kT0 + i * 600 * kNsPerSec, kNsPerSec, 500), lim, budget);
  EXPECT_EQ(t.accumulator(t.pairs()[0]), nullptr);  // lazy: three sessions cost no accumulator
  EXPECT_EQ(budget.used, 0u);
  for (int i = 0; i < 200; ++i) {
    const TimeNs s = kT0 + i * 600 * kNsPerSec;
    if (i >= 3) t.add(conn(ip("198.51.100.9"), s, kNsPerSec, 500 + i % 3), lim, budget);
    direct.add(s, i >= 3 ? 500 + i % 3 : 500, kNsPerSec);
  }
  const BeaconAccumulator* acc = t.accumulator(t.pairs()[0]);
  ASSERT_NE(acc, nullptr);
  EXPECT_EQ(acc->connections(), 200u);
  EXPECT_EQ(budget.used, acc->samples());
  const BeaconWindow w = rita_beacon_window(kT0, kT0 + 199 * 600 * kNsPerSec);
  EXPECT_EQ(acc->score(w).score, direct.score(w).score);
  EXPECT_GT(acc->score(w).score, 0.9);
}

TEST(Pairs, AScanOfManyDestinationsIsCappedAndCounted) {
  PairTable t;
  PairLimits lim;
  lim.max_pairs = 100;
  PairBudget budget;
  IpAddr a = ip("10.0.0.0");
  for (uint32_t i = 0; i < 100'000; ++i) {
    a.b[12] = static_cast<uint8_t>(i >> 16), a.b[13] = static_cast<uint8_t>(i >> 8), a.b[14] = static_cast<uint8_t>(i);
    a.b[15] = 1;
    t.add(conn(a, kT0 + i * kNsPerSec, kNsPerSec, 40), lim, budget);
  }
  EXPECT_LE(t.pairs().size(), 100u);
  EXPECT_EQ(budget.used, 0u);  // no pair reached an accumulator
  EXPECT_GT(t.pairs_evicted(), 99'000u);
  EXPECT_EQ(t.pairs_evicted() + t.pairs().size() + t.sessions_unpaired(), 100'000u);
  // The newest pairs are the ones kept.
  EXPECT_EQ(t.pairs().back().first, kT0 + 99'999 * kNsPerSec);
}

TEST(Pairs, PairsWithAnAccumulatorOrALongSessionAreNotEvicted) {
  PairTable t;
  PairLimits lim;
  lim.max_pairs = 3;
  PairBudget budget;
  for (int i = 0; i < 5; ++i) t.add(conn(ip("198.51.100.1"), kT0 + i * kNsPerSec, kNsPerSec, 1), lim, budget);
  t.add(conn(ip("198.51.100.2"), kT0, 5 * 3600 * kNsPerSec, 1), lim, budget);
  t.add(conn(ip("198.51.100.3"), kT0, kNsPerSec, 1), lim, budget);
  t.add(conn(ip("198.51.100.4"), kT0 + 10 * kNsPerSec, kNsPerSec, 1), lim, budget);  // evicts .3
  t.add(conn(ip("198.51.100.5"), kT0 + 20 * kNsPerSec, kNsPerSec, 1), lim, budget);  // evicts .4
  ASSERT_EQ(t.pairs().size(), 3u);
  EXPECT_EQ(t.pairs()[0].ip, ip("198.51.100.1"));
  EXPECT_EQ(t.pairs()[1].ip, ip("198.51.100.2"));
  EXPECT_EQ(t.pairs()[2].ip, ip("198.51.100.5"));
  EXPECT_EQ(t.pairs_evicted(), 2u);
}

TEST(Pairs, TheGlobalBudgetDecimatesInsteadOfGrowing) {
  PairLimits lim;
  PairBudget budget;
  budget.limit = 1'000;
  PairTable a, b;
  for (int i = 0; i < 900; ++i) a.add(conn(ip("198.51.100.1"), kT0 + i * 60 * kNsPerSec, kNsPerSec, 10), lim, budget);
  for (int i = 0; i < 900; ++i) b.add(conn(ip("198.51.100.2"), kT0 + i * 60 * kNsPerSec, kNsPerSec, 10), lim, budget);
  EXPECT_LE(budget.used, 1'000u + 8);
  EXPECT_EQ(budget.used, a.samples() + b.samples());
  EXPECT_GE(budget.pairs_frozen, 1u);
  EXPECT_GT(b.accumulator(b.pairs()[0])->stride(), 1u);
  EXPECT_EQ(b.accumulator(b.pairs()[0])->connections(), 900u);  // counts stay exact
}

TEST(Pairs, OnlyThePairsLastDayIsKeptSoLongInputsAreNotDecimated) {
  PairLimits lim;
  lim.max_samples = 2'400;
  PairBudget budget;
  PairTable t;
  // Ten days, one connection a minute: 14,400 connections; the last 25 h fit in 2,400 samples.
  for (int i = 0; i < 14'400; ++i) t.add(conn(ip("198.51.100.1"), kT0 + i * 60 * kNsPerSec, kNsPerSec, 10), lim, budget);
  const BeaconAccumulator* acc = t.accumulator(t.pairs()[0]);
  EXPECT_EQ(acc->stride(), 1u);
  EXPECT_LE(acc->samples(), 2'400u);
  EXPECT_EQ(t.pairs()[0].sessions, 14'400u);
  const BeaconScore s = acc->score(rita_beacon_window(kT0, kT0 + 14'399 * 60 * kNsPerSec));
  // From the start of the window's first hour (RITA): 24 h and part of the hour before.
  EXPECT_GE(s.connections, 1'441u);
  EXPECT_LE(s.connections, 1'500u);
  EXPECT_GT(s.score, 0.95);
}

TEST(Pairs, ATableReadsBackWhole) {
  PairTable t;
  PairLimits lim;
  PairBudget budget;
  for (int i = 0; i < 50; ++i) t.add(conn(ip("198.51.100.1"), kT0 + i * 300 * kNsPerSec, 2 * kNsPerSec, 100 + i), lim, budget);
  t.add(conn(ip("198.51.100.2"), kT0, 7200 * kNsPerSec, 9, 3), lim, budget);
  t.resolve_names([](uint32_t id) { return "name" + std::to_string(id); });
  std::string bytes;
  t.save(bytes);
  PairTable back;
  ASSERT_TRUE(back.load(bytes));
  ASSERT_EQ(back.pairs().size(), 2u);
  EXPECT_EQ(back.pairs()[1].name, "name3");
  EXPECT_EQ(back.pairs()[1].longest, 7200 * kNsPerSec);
  EXPECT_EQ(back.samples(), t.samples());
  const BeaconWindow w = rita_beacon_window(kT0, kT0 + 49 * 300 * kNsPerSec);
  const BeaconScore x = t.accumulator(t.pairs()[0])->score(w), y = back.accumulator(back.pairs()[0])->score(w);
  EXPECT_EQ(x.score, y.score);
  EXPECT_EQ(x.connections, y.connections);
  std::string again;
  back.save(again);
  EXPECT_EQ(again, bytes);
  EXPECT_FALSE(back.load(std::string_view(bytes).substr(0, bytes.size() - 1)));
}

// Through the retired-process file, as `outflow hunt` does it.
TEST(Pairs, SurviveRetirement) {
  DetectConfig cfg = default_config();
  ActivityAggregator agg(Hunter::aggregator_options(cfg));
  PipelineOptions po;
  SessionPipeline pipe(po, [&](const Session& s, const Attribution& a) { agg.add(s, a, &pipe.processes()); });
  Retirer retirer(cfg, pipe, agg);
  for (int i = 0; i < 40; ++i)
    pipe.on_flow(testing::netflow("10.0.0.5", static_cast<uint16_t>(40000 + i), "203.0.113.9", 443, kT0 + i * 600 * kNsPerSec,
                                  kT0 + i * 600 * kNsPerSec + kNsPerSec, 700));
  pipe.finish();
  ASSERT_EQ(agg.processes().size(), 1u);
  const PairTable before = agg.processes().front().pairs;
  ASSERT_EQ(before.pairs().size(), 1u);
  EXPECT_GT(agg.pair_budget().used, 0u);
  retirer.finish();
  EXPECT_EQ(agg.pair_budget().used, 0u);  // retired: its samples are given back
  ASSERT_TRUE(retirer.rewind());
  RetiredRecord r;
  ASSERT_TRUE(retirer.next(r)) << retirer.error();
  ASSERT_EQ(r.act.pairs.pairs().size(), 1u);
  EXPECT_EQ(r.act.pairs.pairs()[0].sessions, 40u);
  std::string x, y;
  before.save(x);
  r.act.pairs.save(y);
  EXPECT_EQ(x, y);
}

}  // namespace
}  // namespace outflow
