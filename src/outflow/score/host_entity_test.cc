// Host findings: traffic no endpoint telemetry covers (flows alone), aggregated per internal
// initiator address, scored and ranked with the process findings.
#include <gtest/gtest.h>

#include "outflow/score/hunter.h"
#include "outflow/testing/world.h"
#include "outflow/write/finding_json.h"
#include "outflow/write/finding_text.h"

namespace outflow {
namespace {

using testing::World;
constexpr TimeNs kMin = 60 * kNsPerSec;
constexpr uint64_t kMB = 1'000'000;

// 8 monitored hosts and 4 flow-only hosts browse a common site; flow-only 10.20.0.5 uploads
// 200 MB over hours to an address no one else uses; monitored WS1's rclone uploads 600 MB.
World org() {
  World w;
  w.background_hosts(8);
  for (int i = 0; i < 4; ++i) {
    const std::string a = "10.20.0." + std::to_string(5 + i);
    w.flow(a.c_str(), "198.51.100.10", 443, w.t0 + 2 * kMin, 30 * kNsPerSec, 20'000, 400'000);
  }
  for (int i = 0; i < 20; ++i)  // 10 MB every 15 minutes for 5 hours
    w.flow("10.20.0.5", "203.0.113.77", 443, w.t0 + 10 * kMin + i * 15 * kMin, 5 * kMin, 10 * kMB, 50'000);
  const std::string g = "{20000000-0000-0000-0000-000000000001}";
  w.proc("WS1", g, "", "C:\\Users\\alice\\AppData\\Local\\Temp\\rclone.exe", "C:\\Windows\\System32\\cmd.exe");
  w.conn("WS1", g, "10.0.0.1", "203.0.113.90", 443, w.t0 + 5 * kMin, 20 * kMin, 600 * kMB, 100'000);
  // Not host activity: inbound from outside, between two outside addresses, internal to internal.
  w.flow("192.0.2.50", "10.20.0.6", 22, w.t0, kMin, 300 * kMB, 10'000);
  w.flow("192.0.2.50", "192.0.2.60", 443, w.t0, kMin, 300 * kMB, 10'000);
  w.flow("10.20.0.7", "10.30.0.1", 445, w.t0, kMin, 300 * kMB, 10'000);
  return w;
}

TEST(HuntHostEntity, FlowOnlyHostUploadIsAHostFindingRankedWithProcesses) {
  World w = org();
  const auto r = w.hunt();
  const Finding* h = World::find_flow_host(r, "10.20.0.5");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->proc, kNoProc);
  EXPECT_EQ(h->host, kNoHost);
  EXPECT_EQ(h->act->bytes_out, 200 * kMB + 20'000);  // the upload and its browsing
  EXPECT_GE(h->score, 40);
  EXPECT_GT(h->rank, 0);
  EXPECT_NE(World::factor(h, "volume_out"), nullptr);
  EXPECT_NE(World::factor(h, "rare_destination"), nullptr);
  EXPECT_NE(World::factor(h, "unattributed"), nullptr);
  EXPECT_FALSE(h->caveats.empty());
  // The process finding is ranked in the same list, by score.
  const Finding* p = w.find(r, "{20000000-0000-0000-0000-000000000001}");
  ASSERT_NE(p, nullptr);
  EXPECT_GT(p->rank, 0);
  EXPECT_NE(p->rank, h->rank);
  EXPECT_EQ(p->score > h->score, p->rank < h->rank);
  // Flow-only hosts are hosts of the organisation: 8 background + WS1 + 4 by address.
  EXPECT_EQ(r.org_hosts, 13u);
  EXPECT_TRUE(r.run.hosts.count("ip:10.20.0.5"));
  // Inbound from outside, outside to outside and internal to internal make no host entity.
  EXPECT_EQ(World::find_flow_host(r, "192.0.2.50"), nullptr);
  const Finding* lateral = World::find_flow_host(r, "10.20.0.7");
  ASSERT_NE(lateral, nullptr);  // its browsing
  EXPECT_EQ(lateral->act->bytes_out, 20'000u);
  EXPECT_NE(lateral->finding_id, h->finding_id);  // one id per address
}

TEST(HuntHostEntity, JsonAndTextNameTheHost) {
  World w = org();
  const auto r = w.hunt();
  const Finding* h = World::find_flow_host(r, "10.20.0.5");
  ASSERT_NE(h, nullptr);
  std::string js;
  write_finding_json(js, *h, w.pipe());
  EXPECT_NE(js.find("\"host\":{\"ip\":\"10.20.0.5\"}"), std::string::npos) << js;
  EXPECT_NE(js.find("\"entity\":\"host\""), std::string::npos) << js;
  EXPECT_EQ(js.find("\"process\""), std::string::npos) << js;
  std::string pj;
  write_finding_json(pj, *w.find(r, "{20000000-0000-0000-0000-000000000001}"), w.pipe());
  EXPECT_NE(pj.find("\"entity\":\"process\""), std::string::npos) << pj;
  EXPECT_NE(pj.find("\"host\":{\"name\":\"WS1\"}"), std::string::npos) << pj;
  const std::string table = findings_table(r, w.pipe(), false, 100);
  EXPECT_NE(table.find("(host) 10.20.0.5"), std::string::npos) << table;
  const std::string ex = explain_finding(*h, r, w.pipe());
  EXPECT_NE(ex.find("Host: 10.20.0.5"), std::string::npos) << ex;
  EXPECT_NE(ex.find("Sysmon 3"), std::string::npos) << ex;
}

// A whole machine's traffic: two-way exchanges (a call, a VPN tunnel) and common destinations do
// not add up to a flow-only host's volume; its upload to a rare address does.
TEST(HuntHostEntity, TwoWayTrafficIsNotAFlowOnlyHostsVolume) {
  World w = org();
  w.flow("10.20.0.6", "192.0.2.77", 3478, w.t0 + kMin, 60 * kMin, 600 * kMB, 700 * kMB, kProtoUdp);
  w.flow("10.20.0.6", "198.51.100.10", 443, w.t0 + 3 * kMin, 10 * kMin, 300 * kMB, 1 * kMB);
  const auto r = w.hunt();
  const Finding* h = World::find_flow_host(r, "10.20.0.6");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(World::factor(h, "volume_out"), nullptr);
  EXPECT_EQ(World::factor(h, "large_session"), nullptr);
  EXPECT_LT(h->score, 40);
  EXPECT_EQ(h->act->dests[h->dests[0].index].port, 3478);  // the rare destination first, the common one after
  const Finding* up = World::find_flow_host(r, "10.20.0.5");
  ASSERT_NE(up, nullptr);
  EXPECT_NE(World::factor(up, "large_session"), nullptr);
}

// SSDP, mDNS, DHCP broadcasts and link-local peers never leave the segment: they make no
// flow-only host (seen on RITA's proxy_rolling: fe80:: -> ff02::16, 169.254.x -> 239.255.255.250).
TEST(HuntHostEntity, MulticastBroadcastAndLinkLocalAreNotOutbound) {
  ActivityAggregator::Options o;
  std::string err;
  ASSERT_TRUE(o.internal.add("10.0.0.0/8", err));
  ASSERT_TRUE(o.internal.add("fe80::/10", err));
  ActivityAggregator agg(o);
  Attribution none;
  auto send = [&](const char* from, const char* to) {
    Session s;
    ASSERT_TRUE(IpAddr::parse(from, s.orig_h));
    ASSERT_TRUE(IpAddr::parse(to, s.resp_h));
    s.resp_p = 1900;
    s.proto = kProtoUdp;
    s.orig_bytes = 5000;
    agg.add(s, none);
  };
  send("10.1.1.1", "239.255.255.250");
  send("10.1.1.1", "255.255.255.255");
  send("fe80::1", "ff02::16");
  send("10.1.1.2", "169.254.10.10");
  for (const auto& a : agg.processes()) EXPECT_FALSE(a.flow_only()) << a.entity_ip.to_string();
  EXPECT_EQ(agg.sessions_unmonitored(), 4u);
  send("10.1.1.1", "203.0.113.5");  // the same host going out is one
  size_t entities = 0;
  for (const auto& a : agg.processes()) entities += a.flow_only();
  EXPECT_EQ(entities, 1u);
}

TEST(HuntHostEntity, CapOnHostEntitiesCountsDrops) {
  ActivityAggregator::Options o;
  std::string err;
  ASSERT_TRUE(o.internal.add("10.0.0.0/8", err));
  o.max_host_entities = 2;
  ActivityAggregator agg(o);
  Attribution none;  // host_unknown
  for (int i = 0; i < 4; ++i) {
    Session s;
    IpAddr::parse("10.1.1." + std::to_string(i), s.orig_h);
    IpAddr::parse("203.0.113.1", s.resp_h);
    s.resp_p = 443;
    s.proto = kProtoTcp;
    s.orig_bytes = 100;
    agg.add(s, none);
  }
  size_t entities = 0;
  for (const auto& a : agg.processes()) entities += a.flow_only();
  EXPECT_EQ(entities, 2u);
  EXPECT_EQ(agg.host_entity_sessions_dropped(), 2u);
  ProcessActivity out;
  IpAddr first;
  IpAddr::parse("10.1.1.0", first);
  ASSERT_TRUE(agg.take_flow_host(first, out));
  EXPECT_TRUE(out.flow_only());
  EXPECT_EQ(out.sessions, 1u);
  EXPECT_FALSE(agg.take_flow_host(first, out));
}

}  // namespace
}  // namespace outflow
