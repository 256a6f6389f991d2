// Zeek and Suricata on one tap: the same connection is one session; one sensor's own
// connections on a reused 5-tuple are not merged.
#include "outflow/join/cross_sensor.h"

#include <gtest/gtest.h>

#include "outflow/join/flow_stitcher.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;

FlowRecord conn(FlowSource src, const char* uid, const char* a, uint16_t ap, const char* b, uint16_t bp, TimeNs start,
                uint64_t ob) {
  FlowRecord f;
  f.source = src;
  f.uid = uid;
  f.orig_h = ip(a), f.resp_h = ip(b);
  f.orig_p = ap, f.resp_p = bp;
  f.proto = kProtoTcp;
  f.start = start;
  f.end = start + 5 * kNsPerSec;
  f.orig_bytes = ob, f.resp_bytes = 100, f.orig_pkts = 10, f.resp_pkts = 5;
  return f;
}

TEST(CrossSensor, ZeekAndSuricataOfOneConnectionAreOneSession) {
  std::vector<Session> got;
  FlowStitcher st(FlowStitcher::Options{}, [&](Session&& s) { got.push_back(std::move(s)); });
  const TimeNs t0 = testing::utc("2024-01-01 10:00:00");
  st.add(conn(FlowSource::zeek_conn, "CZ1", "10.0.0.5", 50000, "203.0.113.9", 443, t0, 7000));
  // Suricata's record of it: its own id, a few ms later, turned round (picked up midstream).
  st.add(conn(FlowSource::suricata, "123", "203.0.113.9", 443, "10.0.0.5", 50000, t0 + 3'000'000, 100));
  // Another connection on the same ports a minute later, both sensors: a second session.
  st.add(conn(FlowSource::suricata, "124", "10.0.0.5", 50000, "203.0.113.9", 443, t0 + 60 * kNsPerSec, 900));
  st.add(conn(FlowSource::zeek_conn, "CZ2", "10.0.0.5", 50000, "203.0.113.9", 443, t0 + 60 * kNsPerSec + 900'000'000, 900));
  // Zeek alone, the 5-tuple reused within a second: two connections, never merged.
  st.add(conn(FlowSource::zeek_conn, "CZ3", "10.0.0.6", 50001, "203.0.113.9", 443, t0, 1));
  st.add(conn(FlowSource::zeek_conn, "CZ4", "10.0.0.6", 50001, "203.0.113.9", 443, t0 + 500'000'000, 2));
  st.finish();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].uid, "CZ1");  // the first emitted is kept
  EXPECT_EQ(got[0].orig_bytes, 7000u);
  EXPECT_EQ(got[1].uid, "124");
  EXPECT_EQ(st.cross_sensor_duplicates(), 2u);
  EXPECT_EQ(st.sessions_emitted(), 4u);
}

}  // namespace
}  // namespace outflow
