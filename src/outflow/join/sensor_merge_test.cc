// One connection logged by two kinds of sensor is one session (join/sensor_merge.h).
#include "outflow/join/sensor_merge.h"

#include <gtest/gtest.h>

#include <vector>

#include "outflow/join/pipeline.h"
#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::ip;

const TimeNs t0 = 1'700'000'000 * kNsPerSec;

Session zeek(const char* o, uint16_t op, const char* r, uint16_t rp, TimeNs start, TimeNs dur, uint64_t out, uint64_t in) {
  Session s;
  s.orig_h = ip(o), s.resp_h = ip(r), s.orig_p = op, s.resp_p = rp, s.proto = kProtoTcp;
  s.start = start, s.end = start + dur;
  s.orig_bytes = out, s.resp_bytes = in, s.orig_pkts = out / 1000 + 1, s.resp_pkts = in / 1000 + 1;
  s.seen_orig_dir = s.seen_resp_dir = true;
  s.source = FlowSource::zeek_conn, s.sensor = "zeek", s.uid = "CzK1", s.conn_state = "SF", s.history = "ShADadFf";
  s.records = 1;
  return s;
}

Session panos(const Session& z, const char* user) {
  Session s = z;
  s.source = FlowSource::panos, s.sensor = "pa-fw", s.uid = "panos:1:77", s.conn_state.clear(), s.history.clear();
  s.orig_bytes += 2000, s.resp_bytes += 3000;  // IP bytes: headers included
  s.fw.user = user, s.fw.app = "ssl";
  return s;
}

struct Merged {
  std::vector<Session> out;
  SensorMerge m{SensorMerge::Options{}, [this](Session&& s) { out.push_back(std::move(s)); }};
};

