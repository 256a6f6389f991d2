// Explicit proxies: the config's `proxies:` and the rule that finds them in Zeek's http.log.
#include "outflow/join/proxy_finder.h"

#include <gtest/gtest.h>

#include "outflow/config/detect_config.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;

AppRecord req(const char* client, const char* server, uint16_t port, const char* method, const char* uri, TimeNs t) {
  AppRecord a;
  a.kind = AppKind::http;
  a.orig_h = ip(client);
  a.orig_p = 50000;
  a.resp_h = ip(server);
  a.resp_p = port;
  a.method = method;
  a.uri = uri;
  a.ts = t;
  return a;
}

TEST(ProxyFinder, PrivateAddressAnsweringProxyRequestsFromTwoClientsIsFound) {
  ProxyFinder f;
  const TimeNs t = 1'700'000'000 * kNsPerSec;
  f.observe(req("10.0.0.5", "10.0.0.1", 3128, "CONNECT", "a.example:443", t));
  f.observe(req("10.0.0.5", "10.0.0.1", 3128, "GET", "http://b.example/x", t + kNsPerSec));
  // One client only: a candidate.
  f.observe(req("10.0.0.5", "10.0.0.2", 8080, "CONNECT", "a.example:443", t));
  // Plain requests (relative URI) are no proxy's; a public address answering CONNECT is not ours.
  f.observe(req("10.0.0.6", "10.0.0.3", 80, "GET", "/index.html", t));
  f.observe(req("10.0.0.5", "198.51.100.4", 3128, "CONNECT", "a.example:443", t));
  f.observe(req("10.0.0.6", "198.51.100.4", 3128, "CONNECT", "a.example:443", t));
  auto l = f.list();
  ASSERT_EQ(l.size(), 3u);
  EXPECT_FALSE(l[0].detected());  // 10.0.0.1: one client so far
  f.observe(req("10.0.0.6", "10.0.0.1", 3128, "CONNECT", "c.example:443", t + 2 * kNsPerSec));
  l = f.list();
  ASSERT_EQ(l[0].ip, ip("10.0.0.1"));
  EXPECT_TRUE(l[0].detected());
  EXPECT_EQ(l[0].requests, 3u);
  EXPECT_EQ(l[0].connects, 2u);
  EXPECT_EQ(l[0].clients.size(), 2u);
  EXPECT_EQ(l[0].last, t + 2 * kNsPerSec);
  for (const auto& p : l)
    if (p.ip == ip("198.51.100.4")) {
      EXPECT_FALSE(p.detected()) << "a public address is not an internal proxy";
    }
}

TEST(ProxyFinder, ConfiguredProxiesAreListedFirstAndPortZeroMatchesAnyPort) {
  DetectConfig c = default_config();
  EXPECT_TRUE(c.proxies.empty());
  std::string err;
  ASSERT_TRUE(apply_config_yaml("proxies: [\"10.0.0.9\", \"10.0.0.1:3128\", \"[fd00::1]:8080\"]\n", c, err)) << err;
  ASSERT_EQ(c.proxies.size(), 3u);
  EXPECT_EQ(c.proxies[0].port, 0);
  EXPECT_EQ(c.proxies[1].port, 3128);
  EXPECT_EQ(c.proxies[2].ip, ip("fd00::1"));
  EXPECT_FALSE(apply_config_yaml("proxies: [\"proxy.example:3128\"]\n", c, err));
  EXPECT_NE(err.find("proxies: not an address"), std::string::npos) << err;

  ProxyFinder f;
  f.observe(req("10.0.0.5", "10.0.0.77", 8080, "CONNECT", "a.example:443", 0));
  f.configure(c.proxies);
  f.observe(req("10.0.0.5", "10.0.0.9", 8080, "CONNECT", "a.example:443", 0));
  const auto l = f.list();
  ASSERT_EQ(l.size(), 4u);
  EXPECT_TRUE(l[0].configured && l[0].ip == ip("10.0.0.9") && l[0].requests == 1);  // any port
  EXPECT_TRUE(l[1].configured && l[1].requests == 0);
  EXPECT_FALSE(l[3].configured);
}

}  // namespace
}  // namespace outflow
