// Squid access.log records in the join: a session of their own to the named host when no
// sensor in front of the proxy saw the client; left to the sensor's session (never counted
// twice) when one did.
#include <gtest/gtest.h>

#include "outflow/features/proxy_dest.h"
#include "outflow/join/pipeline.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;

ProxyRecord squid(const char* client, uint16_t port, const char* method, const char* host, uint16_t hport, TimeNs end) {
  ProxyRecord p;
  p.client = ip(client);
  p.client_port = port;
  p.end = end;
  p.start = end - 2 * kNsPerSec;
  p.elapsed_known = true;
  p.proxy = "access.log";
  p.method = method;
  p.host = host;
  p.port = hport;
  p.result = "TCP_TUNNEL";
  p.bytes_to_client = 9000;
  return p;
}

struct Seen {
  Session s;
  ProxiedDest via;
  std::string name;
};

TEST(SquidSessions, WithoutASensorEachRequestIsASessionToTheNamedHost) {
  PipelineOptions po;
  po.proxies = {ProxyAddress{ip("10.0.0.1"), 3128}};
  std::vector<Seen> seen;
  std::unique_ptr<SessionPipeline> pipe;
  pipe = std::make_unique<SessionPipeline>(po, [&](const Session& s, const Attribution&) {
    const auto via = proxied_dest(&pipe->index().apps(), pipe->index().apps().conn(s));
    seen.push_back({s, via, std::string(via.name)});
  });
  const TimeNs t = 1'700'000'000 * kNsPerSec;
  ProxyRecord up = squid("10.0.0.5", 50000, "CONNECT", "drop.example", 443, t);
  up.bytes_from_client_known = true;
  up.bytes_from_client = 5'000'000;
  pipe->on_proxy(up);
  pipe->on_proxy(squid("10.0.0.5", 0, "GET", "plain.example", 80, t + kNsPerSec));  // native format: no port, no upload size
  ProxyRecord denied = squid("10.0.0.5", 50002, "CONNECT", "blocked.example", 443, t + 2 * kNsPerSec);
  denied.result = "TCP_DENIED";
  pipe->on_proxy(denied);
  pipe->finish();

  ASSERT_EQ(seen.size(), 2u);
  const Session& a = seen[0].s;
  EXPECT_EQ(a.orig_h, ip("10.0.0.5"));
  EXPECT_EQ(a.orig_p, 50000);
  EXPECT_EQ(a.resp_h, ip("10.0.0.1"));  // the one configured proxy
  EXPECT_EQ(a.resp_p, 3128);
  EXPECT_EQ(a.start, t - 2 * kNsPerSec);
  EXPECT_EQ(a.end, t);
  EXPECT_EQ(a.orig_bytes, 5'000'000u);
  EXPECT_EQ(a.resp_bytes, 9000u);
  EXPECT_FALSE(a.orig_unknown);
  EXPECT_TRUE(seen[0].via.named);
  EXPECT_EQ(seen[0].name, "drop.example");
  EXPECT_EQ(seen[0].via.port, 443);

  const Session& b = seen[1].s;
  EXPECT_TRUE(b.orig_unknown);  // Squid's native format does not log the upload: unknown, not 0
  EXPECT_EQ(b.gap, VolumeGap::not_logged);
  EXPECT_EQ(seen[1].name, "plain.example");
  EXPECT_EQ(seen[1].via.port, 80);

  const ProxyFinder& f = pipe->proxies();
  EXPECT_EQ(f.squid_records, 3u);
  EXPECT_EQ(f.squid_sessions, 2u);
  EXPECT_EQ(f.squid_unused, 1u);
  EXPECT_EQ(f.squid_seen_by_sensor, 0u);
}

TEST(SquidSessions, AClientTheSensorSawIsNotCountedTwice) {
  std::vector<Session> seen;
  SessionPipeline pipe(PipelineOptions{}, [&](const Session& s, const Attribution&) { seen.push_back(s); });
  const TimeNs t = 1'700'000'000 * kNsPerSec;
  AppRecord r;
  r.kind = AppKind::http;
  r.uid = "C1";
  r.orig_h = ip("10.0.0.5");
  r.orig_p = 50000;
  r.resp_h = ip("10.0.0.1");
  r.resp_p = 3128;
  r.ts = t - 2 * kNsPerSec;
  r.method = "CONNECT";
  r.uri = "drop.example:443";
  pipe.on_app(r);
  pipe.on_proxy(squid("10.0.0.5", 50000, "CONNECT", "drop.example", 443, t));  // the same transfer
  pipe.on_proxy(squid("10.0.0.9", 50001, "CONNECT", "other.example", 443, t));  // a client the sensor did not see
  pipe.finish();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].orig_h, ip("10.0.0.9"));
  EXPECT_TRUE(seen[0].resp_h.is_unset());  // no proxy configured: Squid does not log its own address
  EXPECT_EQ(pipe.proxies().squid_seen_by_sensor, 1u);
  EXPECT_EQ(pipe.proxies().squid_sessions, 1u);
}

}  // namespace
}  // namespace outflow
