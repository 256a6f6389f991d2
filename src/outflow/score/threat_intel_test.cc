// threat_intel, trusted_site_abuse, popular_destination and intel_label on findings made as
// `outflow hunt` makes them (flows of hosts seen only in flows).
#include "outflow/score/threat_intel.h"

#include <gtest/gtest.h>

#include "outflow/intel/feed_formats.h"
#include "outflow/score/hunter.h"
#include "outflow/score/retire.h"
#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::ip;

constexpr TimeNs kT0 = 1'700'000'000 * kNsPerSec;

struct Flow {
  const char* src;
  const char* dst;
  uint64_t bytes_out;
  TimeNs dur = 60 * kNsPerSec;
  TimeNs at = 0;
};

struct Hunt {
  std::deque<ProcessActivity> keep;
  HuntResult r;
};

void add_feed(IntelSet& set, IntelKind kind, const std::string& text, double weight = 0) {
  FeedSpec f;
  f.name = std::string(intel_kind_name(kind)) + "-feed";
  f.kind = kind;
  f.weight = weight;
  const uint16_t id = set.add_feed(f);
  auto src = memory_byte_source(text);
  read_feed(*src, f.name, id, set);
}

std::unique_ptr<Hunt> hunt(const std::vector<Flow>& flows, const IntelSet* intel, DetectConfig cfg = default_config(),
                           const std::vector<std::pair<const char*, const char*>>& names = {},
                           const std::vector<HostEvent>& events = {}) {
  auto h = std::make_unique<Hunt>();
  ActivityAggregator agg(Hunter::aggregator_options(cfg));
  std::unique_ptr<SessionPipeline> pipe;
  pipe = std::make_unique<SessionPipeline>(PipelineOptions{}, [&](const Session& s, const Attribution& a) {
    agg.add(s, a, &pipe->processes(), &pipe->index().apps());
  });
  for (const auto& e : events) pipe->on_host_event(e);
  for (const auto& [name, addr] : names) {  // DNS answers naming the destinations, before the flows
    DnsAnswer d;
    d.time = kT0 - kNsPerSec;
    d.client = ip("10.0.0.5");
    d.query = name;
    d.answers = {ip(addr)};
    pipe->on_dns(d);
  }
  uint16_t port = 40000;
  for (const auto& f : flows) {
    const TimeNs t = kT0 + f.at;
    pipe->on_flow(testing::netflow(f.src, port++, f.dst, 443, t, t + f.dur, f.bytes_out));
  }
  pipe->finish();
  agg.finish(pipe->index());
  Retirer retirer(cfg, *pipe, agg);
  Hunter hunter(cfg, nullptr);
  hunter.set_intel(intel);
  hunter.keep_all_explanations(true);
  h->r = hunter.run(*pipe, agg, nullptr, &retirer);
  h->keep = std::move(h->r.activities);
  return h;
}

const Finding* finding(const Hunt& h, const char* host) {
  for (const auto& f : h.r.findings)
    if (f.act && f.act->entity_ip == ip(host)) return &f;
  return nullptr;
}

const Factor* factor(const Finding* f, const char* name) {
  if (!f) return nullptr;
  for (const auto& x : f->factors)
    if (x.name == name) return &x;
  return nullptr;
}

