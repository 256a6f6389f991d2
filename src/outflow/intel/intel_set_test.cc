// The indicator store and its lookups: longest prefix for IPv4 and IPv6, names by exact and
// subdomain match with registered domains from the Public Suffix List, URLs on their host,
// validity spans by record time, and the indicators it refuses.
#include "outflow/intel/intel_set.h"

#include <gtest/gtest.h>

#include "outflow/intel/registered_domain.h"

namespace outflow {
namespace {

IpAddr ip(const char* s) {
  IpAddr a;
  EXPECT_TRUE(IpAddr::parse(s, a)) << s;
  return a;
}

struct Set {
  IntelSet set;
  uint16_t feed;
  std::string reason;
  explicit Set(IntelKind k = IntelKind::malicious) {
    FeedSpec f;
    f.name = "t";
    f.kind = k;
    feed = set.add_feed(f);
  }
  bool add(std::string_view text, IndicatorMeta m = {}) {
    m.feed = feed;
    return set.add_text(text, m, reason);
  }
  std::vector<IntelMatch> ip_matches(const char* a, TimeNs t = kNoTime) {
    std::vector<IntelMatch> out;
    set.match_ip(ip(a), t, t, out);
    return out;
  }
  std::vector<IntelMatch> name_matches(std::string_view n, TimeNs t = kNoTime, std::vector<std::string_view> paths = {}) {
    std::vector<IntelMatch> out;
    set.match_name(n, t, t, out, paths);
    return out;
  }
};

TEST(IntelSet, LongestPrefixFirstForIpv4AndIpv6) {
  Set s;
  ASSERT_TRUE(s.add("10.0.0.0/8"));
  ASSERT_TRUE(s.add("10.1.0.0/16"));
  ASSERT_TRUE(s.add("10.1.2.3"));
  ASSERT_TRUE(s.add("2001:db8::/32"));
  ASSERT_TRUE(s.add("2001:db8:1::/48"));
  ASSERT_TRUE(s.add("192.0.2.77/24"));  // host bits set: the network is meant
  s.set.finish();
  auto m = s.ip_matches("10.1.2.3");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].indicator, "10.1.2.3");
  EXPECT_EQ(m[0].type, IndicatorType::ipv4);
  EXPECT_EQ(m[1].indicator, "10.1.0.0/16");
  EXPECT_EQ(m[2].indicator, "10.0.0.0/8");
  EXPECT_EQ(m[2].type, IndicatorType::cidr4);
  EXPECT_EQ(s.ip_matches("10.200.0.1").size(), 1u);
  EXPECT_TRUE(s.ip_matches("11.0.0.1").empty());
  m = s.ip_matches("2001:db8:1::5");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].indicator, "2001:db8:1::/48");
  EXPECT_EQ(m[0].type, IndicatorType::cidr6);
  EXPECT_EQ(s.ip_matches("2001:db9::1").size(), 0u);
  m = s.ip_matches("192.0.2.1");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].indicator, "192.0.2.0/24");
  EXPECT_EQ(m[0].matched, "192.0.2.1");
  EXPECT_EQ(s.set.stats(s.feed).by_type[static_cast<size_t>(IndicatorType::cidr4)], 3u);
}

TEST(IntelSet, RefusesWhatIsNotAnIndicator) {
  Set s;
  EXPECT_FALSE(s.add("10.0.0.0/33"));
  EXPECT_EQ(s.reason, "prefix length over 32");
  EXPECT_FALSE(s.add("2001:db8::/129"));
  EXPECT_FALSE(s.add("10.0.0.0/"));
  EXPECT_FALSE(s.add("10.0.0.0/8x"));
  EXPECT_FALSE(s.add("fe80::1%eth0"));
  EXPECT_NE(s.reason.find("zone id"), std::string::npos);
  EXPECT_FALSE(s.add("999.1.1.1"));
  EXPECT_FALSE(s.add("localhost"));  // a single label
  EXPECT_FALSE(s.add("bad..name.com"));
  EXPECT_FALSE(s.add("spaces in.name"));
  EXPECT_FALSE(s.add(std::string(300, 'a') + ".com"));
  EXPECT_FALSE(s.add("http:///nohost"));
  EXPECT_EQ(s.set.size(), 0u);
}

