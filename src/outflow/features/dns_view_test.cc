// The DNS tunnelling view: distinct-name counting (exact, then HyperLogLog), registered domains,
// which host a query belongs to, and the per-host domain cap.
#include "outflow/features/dns_view.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;

uint64_t h64(uint64_t i) {  // distinct, well-mixed hashes
  i += 0x9E3779B97F4A7C15ULL;
  i = (i ^ (i >> 30)) * 0xBF58476D1CE4E5B9ULL;
  i = (i ^ (i >> 27)) * 0x94D049BB133111EBULL;
  return i ^ (i >> 31);
}

TEST(DistinctCounter, ExactWhileFewThenWithinTheSketchError) {
  DistinctCounter c;
  for (uint64_t i = 0; i < 64; ++i) c.add(h64(i)), c.add(h64(i));
  EXPECT_TRUE(c.exact());
  EXPECT_EQ(c.estimate(), 64u);
  for (uint64_t n : {200u, 1'000u, 10'000u, 62'468u}) {
    DistinctCounter d;
    for (uint64_t i = 0; i < n; ++i) d.add(h64(i));
    EXPECT_FALSE(d.exact());
    // 6.5% standard error: 3 sigma.
    EXPECT_NEAR(static_cast<double>(d.estimate()), static_cast<double>(n), 0.2 * static_cast<double>(n)) << n;
    std::string b;
    d.serialize(b);
    std::string_view v = b;
    DistinctCounter e;
    ASSERT_TRUE(e.deserialize(v));
    EXPECT_TRUE(v.empty());
    EXPECT_EQ(e.estimate(), d.estimate());
  }
}

TEST(DistinctCounter, MergeCountsTheUnion) {
  DistinctCounter a, b;
  for (uint64_t i = 0; i < 40; ++i) a.add(h64(i));
  for (uint64_t i = 20; i < 60; ++i) b.add(h64(i));
  a.merge(b);
  EXPECT_TRUE(a.exact());
  EXPECT_EQ(a.estimate(), 60u);
}

TEST(RegisteredDomain, TwoLabelsOrThreeUnderAGenericCountrySecondLevel) {
  EXPECT_EQ(registered_domain("0b320175375169c68f.dnsc.r-1x.com"), "r-1x.com");
  EXPECT_EQ(registered_domain("A.B.Example.CO.UK."), "example.co.uk");
  EXPECT_EQ(registered_domain("localhost"), "localhost");
  EXPECT_EQ(registered_domain("x.y.example.de"), "example.de");
}

// The rule as first written (a lower-cased copy split into labels, the kept ones joined):
// registered_domain() must give the same key for any text, or baselines keyed by it would move.
std::string registered_domain_reference(std::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::string_view n = lower;
  while (!n.empty() && n.back() == '.') n.remove_suffix(1);
  std::vector<std::string_view> labels;
  for (size_t b = 0; b <= n.size();) {
    const size_t e = std::min(n.find('.', b), n.size());
    labels.push_back(n.substr(b, e - b));
    b = e + 1;
  }
  size_t keep = 2;
  if (labels.size() >= 3) {
    const auto sld = labels[labels.size() - 2];
    const bool generic = sld == "co" || sld == "com" || sld == "org" || sld == "net" || sld == "ac" || sld == "gov" || sld == "edu";
    if (labels.back().size() == 2 && generic) keep = 3;
  }
  keep = std::min(keep, labels.size());
  std::string r;
  for (size_t i = labels.size() - keep; i < labels.size(); ++i) {
    if (!r.empty()) r.push_back('.');
    r.append(labels[i]);
  }
  for (char& c : r)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return r;
}

TEST(RegisteredDomain, SameAsTheFirstRuleOnAnyText) {
  std::mt19937 rng(3);
  const std::string alphabet = "aBc.Oo.CuK.\x01-";
  const std::vector<std::string> parts = {"co", "CO", "com", "Org", "net", "ac", "gov", "edu", "uk", "de", "x", "", "."};
  for (const char* fixed : {"", ".", "..", "a..uk", "..co.uk", "x.co.uk", "x.CO.UK.", "co.uk", "a.b.c", ".a.b", "a.\x1f.b", "x.com.au"})
    ASSERT_EQ(registered_domain(fixed), registered_domain_reference(fixed)) << fixed;
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) {
      if (rng() % 2) s += parts[rng() % parts.size()];
      else for (int j = static_cast<int>(rng() % 4); j > 0; --j) s += alphabet[rng() % alphabet.size()];
      if (rng() % 3) s += '.';
    }
    ASSERT_EQ(registered_domain(s), registered_domain_reference(s)) << s;
  }
}