TEST(ThreatIntel, MaliciousMatchIsReportedBelowTheScoreAndNamesItsIndicator) {
  // A small beacon that scores nothing on its own.
  const std::vector<Flow> flows = {{"10.0.0.5", "203.0.113.66", 2'000}, {"10.0.0.5", "198.51.100.3", 1'000}};
  auto plain = hunt(flows, nullptr);
  const Finding* f = finding(*plain, "10.0.0.5");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->rank, 0);
  EXPECT_EQ(plain->r.reported, 0u);

  IntelSet set;
  add_feed(set, IntelKind::malicious, "# C2\n203.0.113.0/24\nnever.example\n");
  set.finish();
  auto with = hunt(flows, &set);
  f = finding(*with, "10.0.0.5");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->rank, 1);
  EXPECT_TRUE(f->intel_malicious);
  EXPECT_LT(f->score, default_config().min_score + kMaliciousPoints);
  const Factor* x = factor(f, "threat_intel");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->contribution, kMaliciousPoints);
  EXPECT_EQ(x->threshold, "203.0.113.0/24");
  EXPECT_NE(x->observed.find("203.0.113.66 in malicious-feed (malicious)"), std::string::npos) << x->observed;
  EXPECT_NE(x->detail.find("203.0.113.66:443"), std::string::npos) << x->detail;
  ASSERT_EQ(f->intel.size(), 1u);
  EXPECT_EQ(f->intel[0].indicator, "203.0.113.0/24");
  EXPECT_EQ(f->intel[0].type, "cidr4");
  EXPECT_EQ(with->r.reported, 1u);
}

