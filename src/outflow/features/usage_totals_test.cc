#include "outflow/features/usage_totals.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

constexpr TimeNs kH = 3600 * kNsPerSec;

srum::UsageRecord row(TimeNs end, const char* program, const char* sid, uint64_t sent, uint64_t recvd,
                      bool total = false) {
  srum::UsageRecord r;
  r.end = end;
  r.program = program;
  r.kind = srum::kind_of_program_text(program);
  r.user_sid = sid;
  r.bytes_sent = sent;
  r.bytes_recvd = recvd;
  r.interface_luid = 1689399632855040ULL;
  r.interface_total = total;
  if (total) r.app_id = 1, r.user_id = 2;
  return r;
}

TEST(UsageTotals, RanksProgramsBySentAndKeepsInterfaceTotalsApart) {
  srum::UsageFile f;
  f.rows = {row(10 * kH, "\\device\\harddiskvolume3\\tmp\\nbtscan.exe", "S-1-5-21-1", 70104, 615),
            row(11 * kH, "C:\\TMP\\nbtscan.exe", "S-1-5-21-1", 10, 5),  // the same program, spelled otherwise
            row(10 * kH, "\\device\\harddiskvolume3\\x\\curl.exe", "S-1-5-21-1", 1522, 4700),
            row(10 * kH, "", "", 1721816, 131866573, true)};
  const UsageTotals t = usage_totals({{"ws1", &f, nullptr}});
  ASSERT_EQ(t.programs.size(), 2u);
  EXPECT_EQ(t.programs[0].executable, "c:\\tmp\\nbtscan.exe");
  EXPECT_EQ(t.programs[0].sent, 70114u);
  EXPECT_EQ(t.programs[0].intervals, 2u);
  EXPECT_EQ(t.programs[0].first, 10 * kH);
  EXPECT_EQ(t.programs[0].last, 11 * kH);
  EXPECT_EQ(t.programs[1].executable, "c:\\x\\curl.exe");
  ASSERT_EQ(t.interfaces.size(), 1u);
  EXPECT_EQ(t.interfaces[0].sent, 1721816u);
}

TEST(UsageTotals, IntervalsSpanAndGaps) {
  srum::UsageFile f;
  f.rows = {row(10 * kH, "a", "", 1, 1), row(11 * kH, "a", "", 1, 1), row(15 * kH, "a", "", 1, 1)};
  const auto stamps = distinct_stamps(f);
  bool est = false;
  EXPECT_EQ(interval_start(stamps, 11 * kH, est), 10 * kH);
  EXPECT_FALSE(est);
  EXPECT_EQ(interval_start(stamps, 15 * kH, est), 14 * kH);  // the previous flush is 4 h before
  EXPECT_TRUE(est);
  EXPECT_EQ(interval_start(stamps, 10 * kH, est), 9 * kH);
  EXPECT_TRUE(est);
  const UsageSpan s = usage_span(f);
  EXPECT_EQ(s.intervals, 3u);
  EXPECT_EQ(s.gaps, 1u);
  EXPECT_EQ(s.longest_gap, 4 * kH);
}

TEST(UsageTotals, RowsReadTwiceAreCountedOnce) {
  srum::UsageFile db, csv;
  db.rows = {row(10 * kH, "C:\\x.exe", "S-1-5-18", 5, 6), row(10 * kH, "C:\\x.exe", "S-1-5-18", 5, 6)};
  csv.rows = {row(10 * kH - kNsPerSec, "C:\\x.exe", "S-1-5-18", 5, 6),  // Chainsaw's time, a second early
              row(11 * kH, "C:\\x.exe", "S-1-5-18", 5, 6)};
  std::vector<srum::UsageFile*> files{&db, &csv};
  const auto dropped = drop_rows_read_twice({"ws1", "ws1"}, files);
  EXPECT_EQ(dropped, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(db.rows.size(), 2u);  // repeated within one input: SRUM's own rows, kept
  ASSERT_EQ(csv.rows.size(), 1u);
  EXPECT_EQ(csv.rows[0].end, 11 * kH);
  std::vector<srum::UsageFile*> other{&db, &csv};
  EXPECT_EQ(drop_rows_read_twice({"ws1", "ws2"}, other), (std::vector<size_t>{0, 0}));  // another host
}

}  // namespace
}  // namespace outflow
