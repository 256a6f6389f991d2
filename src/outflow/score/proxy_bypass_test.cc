// proxy_bypass: direct web traffic from a host while the organisation uses an explicit proxy.
#include "outflow/score/proxy_bypass.h"

#include <gtest/gtest.h>

#include "outflow/score/hunter.h"
#include "outflow/score/retire.h"
#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::ip;

AppRecord connect_req(const char* client, uint16_t port, TimeNs t) {
  AppRecord a;
  a.kind = AppKind::http;
  a.orig_h = ip(client);
  a.orig_p = port;
  a.resp_h = ip("10.0.0.1");
  a.resp_p = 3128;
  a.method = "CONNECT";
  a.uri = "updates.example:443";
  a.name = "updates.example";
  a.ts = t;
  return a;
}

// Flows as `outflow hunt` wires them; with `proxied`, two clients go through 10.0.0.1:3128.
std::vector<Finding> hunt(bool proxied, std::deque<ProcessActivity>& keep) {
  DetectConfig cfg = default_config();
  ActivityAggregator agg(Hunter::aggregator_options(cfg));
  std::unique_ptr<SessionPipeline> pipe;
  pipe = std::make_unique<SessionPipeline>(PipelineOptions{}, [&](const Session& s, const Attribution& a) {
    agg.add(s, a, &pipe->processes(), &pipe->index().apps());
  });
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  for (int i = 0; proxied && i < 4; ++i) {
    const char* client = i % 2 ? "10.0.0.6" : "10.0.0.5";
    const auto port = static_cast<uint16_t>(41000 + i);
    const TimeNs t = t0 + i * 60 * kNsPerSec;
    pipe->on_app(connect_req(client, port, t));
    pipe->on_flow(testing::netflow(client, port, "10.0.0.1", 3128, t, t + 5 * kNsPerSec, 20'000'000));
  }
  pipe->on_flow(testing::netflow("10.0.0.7", 42000, "203.0.113.9", 443, t0, t0 + 60 * kNsPerSec, 30'000'000));
  pipe->finish();
  Retirer retirer(cfg, *pipe, agg);
  Hunter h(cfg, nullptr);
  h.keep_all_explanations(true);
  HuntResult r = h.run(*pipe, agg, nullptr, &retirer);
  keep = std::move(r.activities);
  return r.findings;
}

const Factor* factor(const std::vector<Finding>& fs, const char* host, const char* name) {
  for (const auto& f : fs)
    if (f.act && f.act->entity_ip == ip(host))
      for (const auto& x : f.factors)
        if (x.name == name) return &x;
  return nullptr;
}

bool has_finding(const std::vector<Finding>& fs, const char* host) {
  for (const auto& f : fs)
    if (f.act && f.act->entity_ip == ip(host)) return true;
  return false;
}

TEST(ProxyBypass, DirectWebTrafficWhileTheOrganisationUsesAProxy) {
  std::deque<ProcessActivity> keep;
  auto fs = hunt(true, keep);
  ASSERT_TRUE(has_finding(fs, "10.0.0.7"));
  const Factor* f = factor(fs, "10.0.0.7", "proxy_bypass");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->contribution, kProxyBypassPoints);
  EXPECT_NE(f->observed.find("1 direct web session"), std::string::npos) << f->observed;
  EXPECT_NE(f->detail.find("203.0.113.9:443"), std::string::npos) << f->detail;
  // The clients that use the proxy do not bypass it.
  ASSERT_TRUE(has_finding(fs, "10.0.0.5"));
  EXPECT_EQ(factor(fs, "10.0.0.5", "proxy_bypass"), nullptr);

  // Without a proxy in use, direct web traffic is just web traffic.
  fs = hunt(false, keep);
  ASSERT_TRUE(has_finding(fs, "10.0.0.7"));
  EXPECT_EQ(factor(fs, "10.0.0.7", "proxy_bypass"), nullptr);
}

}  // namespace
}  // namespace outflow
