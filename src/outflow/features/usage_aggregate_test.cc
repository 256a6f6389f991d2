#include "outflow/features/usage_aggregate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

namespace outflow {
namespace {

constexpr TimeNs kH = 3600 * kNsPerSec;

// A program row on one interface; row_id: the bytes sent, to tell rows apart.
srum::UsageRecord row(TimeNs end, const std::string& program, const std::string& sid, uint64_t sent, uint64_t recvd) {
  srum::UsageRecord r;
  std::tie(r.end, r.program, r.user_sid, r.interface_luid, r.bytes_sent, r.bytes_recvd, r.row_id) =
      std::make_tuple(end, program, sid, 1689399632855040ULL, sent, recvd, static_cast<int64_t>(sent));
  r.kind = srum::kind_of_program_text(program);
  return r;
}

// 10 programs, 24 hourly stamps, over and over: what is held must not grow with the rows.
srum::UsageRecord nth(size_t i) {
  return row((10 + static_cast<TimeNs>(i % 24)) * kH, "C:\\p\\prog" + std::to_string(i % 10) + ".exe", "S-1-5-18",
             i * 7 % 1000, i % 13);
}

TEST(UsageAggregator, HeldStateFollowsKeysAndStampsNotRows) {
  UsageAggregator agg({"ws1"});
  srum::UsageFile f;
  agg.begin_input(0, &f, nullptr);
  uint64_t sent = 0;
  for (size_t i = 0; i < 100'000; ++i) {
    const srum::UsageRecord r = nth(i);
    sent += r.bytes_sent;
    agg.on_usage(r);
    if (i == 999 || i == 99'999) {  // after 1,000 rows as after 100,000
      EXPECT_EQ(agg.groups(), 10u);
      EXPECT_EQ(agg.input(0).stamps.size(), 24u);
      EXPECT_EQ(agg.fingerprints(), 0u);  // a single input of its host: nothing to compare with
      EXPECT_EQ(agg.rows().rows(), 0u);   // not kept: the table needs totals only
    }
  }
  agg.end_input();
  const UsageTotals t = agg.totals();
  ASSERT_EQ(t.programs.size(), 10u);
  uint64_t total = 0;
  for (const auto& p : t.programs) total += p.sent;
  EXPECT_EQ(total, sent);
  EXPECT_EQ(t.programs[0].intervals, 10'000u);
  EXPECT_EQ(agg.span(0).intervals, 24u);
}

TEST(UsageAggregator, KeptRowsStayBoundedAndComeOutRanked) {
  UsageAggregator agg({"ws1"}, {.keep_rows = true, .rows_in_memory = 1000});
  srum::UsageFile f;
  agg.begin_input(0, &f, nullptr);
  std::vector<srum::UsageRecord> all;
  for (size_t i = 0; i < 100'000; ++i) {
    all.push_back(nth(i));
    agg.on_usage(all.back());
    ASSERT_LT(agg.rows().rows_in_memory(), 1000u);
  }
  agg.end_input();
  EXPECT_EQ(agg.rows().runs(), 100u);
  EXPECT_EQ(agg.rows().strings(), 12u);  // 10 programs, one SID, the empty user name
  EXPECT_TRUE(agg.rows().spill_error().empty()) << agg.rows().spill_error();
  // The order written: the program's rank, then time, then the order read (a stable sort).
  std::vector<size_t> rank_of_group;
  const UsageTotals t = agg.totals(&rank_of_group);
  std::vector<size_t> rank_of(all.size());
  for (size_t i = 0; i < all.size(); ++i)
    for (size_t k = 0; k < t.programs.size(); ++k)
      if (t.programs[k].program == all[i].program) rank_of[i] = k + 1;
  std::vector<size_t> want(all.size());
  for (size_t i = 0; i < want.size(); ++i) want[i] = i;
  std::stable_sort(want.begin(), want.end(), [&](size_t a, size_t b) {
    return std::tie(rank_of[a], all[a].end) < std::tie(rank_of[b], all[b].end);
  });
  size_t n = 0;
  bool same = true;
  agg.rows().for_each(rank_of_group, [&](const srum::UsageRecord& r, uint32_t input, size_t rank) {
    const srum::UsageRecord& w = all[want[n]];
    same = same && input == 0 && rank == rank_of[want[n]] && r.end == w.end && r.program == w.program &&
           r.bytes_sent == w.bytes_sent && r.bytes_recvd == w.bytes_recvd && r.row_id == w.row_id && r.user_sid == w.user_sid;
    return ++n < 50'000;  // false stops
  });
  EXPECT_TRUE(same);
  EXPECT_EQ(n, 50'000u);
}

TEST(UsageAggregator, RowsReadTwiceAreDroppedAsTheyStream) {
  srum::UsageFile db, csv, other;
  UsageAggregator agg({"ws1", "ws1", "ws2"});
  EXPECT_TRUE(agg.input(0).keep_fingerprints);
  EXPECT_FALSE(agg.input(0).check_twice);
  EXPECT_TRUE(agg.input(1).check_twice);
  EXPECT_FALSE(agg.input(1).keep_fingerprints);  // no later input of ws1
  EXPECT_FALSE(agg.input(2).check_twice || agg.input(2).keep_fingerprints);
  agg.begin_input(0, &db, nullptr);
  agg.on_usage(row(10 * kH, "C:\\x.exe", "S-1-5-18", 5, 6));
  agg.on_usage(row(10 * kH, "C:\\x.exe", "S-1-5-18", 5, 6));  // SRUM's own repeat: kept
  agg.end_input();
  EXPECT_EQ(agg.fingerprints(), 1u);
  agg.begin_input(1, &csv, nullptr);
  agg.on_usage(row(10 * kH - kNsPerSec, "C:\\x.exe", "S-1-5-18", 5, 6));  // a second early: the same minute
  agg.on_usage(row(12 * kH, "C:\\x.exe", "S-1-5-18", 5, 6));
  agg.end_input();
  agg.begin_input(2, &other, nullptr);
  agg.on_usage(row(10 * kH, "C:\\x.exe", "S-1-5-18", 5, 6));  // another host
  agg.end_input();
  EXPECT_EQ(agg.input(0).read_twice, 0u);
  EXPECT_EQ(agg.input(1).read_twice, 1u);
  EXPECT_EQ(agg.input(2).read_twice, 0u);
  EXPECT_EQ(agg.span(1).intervals, 2u);                                        // every stamp read
  EXPECT_EQ(agg.kept_stamps(1), (std::vector<TimeNs>{12 * kH}));               // of the rows kept
  const UsageTotals t = agg.totals();
  ASSERT_EQ(t.programs.size(), 2u);
  EXPECT_EQ(t.programs[0].intervals + t.programs[1].intervals, 4u);
}

}  // namespace
}  // namespace outflow
