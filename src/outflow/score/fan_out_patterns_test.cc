// Fan-out to addresses no other host uses, told apart: tiny probes (scan_pattern) or real traffic
// both ways (relay_pattern, proxyware). A flow-only host names some of those addresses in its
// finding (evidence), since its top destinations by bytes are its ordinary traffic.
#include <gtest/gtest.h>

#include "outflow/score/hunter.h"
#include "outflow/testing/world.h"
#include "outflow/write/finding_json.h"

namespace outflow {
namespace {

using testing::World;
constexpr TimeNs kMin = 60 * kNsPerSec;
constexpr uint64_t kMB = 1'000'000;

std::string addr(int i) { return "203.0." + std::to_string(100 + i / 200) + "." + std::to_string(1 + i % 200); }

size_t evidence(const Finding* f, std::string_view why) {
  size_t n = 0;
  for (const auto& s : f->dests) n += s.evidence == why;
  return n;
}

TEST(FanOutPatterns, ScanNamesProbedAddressesBesideTheTopDestinations) {
  World w;
  w.background_hosts(8);
  // Its ordinary traffic: downloads from 12 sites only it uses (its top destinations by bytes
  // out); then 250 probes on 23/tcp.
  for (int i = 0; i < 12; ++i)
    w.flow("10.20.0.5", ("192.0.2." + std::to_string(10 + i)).c_str(), 443, w.t0 + i * kMin, kMin, 50'000, 5 * kMB);
  for (int i = 0; i < 250; ++i) w.flow("10.20.0.5", addr(i).c_str(), 23, w.t0 + 20 * kMin + i * kNsPerSec, 3 * kNsPerSec, 0, 0);
  const auto r = w.hunt();
  const Finding* f = World::find_flow_host(r, "10.20.0.5");
  ASSERT_NE(f, nullptr);
  ASSERT_NE(World::factor(f, "scan_pattern"), nullptr);
  EXPECT_EQ(World::factor(f, "relay_pattern"), nullptr);
  EXPECT_EQ(World::factor(f, "rare_destination")->contribution, 10);  // active: counts in full
  EXPECT_GE(f->score, 40);
  // The probed addresses the scan rests on are named, marked, after the 10 top destinations.
  EXPECT_EQ(evidence(f, "scan_pattern"), 5u);
  EXPECT_EQ(f->dests.size(), 15u);
  EXPECT_EQ(f->act->dests[f->dests.back().index].port, 23);
  EXPECT_EQ(f->act->dests[f->dests.front().index].port, 443);
  std::string js;
  write_finding_json(js, *f, w.pipe());
  EXPECT_NE(js.find("\"evidence\":\"scan_pattern\""), std::string::npos) << js;
}

TEST(FanOutPatterns, RelayingBothWaysWithManyRareAddressesIsProxyware) {
  World w;
  w.background_hosts(8);
  // 60 addresses, 20 MB each way: relayed traffic, two-way (so no volume factor counts it).
  for (int i = 0; i < 60; ++i)
    w.flow("10.20.0.6", addr(i).c_str(), 30000 + static_cast<uint16_t>(i), w.t0 + i * kMin, 20 * kMin, 20 * kMB, 22 * kMB);
  // A browser-like host: as many rare sites, small requests, downloads.
  for (int i = 0; i < 60; ++i)
    w.flow("10.20.0.7", addr(400 + i).c_str(), 443, w.t0 + i * kMin, kMin, 30'000, 2 * kMB);
  const auto r = w.hunt();
  const Finding* p = World::find_flow_host(r, "10.20.0.6");
  ASSERT_NE(p, nullptr);
  const Factor* relay = World::factor(p, "relay_pattern");
  ASSERT_NE(relay, nullptr);
  EXPECT_EQ(relay->contribution, 15);
  EXPECT_EQ(World::factor(p, "volume_out"), nullptr);  // two-way: not an upload
  EXPECT_GE(p->score, 40);
  // The relayed addresses are its top destinations already: none named again as evidence.
  EXPECT_EQ(evidence(p, "relay_pattern"), 0u);
  for (const auto& s : p->dests) EXPECT_GE(p->act->dests[s.index].port, 30000);
  const Finding* b = World::find_flow_host(r, "10.20.0.7");
  ASSERT_NE(b, nullptr);
  EXPECT_NE(World::factor(b, "fan_out"), nullptr);
  EXPECT_EQ(World::factor(b, "relay_pattern"), nullptr);
  EXPECT_EQ(World::factor(b, "scan_pattern"), nullptr);
}

}  // namespace
}  // namespace outflow