TEST(ThreatIntel, AnExclusionHidingAMaliciousMatchIsCounted) {
  DetectConfig cfg = default_config();
  cfg.process_name_exclusions = {"updater.exe"};
  IntelSet set;
  add_feed(set, IntelKind::malicious, "203.0.113.66\n");
  set.finish();
  const std::vector<HostEvent> events = {
      testing::start("WS1", "{00000000-0000-0000-0000-000000000001}", "{00000000-0000-0000-0000-000000000000}",
                     "C:\\Tools\\updater.exe", "C:\\Windows\\explorer.exe", kT0 - 10 * kNsPerSec),
      testing::connect("WS1", "{00000000-0000-0000-0000-000000000001}", "10.0.0.5", 40000, "203.0.113.66", 443, kT0)};
  auto h = hunt({{"10.0.0.5", "203.0.113.66", 2'000}}, &set, cfg, {}, events);
  const Finding* f = nullptr;
  for (const auto& x : h->r.findings)
    if (x.proc != kNoProc) f = &x;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->suppressed_by, "process_name_exclusions");
  EXPECT_TRUE(f->intel_malicious);
  EXPECT_EQ(f->rank, 0);
  EXPECT_EQ(h->r.intel_suppressed, 1u);  // said on stderr by hunt; listed by --show-suppressed
  EXPECT_EQ(h->r.reported, 0u);
}

TEST(ThreatIntel, ConfidenceAndWeightScaleThePoints) {
  IntelSet set;
  add_feed(set, IntelKind::suspicious, "confidence,ip\n50,203.0.113.66\n", 30);
  set.finish();
  auto h = hunt({{"10.0.0.5", "203.0.113.66", 2'000}}, &set);
  const Factor* x = factor(finding(*h, "10.0.0.5"), "threat_intel");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->contribution, 15);  // weight 30 x confidence 50%
  EXPECT_NE(x->baseline.find("confidence 50"), std::string::npos) << x->baseline;
  EXPECT_FALSE(finding(*h, "10.0.0.5")->intel_malicious);  // suspicious: no report below the score
}

TEST(ThreatIntel, ExpiredIndicatorsDoNotMatch) {
  IntelSet set;
  add_feed(set, IntelKind::malicious,
           R"({"type":"bundle","objects":[{"type":"indicator","pattern_type":"stix","pattern":"[ipv4-addr:value = '203.0.113.66']",
               "valid_from":"2020-01-01T00:00:00Z","valid_until":"2021-01-01T00:00:00Z"}]})");
  set.finish();
  auto h = hunt({{"10.0.0.5", "203.0.113.66", 2'000}}, &set);  // sessions in 2023
  EXPECT_EQ(factor(finding(*h, "10.0.0.5"), "threat_intel"), nullptr);
}

TEST(ThreatIntel, TrustedSiteAbuseOnlyWithVolume) {
  IntelSet set;
  add_feed(set, IntelKind::trusted_abused, "203.0.113.0/24\n");
  set.finish();
  auto small = hunt({{"10.0.0.5", "203.0.113.66", 2'000}}, &set);
  EXPECT_EQ(factor(finding(*small, "10.0.0.5"), "trusted_site_abuse"), nullptr);
  auto big = hunt({{"10.0.0.5", "203.0.113.66", 500'000'000}}, &set);
  const Finding* f = finding(*big, "10.0.0.5");
  const Factor* x = factor(f, "trusted_site_abuse");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->contribution, kTrustedAbusePoints);
  EXPECT_EQ(factor(f, "threat_intel"), nullptr);
  EXPECT_FALSE(f->intel_malicious);
}

TEST(ThreatIntel, LabelNamesWithoutScoring) {
  IntelSet set;
  add_feed(set, IntelKind::label, R"({"name":"Test cloud","type":"cidr","list":["203.0.113.0/24"]})");
  set.finish();
  auto a = hunt({{"10.0.0.5", "203.0.113.66", 500'000'000}}, nullptr);
  auto b = hunt({{"10.0.0.5", "203.0.113.66", 500'000'000}}, &set);
  const Finding* f = finding(*b, "10.0.0.5");
  const Factor* x = factor(f, "intel_label");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->observed, "Test cloud");
  EXPECT_EQ(x->contribution, 0);
  EXPECT_EQ(f->score, finding(*a, "10.0.0.5")->score);
}

TEST(ThreatIntel, PopularLowersOnlyRarityOfSitesOtherHostsUseAndNeverATenant) {
  DetectConfig cfg = default_config();
  cfg.rare_max_hosts = 3;  // a site two hosts use is still rare: the case popular is for
  std::vector<Flow> flows;
  for (const char* h : {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"})
    flows.push_back({h, "198.18.0.1", 1'000});
  flows.push_back({"10.0.0.5", "203.0.113.66", 200'000});
  flows.push_back({"10.0.0.6", "203.0.113.66", 200'000});
  flows.push_back({"10.0.0.5", "203.0.113.77", 200'000, 60 * kNsPerSec, 3600 * kNsPerSec});
  IntelSet set;
  add_feed(set, IntelKind::popular, "popular.example\n*.github.io\n");  // a listed hosting suffix: its tenants match
  set.finish();
  const std::vector<std::pair<const char*, const char*>> names = {{"cdn.popular.example", "203.0.113.66"}};
  auto h = hunt(flows, &set, cfg, names);
  const Finding* f = finding(*h, "10.0.0.5");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->act->dests[f->dests[0].index].domain, "cdn.popular.example");
  const Factor* rare = factor(f, "rare_destination");
  ASSERT_NE(rare, nullptr);
  const Factor* pop = factor(f, "popular_destination");
  ASSERT_NE(pop, nullptr);
  EXPECT_EQ(pop->contribution, -std::min(kPopularMaxDiscount, rare->contribution / 2));
  EXPECT_NE(pop->baseline.find("used by 2 hosts"), std::string::npos) << pop->baseline;
  // A hosted tenant gets no discount, even when a listed suffix matches it.
  auto t = hunt(flows, &set, cfg, {{"attacker.github.io", "203.0.113.66"}});
  const Finding* tf = finding(*t, "10.0.0.5");
  ASSERT_NE(tf, nullptr);
  ASSERT_FALSE(tf->intel.empty());  // matched as popular ...
  EXPECT_EQ(tf->intel[0].indicator, ".github.io");
  EXPECT_EQ(factor(tf, "popular_destination"), nullptr);  // ... but a tenant's rarity stands
  // Used by this host alone: no discount either.
  IntelSet one;
  add_feed(one, IntelKind::popular, "other.example\n");
  one.finish();
  flows.push_back({"10.0.0.5", "203.0.113.77", 900'000, 60 * kNsPerSec, 7200 * kNsPerSec});
  auto u = hunt(flows, &one, cfg, {{"x.other.example", "203.0.113.77"}});
  const Finding* g = finding(*u, "10.0.0.5");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->act->dests[g->dests[0].index].domain, "x.other.example");
  EXPECT_EQ(factor(g, "popular_destination"), nullptr);
}

}  // namespace
}  // namespace outflow
