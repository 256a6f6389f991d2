#include "outflow/write/coverage_srum.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

constexpr TimeNs kS = kNsPerSec;

srum::ConnectivityRow row(TimeNs end, uint64_t luid, TimeNs start, int64_t secs) {
  srum::ConnectivityRow r;
  r.end = end, r.interface_luid = luid, r.connect_start = start, r.connected_seconds = secs;
  return r;
}

TEST(CoverageSrum, EachConnectionCountsOnceWithItsLongestConnectedTime) {
  // A connection updated at two flushes (1350 s, then 5010 s), another of 66 s; a second
  // interface; a row without a start (counted for its time only).
  const std::vector<srum::ConnectivityRow> rows = {row(3600 * kS, 7, 100 * kS, 66), row(7200 * kS, 7, 2000 * kS, 1350),
                                                   row(10800 * kS, 7, 2000 * kS, 5010), row(10800 * kS, 9, 50 * kS, 10),
                                                   row(14400 * kS, 7, kNoTime, 30)};
  const auto v = interface_connectivity(rows);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].luid, 7u);
  EXPECT_EQ(v[0].connections, 2u);
  EXPECT_EQ(v[0].connected_seconds, 66 + 5010);
  EXPECT_EQ(v[0].first_start, 100 * kS);
  EXPECT_EQ(v[0].last_end, 14400 * kS);
  EXPECT_EQ(v[1].connections, 1u);
  EXPECT_EQ(v[1].connected_seconds, 10);
}

TEST(CoverageSrum, SaysWhatEachInputGaveAndWhichHostsHaveNone) {
  srum::UsageFile srv, ws;
  srv.path = "srv/SRUDB.dat", srv.source = "srudb", srv.no_usage_table = true;
  ws.path = "ws1/SRUDB.dat", ws.source = "srudb", ws.dirty = true, ws.has_connectivity_table = true, ws.rows_read = 40;
  ws.connectivity = {row(3600 * kS, 7, 100 * kS, 66)};
  std::vector<SrumCoverage> s = {{&srv, "", false, {}, 0}, {&ws, "WS1", true, {}, 3}};
  std::string o;
  coverage_srum_text(o, s, {"ws1.corp.example", "DC-01"});
  EXPECT_NE(o.find("no per-program table"), std::string::npos) << o;
  EXPECT_NE(o.find("WS1 (file name)"), std::string::npos) << o;
  EXPECT_NE(o.find("read (dirty)"), std::string::npos) << o;
  EXPECT_NE(o.find("3 rows were another input's already"), std::string::npos) << o;
  EXPECT_NE(o.find("1 connection(s)"), std::string::npos) << o;
  EXPECT_NE(o.find("1 monitored host(s) with no readable SRUM input: DC-01"), std::string::npos) << o;
}

}  // namespace
}  // namespace outflow