TEST(IntelSet, NamesExactAndSubdomainsWithinTheRegisteredDomain) {
  Set s;
  ASSERT_TRUE(s.add("Evil.COM."));                // a plain entry: the name and its hosts
  ASSERT_TRUE(s.add(".blob.core.windows.net"));   // a leading dot: every subdomain
  ASSERT_TRUE(s.add("*.tunnel.example"));
  ASSERT_TRUE(s.add("github.io"));                // a public suffix: its tenants are not it
  s.set.finish();
  EXPECT_EQ(s.name_matches("evil.com").size(), 1u);
  auto m = s.name_matches("c2.Evil.com");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].indicator, "evil.com");
  EXPECT_EQ(m[0].matched, "c2.evil.com");
  EXPECT_TRUE(s.name_matches("notevil.com").empty());
  EXPECT_TRUE(s.name_matches("evil.com.attacker.net").empty());
  m = s.name_matches("abc.blob.core.windows.net");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].indicator, ".blob.core.windows.net");
  EXPECT_EQ(s.name_matches("x.y.tunnel.example").size(), 1u);
  EXPECT_EQ(s.name_matches("github.io").size(), 1u);
  EXPECT_TRUE(s.name_matches("x.attacker.github.io").empty());
}

TEST(IntelSet, RegisteredDomainsAndHostedTenants) {
  EXPECT_EQ(psl_registered_domain("a.b.dropbox.com"), "dropbox.com");
  EXPECT_EQ(psl_registered_domain("x.attacker.github.io"), "attacker.github.io");
  EXPECT_EQ(psl_registered_domain("www.bbc.co.uk"), "bbc.co.uk");
  EXPECT_TRUE(hosted_tenant("x.attacker.github.io"));
  EXPECT_TRUE(hosted_tenant("abc.blob.core.windows.net"));
  EXPECT_FALSE(hosted_tenant("www.bbc.co.uk"));
  EXPECT_FALSE(hosted_tenant("github.io"));
  EXPECT_FALSE(hosted_tenant("www.github.com"));
}

TEST(IntelSet, UrlsMatchTheirHostAndSayWhetherThePathWasSeen) {
  Set s;
  ASSERT_TRUE(s.add("http://drop.example.net:8080/up/load.php?id=1"));
  ASSERT_TRUE(s.add("https://198.51.100.7/gate"));  // an address in a URL: the address
  s.set.finish();
  auto m = s.name_matches("drop.example.net");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].type, IndicatorType::url);
  EXPECT_EQ(m[0].indicator, "drop.example.net/up/load.php");
  EXPECT_FALSE(m[0].path_matched);
  m = s.name_matches("drop.example.net", kNoTime, {"/up/load.php"});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0].path_matched);
  EXPECT_TRUE(s.name_matches("x.drop.example.net").empty());  // a URL names its host only
  EXPECT_EQ(s.ip_matches("198.51.100.7").size(), 1u);
  EXPECT_EQ(s.set.stats(s.feed).by_type[static_cast<size_t>(IndicatorType::url)], 2u);
}

TEST(IntelSet, ValiditySpansByRecordTime) {
  Set s;
  IndicatorMeta m;
  m.valid_from = 1000 * kNsPerSec;
  m.valid_until = 2000 * kNsPerSec;
  ASSERT_TRUE(s.add("203.0.113.5", m));
  ASSERT_TRUE(s.add("c2.example.org", m));
  s.set.finish();
  EXPECT_TRUE(s.ip_matches("203.0.113.5", 999 * kNsPerSec).empty());
  EXPECT_EQ(s.ip_matches("203.0.113.5", 1500 * kNsPerSec).size(), 1u);
  EXPECT_TRUE(s.ip_matches("203.0.113.5", 2000 * kNsPerSec).empty());
  EXPECT_TRUE(s.name_matches("c2.example.org", 2500 * kNsPerSec).empty());
  // A destination active across the span matches.
  std::vector<IntelMatch> out;
  s.set.match_ip(ip("203.0.113.5"), 500 * kNsPerSec, 3000 * kNsPerSec, out);
  EXPECT_EQ(out.size(), 1u);
  s.set.count_expired(2500 * kNsPerSec);
  EXPECT_EQ(s.set.stats(s.feed).expired, 2u);
  s.set.count_expired(1500 * kNsPerSec);
  EXPECT_EQ(s.set.stats(s.feed).expired, 0u);
}

TEST(IntelSet, SubstringsAndMetadataSharing) {
  Set s;
  IndicatorMeta m;
  m.feed = s.feed;
  ASSERT_TRUE(s.set.add_substring("ngrok", m, s.reason));
  EXPECT_FALSE(s.set.add_substring("ab", m, s.reason));
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(s.add("198.18." + std::to_string(i / 250) + "." + std::to_string(i % 250)));
  s.set.finish();
  EXPECT_EQ(s.name_matches("abc.NGROK.io").size(), 1u);
  // 1000 indicators with the same metadata share one record: well under 40 bytes each.
  EXPECT_LT(s.set.memory_bytes(), 1000u * 40);
}

}  // namespace
}  // namespace outflow
