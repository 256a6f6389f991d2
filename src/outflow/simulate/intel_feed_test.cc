// simulate --intel: the feed names the external destinations of about half of the scenarios
// plus decoys, as a plain list and a STIX 2.1 bundle that load to the same indicators.
#include "outflow/simulate/intel_feed.h"

#include <gtest/gtest.h>

#include "outflow/intel/feed_loader.h"
#include "outflow/testing/sim_org.h"

namespace outflow::sim {
namespace {

std::vector<Label> labels() {
  std::vector<Label> v;
  const char* names[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  for (int i = 0; i < 8; ++i) {
    Label l;
    l.scenario = names[i];
    l.destinations = {"c2-" + std::string(names[i]) + ".example.net", "45.60.1." + std::to_string(10 + i), "10.0.0.5"};
    v.push_back(l);
  }
  return v;
}

TEST(SimulateIntelFeed, NamesAboutHalfTheScenariosPlusDecoysInBothFormats) {
  testing::TempDir dir("intel-feed");
  const std::string path = (dir.path / "feed.txt").string();
  IntelFeedResult r;
  std::string err;
  ASSERT_TRUE(write_intel_feed(labels(), 42, 1'767'571'200 * kNsPerSec, path, r, err)) << err;
  EXPECT_GE(r.scenarios.size(), 2u);
  EXPECT_LE(r.scenarios.size(), 6u);
  EXPECT_EQ(r.indicators, 2 * r.scenarios.size());  // the name and the public address; never 10.0.0.5
  IntelSet plain, stix;
  ASSERT_TRUE(load_intel({FeedSpec{"p", path, IntelKind::malicious, 0, 0, true}}, plain, err)) << err;
  ASSERT_TRUE(load_intel({FeedSpec{"s", path + ".stix.json", IntelKind::malicious, 0, 0, true}}, stix, err)) << err;
  EXPECT_EQ(plain.stats()[0].bad, 0u);
  EXPECT_EQ(stix.stats()[0].format, "stix2.1");
  EXPECT_EQ(stix.stats()[0].bad + stix.stats()[0].unevaluable, 0u);
  EXPECT_EQ(plain.size(), r.indicators + r.decoys);
  EXPECT_EQ(stix.size(), plain.size());
  for (const auto& s : r.scenarios) {
    std::vector<IntelMatch> m;
    stix.match_name("c2-" + s + ".example.net", 1'767'600'000 * kNsPerSec, 1'767'600'000 * kNsPerSec, m);
    EXPECT_EQ(m.size(), 1u) << s;
  }
  IpAddr local;
  ASSERT_TRUE(IpAddr::parse("10.0.0.5", local));
  std::vector<IntelMatch> m;
  plain.match_ip(local, kNoTime, kNoTime, m);
  EXPECT_TRUE(m.empty());
  // The same seed, the same feed.
  IntelFeedResult again;
  ASSERT_TRUE(write_intel_feed(labels(), 42, 1'767'571'200 * kNsPerSec, path + "2", again, err));
  EXPECT_EQ(again.scenarios, r.scenarios);
}

}  // namespace
}  // namespace outflow::sim