TEST(SensorMerge, ZeekAndSuricataOfOneConnectionKeepTheBytesOfTheSensorThatSawBothDirections) {
  // Security Onion: Zeek and Suricata on one tap. Here Zeek lost the host's outgoing packets
  // (one-sided: its bytes out are unknown), Suricata, picking the flow up midstream, logged it
  // the other way round: one session, Suricata's bytes, turned to the client's orientation.
  Merged r;
  Session z = zeek("10.0.0.5", 50000, "203.0.113.9", 443, t0, 30 * kNsPerSec, 0, 40'000);
  z.orig_pkts = 0, z.orig_unknown = true, z.gap = VolumeGap::zeek_one_sided;
  Session s = zeek("203.0.113.9", 443, "10.0.0.5", 50000, t0 + kNsPerSec / 2, 30 * kNsPerSec, 41'000, 5'100'000);
  s.source = FlowSource::suricata, s.sensor = "suricata", s.uid = "1148930411378613", s.conn_state = "closed", s.history.clear();
  r.m.add(Session(z), z.end);
  r.m.add(std::move(s), z.end + kNsPerSec);
  r.m.finish();
  ASSERT_EQ(r.out.size(), 1u);
  const Session& m = r.out[0];
  EXPECT_EQ(m.orig_h, ip("10.0.0.5"));
  EXPECT_EQ(m.orig_bytes, 5'100'000u) << "the client's bytes, from the sensor that saw them";
  EXPECT_EQ(m.resp_bytes, 41'000u);
  EXPECT_FALSE(m.orig_unknown);
  EXPECT_EQ(m.source, FlowSource::suricata);
  EXPECT_EQ(m.uid, "CzK1") << "the first flow sensor's id stays (its records join by it)";
  EXPECT_EQ(r.m.merged(), 1u);
}

TEST(SensorMerge, ZeekAndTheFirewallLogOfOneConnectionAreOneSession) {
  Merged r;
  const Session z = zeek("10.0.0.5", 50000, "203.0.113.9", 443, t0, 30 * kNsPerSec, 5'000'000, 40'000);
  r.m.add(Session(z), z.end);
  r.m.add(panos(z, "corp\\alice"), z.end + 2 * kNsPerSec);
  EXPECT_TRUE(r.out.empty()) << "held for the hold";
  r.m.finish();
  ASSERT_EQ(r.out.size(), 1u);
  const Session& s = r.out[0];
  EXPECT_EQ(s.uid, "CzK1") << "Zeek's uid: its ssl/http/files records join by it";
  EXPECT_EQ(s.conn_state, "SF");
  EXPECT_EQ(s.fw.user, "corp\\alice");
  EXPECT_EQ(s.fw.app, "ssl");
  EXPECT_EQ(s.sensors, 2u);
  EXPECT_EQ(s.records, 2u);
  EXPECT_TRUE(s.merged);
  // Both saw both directions: the larger count (a lower bound from each) wins, counted once.
  EXPECT_EQ(s.orig_bytes, 5'002'000u);
  EXPECT_EQ(r.m.merged(), 1u);
}

TEST(SensorMerge, TheSensorThatSawBothDirectionsGivesTheBytes) {
  Merged r;
  Session z = zeek("10.0.0.5", 50001, "203.0.113.9", 443, t0, 30 * kNsPerSec, 0, 40'000);
  z.orig_unknown = true, z.gap = VolumeGap::zeek_one_sided, z.orig_pkts = 0;  // the SPAN lost the host's packets
  Session fw = panos(z, "corp\\alice");
  fw.orig_unknown = false, fw.gap = VolumeGap::none, fw.orig_bytes = 7'000'000, fw.orig_pkts = 5000;
  r.m.add(std::move(fw), z.end);
  r.m.add(Session(z), z.end);
  r.m.finish();
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_FALSE(r.out[0].orig_unknown);
  EXPECT_EQ(r.out[0].orig_bytes, 7'000'000u);
  EXPECT_EQ(r.out[0].source, FlowSource::panos) << "the bytes' sensor";
  EXPECT_EQ(r.out[0].merged_source, FlowSource::zeek_conn);
  EXPECT_EQ(r.out[0].uid, "CzK1") << "still Zeek's uid";

  // The firewall's log first and Zeek's better: Zeek's bytes, source and uid.
  Merged r2;
  Session fw2 = panos(zeek("10.0.0.5", 50009, "203.0.113.9", 443, t0, 30 * kNsPerSec, 5'000'000, 40'000), "corp\\alice");
  fw2.orig_unknown = true, fw2.gap = VolumeGap::not_logged, fw2.bytes_not_logged = true;
  r2.m.add(std::move(fw2), t0 + 30 * kNsPerSec);
  r2.m.add(zeek("10.0.0.5", 50009, "203.0.113.9", 443, t0, 30 * kNsPerSec, 5'000'000, 40'000), t0 + 30 * kNsPerSec);
  r2.m.finish();
  ASSERT_EQ(r2.out.size(), 1u);
  EXPECT_EQ(r2.out[0].source, FlowSource::zeek_conn);
  EXPECT_EQ(r2.out[0].uid, "CzK1");
  EXPECT_FALSE(r2.out[0].orig_unknown);
  EXPECT_EQ(r2.out[0].fw.user, "corp\\alice");
}

TEST(SensorMerge, AZeekOutsideTheFirewallSeesThePostNatTuple) {
  Merged r;
  // Zeek outside: the translated source 198.51.100.1:61000.
  const Session outside = zeek("198.51.100.1", 61000, "203.0.113.9", 443, t0, 30 * kNsPerSec, 5'000'000, 40'000);
  Session fw = panos(zeek("10.0.0.5", 50002, "203.0.113.9", 443, t0 + kNsPerSec, 29 * kNsPerSec, 5'000'000, 40'000), "corp\\bob");
  fw.fw.has_nat = true, fw.fw.nat_orig_h = ip("198.51.100.1"), fw.fw.nat_orig_p = 61000, fw.fw.nat_resp_h = ip("203.0.113.9"), fw.fw.nat_resp_p = 443;
  r.m.add(Session(outside), outside.end);
  r.m.add(std::move(fw), outside.end);
  r.m.finish();
  ASSERT_EQ(r.out.size(), 1u);
  const Session& s = r.out[0];
  EXPECT_EQ(s.orig_h, ip("10.0.0.5")) << "the pre-NAT tuple: the one the host's Sysmon 3 names";
  EXPECT_EQ(s.orig_p, 50002);
  EXPECT_TRUE(s.merged_by_nat);
  EXPECT_EQ(s.uid, "CzK1");
  EXPECT_EQ(s.start, t0);
  EXPECT_EQ(r.m.merged_by_nat(), 1u);

  // The other order: the firewall's log first.
  Merged r2;
  Session fw2 = fw;
  fw2 = panos(zeek("10.0.0.5", 50002, "203.0.113.9", 443, t0, 30 * kNsPerSec, 5'000'000, 40'000), "corp\\bob");
  fw2.fw = s.fw;
  r2.m.add(std::move(fw2), outside.end);
  r2.m.add(Session(outside), outside.end);
  r2.m.finish();
  ASSERT_EQ(r2.out.size(), 1u);
  EXPECT_EQ(r2.out[0].orig_h, ip("10.0.0.5"));
  EXPECT_TRUE(r2.out[0].merged_by_nat);
}

TEST(SensorMerge, DifferentTimesOrTheSameSensorAreDifferentConnections) {
  Merged r;
  const Session a = zeek("10.0.0.5", 50003, "203.0.113.9", 443, t0, 10 * kNsPerSec, 1000, 1000);
  Session later = panos(a, "corp\\alice");
  later.start += 3600 * kNsPerSec, later.end += 3600 * kNsPerSec;  // a reused port an hour later
  Session again = a;
  again.uid = "CzK2";  // the same sensor: never merged here
  r.m.add(Session(a), a.end);
  r.m.add(std::move(again), a.end);
  r.m.add(std::move(later), a.end);
  r.m.finish();
  EXPECT_EQ(r.out.size(), 3u);
  EXPECT_EQ(r.m.merged(), 0u);
}

TEST(SensorMerge, HeldForTheHoldThenReleasedInArrivalOrderAndCapped) {
  std::vector<Session> out;
  SensorMerge::Options o;
  o.max_held = 3;
  SensorMerge m(o, [&](Session&& s) { out.push_back(std::move(s)); });
  for (int i = 0; i < 5; ++i) {
    Session s = zeek("10.0.0.5", static_cast<uint16_t>(50100 + i), "203.0.113.9", 443, t0 + i * kNsPerSec, kNsPerSec, 10, 10);
    m.add(std::move(s), t0 + (i + 1) * kNsPerSec);
  }
  ASSERT_EQ(out.size(), 2u) << "past the cap the oldest go early";
  EXPECT_EQ(out[0].orig_p, 50100);
  EXPECT_EQ(m.forced_early(), 2u);
  // The clock passes the hold: everything older goes, in order.
  m.add(zeek("10.0.0.6", 50200, "203.0.113.9", 443, t0 + 600 * kNsPerSec, kNsPerSec, 10, 10), t0 + 600 * kNsPerSec);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[4].orig_p, 50104);
  m.finish();
  EXPECT_EQ(out.size(), 6u);
  EXPECT_EQ(m.held(), 0u);
}

FlowRecord record(FlowSource src, const char* sensor, uint16_t sport, uint64_t out) {
  FlowRecord f;
  f.source = src, f.sensor = sensor, f.bidirectional = true;
  f.orig_h = ip("10.0.0.5"), f.resp_h = ip("203.0.113.9"), f.orig_p = sport, f.resp_p = 443, f.proto = kProtoTcp;
  f.start = t0 + sport * kNsPerSec, f.end = f.start + 20 * kNsPerSec;
  f.orig_bytes = out, f.resp_bytes = 1000, f.orig_pkts = out / 1000 + 1, f.resp_pkts = 5;
  f.uid = std::string(sensor) + std::to_string(sport);
  if (src == FlowSource::panos) f.verdict = FlowVerdict::allowed, f.user = "corp\\alice";
  return f;
}

TEST(SensorMerge, ThePipelineMergesOnlyOnceASecondKindOfSensorIsRead) {
  std::vector<Session> got;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution&) { got.push_back(s); });
  // One kind only: sessions go straight through (no hold, no merge).
  p.on_flow(record(FlowSource::zeek_conn, "zeek", 100, 4000));
  EXPECT_EQ(got.size(), 1u);
  EXPECT_FALSE(p.sensors_merged());
  // The firewall's log of the next connection, and Zeek's.
  p.on_flow(record(FlowSource::panos, "pa", 200, 4100));
  p.on_flow(record(FlowSource::zeek_conn, "zeek", 200, 4000));
  EXPECT_TRUE(p.sensors_merged());
  p.finish();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].fw.user, "corp\\alice");
  EXPECT_EQ(got[1].orig_bytes, 4100u);
  EXPECT_EQ(got[1].uid, "zeek200");
  EXPECT_EQ(p.stats().sessions, 2u) << "three records of two connections: two sessions";

  // Turned off: each sensor's session of its own.
  got.clear();
  PipelineOptions off;
  off.merge_sensors = false;
  SessionPipeline q(off, [&](const Session& s, const Attribution&) { got.push_back(s); });
  q.on_flow(record(FlowSource::zeek_conn, "zeek", 100, 4000));
  q.on_flow(record(FlowSource::panos, "pa", 100, 4100));
  q.finish();
  EXPECT_EQ(got.size(), 2u);
}

}  // namespace
}  // namespace outflow