TEST(DnsView, PerHostAndDomainUniqueNamesQueriesAndTxtShare) {
  NetworkSet internal;
  std::string err;
  ASSERT_TRUE(internal.add("10.0.0.0/8", err));
  DnsView v;
  v.set_internal(internal);
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  // A tunnel from a flow-only host: 500 names, each asked twice, TXT.
  for (int i = 0; i < 1000; ++i)
    v.add(kNoHost, ip("10.1.1.5"), ip("10.0.0.53"), t0 + i * kNsPerSec, fmt::format("{:08x}.t.tunnel.example.", i / 2), 16);
  // Ordinary lookups of the same host, a reverse lookup, and an outside client.
  for (int i = 0; i < 10; ++i) v.add(kNoHost, ip("10.1.1.5"), ip("10.0.0.53"), t0, "www.example.org", 1);
  v.add(kNoHost, ip("10.1.1.5"), ip("10.0.0.53"), t0, "5.1.1.10.in-addr.arpa", 12);
  v.add(kNoHost, ip("203.0.113.9"), ip("10.0.0.53"), t0, "x.tunnel.example", 16);
  // A monitored host, keyed by its id.
  v.add(7, ip("192.168.1.2"), ip("10.0.0.53"), t0, "a.tunnel.example", 1);
  const auto* d = v.of_address(ip("10.1.1.5"));
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->size(), 2u);  // no in-addr.arpa
  const DnsDomainStats& t = (*d)[0];
  EXPECT_EQ(t.domain, "tunnel.example");
  EXPECT_NEAR(static_cast<double>(t.unique_names()), 500, 50);
  EXPECT_EQ(t.queries, 1000u);
  EXPECT_EQ(t.txt_null, 1000u);
  EXPECT_EQ(t.typed, 1000u);
  ASSERT_EQ(t.resolvers.size(), 1u);
  EXPECT_EQ((*d)[1].unique_names(), 1u);
  EXPECT_EQ((*d)[1].queries, 10u);
  EXPECT_EQ(v.of_address(ip("203.0.113.9")), nullptr);
  EXPECT_EQ(v.queries_not_kept(), 1u);
  ASSERT_NE(v.of_host(7), nullptr);
  EXPECT_EQ(v.hosts_querying("tunnel.example"), 2u);
  EXPECT_EQ(v.queries(), 1013u);
}

TEST(DnsView, ATunnelDomainOutlivesTheChurnOfManyOthers) {
  DnsView v;
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  for (int i = 0; i < 400; ++i) v.add(3, ip("10.1.1.5"), IpAddr{}, t0, fmt::format("{}.c2.example", i), 0);
  for (int i = 0; i < 5000; ++i) v.add(3, ip("10.1.1.5"), IpAddr{}, t0, fmt::format("www.site{}.example{}", i, i % 7), 0);
  const auto* d = v.of_host(3);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->size(), DnsView::kDomainsPerEntity);
  EXPECT_GT(v.domains_replaced(), 0u);
  const bool kept = std::any_of(d->begin(), d->end(), [](const DnsDomainStats& x) { return x.domain == "c2.example"; });
  EXPECT_TRUE(kept);
}

TEST(DnsView, HostsPastTheCapAreCounted) {
  DnsView v(DnsView::Caps{2});
  for (HostId h = 0; h < 5; ++h) v.add(h, IpAddr{}, IpAddr{}, 0, "a.example", 1);
  EXPECT_EQ(v.entities_dropped(), 3u);
  EXPECT_EQ(v.of_host(4), nullptr);
}

}  // namespace
}  // namespace outflow
