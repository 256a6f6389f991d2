// The destination behind an explicit proxy: what Zeek's http.log requests to a proxy name
// (AppNames), and what the detector's activity and pairs make of a session through it.
#include "outflow/features/proxy_dest.h"

#include <gtest/gtest.h>

#include "outflow/features/activity.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;

AppRecord request(const char* uid, uint16_t client_port, const char* method, const char* uri, const char* host) {
  AppRecord a;
  a.kind = AppKind::http;
  a.uid = uid;
  a.orig_h = ip("10.1.0.18");
  a.orig_p = client_port;
  a.resp_h = ip("10.1.0.16");
  a.resp_p = 3128;
  a.ts = 1'700'000'000 * kNsPerSec;
  a.method = method;
  a.uri = uri;
  a.name = host;
  return a;
}

Session leg(const char* uid, uint16_t client_port, TimeNs start) {
  Session s;
  s.uid = uid;
  s.orig_h = ip("10.1.0.18");
  s.orig_p = client_port;
  s.resp_h = ip("10.1.0.16");
  s.resp_p = 3128;
  s.proto = kProtoTcp;
  s.start = start;
  s.end = start + kNsPerSec;
  s.orig_bytes = 700;
  s.resp_bytes = 5000;
  return s;
}

TEST(ProxyDest, ConnectAndAbsoluteUrisNameTheTargetTheFirstHostWins) {
  AppNames names;
  EXPECT_FALSE(names.add(request("C1", 50001, "CONNECT", "evil.example:8443", "evil.example")));
  EXPECT_FALSE(names.add(request("C1", 50001, "CONNECT", "other.example:443", "other.example")));
  names.add(request("C2", 50002, "GET", "http://User@Plain.Example:8080/a?b", "plain.example:8080"));
  names.add(request("C3", 50003, "CONNECT", "203.0.113.9:443", "203.0.113.9"));
  names.add(request("C4", 50004, "GET", "/direct", "direct.example"));

  const AppNames::ConnApp* c1 = names.conn(leg("C1", 50001, 1'700'000'000 * kNsPerSec));
  ASSERT_NE(c1, nullptr);
  ProxiedDest d = proxied_dest(&names, c1);
  EXPECT_TRUE(d.named);
  EXPECT_EQ(d.name, "evil.example");
  EXPECT_EQ(d.port, 8443);
  EXPECT_TRUE(d.ip.is_unset());
  EXPECT_EQ(c1->proxy_other_hosts, 1u);  // the second CONNECT is counted, not split

  d = proxied_dest(&names, names.conn(leg("C2", 50002, 1'700'000'000 * kNsPerSec)));
  EXPECT_EQ(d.name, "plain.example");
  EXPECT_EQ(d.port, 8080);

  d = proxied_dest(&names, names.conn(leg("C3", 50003, 1'700'000'000 * kNsPerSec)));
  EXPECT_TRUE(d.named);
  EXPECT_TRUE(d.name.empty());
  EXPECT_EQ(d.ip, ip("203.0.113.9"));
  EXPECT_EQ(d.name_id, AppNames::kNone);

  // A plain request (relative URI) is not a proxy's: no named target.
  EXPECT_FALSE(proxied_dest(&names, names.conn(leg("C4", 50004, 1'700'000'000 * kNsPerSec))).named);
  EXPECT_FALSE(proxied_dest(&names, nullptr).named);
  EXPECT_FALSE(proxied_dest(nullptr, c1).named);
}

TEST(ProxyDest, AFlowOnlyHostThroughAnInternalProxyHasTheNamedHostAsDestinationAndPair) {
  AppNames names;
  ActivityAggregator::Options o;
  std::string err;
  ASSERT_TRUE(o.internal.add("10.0.0.0/8", err)) << err;
  ActivityAggregator agg(o);
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  for (int i = 0; i < 6; ++i) {
    const std::string uid = "P" + std::to_string(i);
    const auto port = static_cast<uint16_t>(51000 + i);
    const bool google = i == 5;
    names.add(request(uid.c_str(), port, "CONNECT", google ? "www.google.com:443" : "beacon.example:443",
                      google ? "www.google.com" : "beacon.example"));
    agg.add(leg(uid.c_str(), port, t0 + i * 60 * kNsPerSec), Attribution{}, nullptr, &names);
  }
  // A direct session to the proxy's port without an http.log record stays the proxy's.
  agg.add(leg("Q", 52000, t0), Attribution{}, nullptr, &names);

  const ProcessActivity* a = nullptr;
  for (const auto& p : agg.processes())
    if (p.flow_only() && p.entity_ip == ip("10.1.0.18")) a = &p;
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->sessions, 6u);  // the proxy-only session is internal to internal: not outbound
  ASSERT_EQ(a->dests.size(), 2u);
  for (const auto& d : a->dests) {
    EXPECT_TRUE(d.ip.is_unset()) << d.domain;
    EXPECT_EQ(d.via_proxy, ip("10.1.0.16"));
    EXPECT_EQ(d.port, 443);
  }
  EXPECT_EQ(a->dests[0].domain, "beacon.example");
  EXPECT_EQ(a->dests[0].sessions, 5u);
  EXPECT_EQ(a->dests[0].bytes_out, 5u * 700);
  EXPECT_EQ(a->dests[1].domain, "www.google.com");
  EXPECT_EQ(destination_key(a->dests[0]), "beacon.example");
  EXPECT_TRUE(a->dest_ips.empty());  // the proxy's address is no destination address

  ASSERT_EQ(a->pairs.pairs().size(), 2u);
  for (const auto& p : a->pairs.pairs()) {
    EXPECT_TRUE(p.by_name);
    EXPECT_TRUE(p.ip.is_unset());
  }

  // Merged with another activity, named destinations stay apart and sum by name.
  ProcessActivity m;
  merge_activity(m, *a);
  merge_activity(m, *a);
  ASSERT_EQ(m.dests.size(), 2u);
  EXPECT_EQ(m.dests[0].sessions, 10u);
}

}  // namespace
}  // namespace outflow
