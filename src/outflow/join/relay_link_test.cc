// The link of a proxied session to the proxy's own connection out (join/relay_link.h), and its
// use in the pipeline (join/relay_sessions.cc): the address it gives, the bytes it fills only
// when unknown, each outer leg linked once, ties left unlinked, either arrival order.
#include "outflow/join/relay_link.h"

#include <gtest/gtest.h>

#include "outflow/features/proxy_dest.h"
#include "outflow/join/pipeline.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;

constexpr TimeNs kT = 1'700'000'000 * kNsPerSec;

RelayedFlow outer(const char* dest, TimeNs start, uint64_t out, uint64_t in) {
  RelayedFlow f;
  f.proxy = ip("10.0.0.1");
  f.dest = ip(dest);
  f.dest_port = 443;
  f.proto = kProtoTcp;
  f.start = start;
  f.end = start + 10 * kNsPerSec;
  f.out = out, f.in = in;
  return f;
}

ClientLeg leg(const char* name, TimeNs start, uint64_t out, uint64_t in) {
  ClientLeg l;
  l.proxy = ip("10.0.0.1");
  l.name = name;
  l.port = 443;
  l.proto = kProtoTcp;
  l.start = start;
  l.out = out, l.in = in;
  l.out_known = l.in_known = true;
  return l;
}

const RelayLinks::Resolves kNoDns = [](const IpAddr&, std::string_view) { return false; };

// The address of the outer leg `l` is linked to; unset when none.
IpAddr linked_to(RelayLinks& r, const ClientLeg& l) {
  const RelayedFlow* f = r.link(l, kNoDns);
  return f ? f->dest : IpAddr{};
}

TEST(RelayLinks, StartToleranceEdges) {
  // The outer leg may start kBefore before the client leg (a firewall's whole seconds, clocks)
  // and kAfter after it (the proxy's lookup and connect); not a nanosecond more.
  for (const auto& [offset, linked] : {std::pair{-RelayLinks::kBefore, true}, std::pair{-RelayLinks::kBefore - 1, false},
                                       std::pair{RelayLinks::kAfter, true}, std::pair{RelayLinks::kAfter + 1, false}}) {
    RelayLinks r;
    r.add(outer("203.0.113.7", kT + offset, 5000, 90000), kT);
    const RelayedFlow* f = r.link(leg("a.example", kT, 5200, 90039), kNoDns);
    EXPECT_EQ(f != nullptr, linked) << offset;
    EXPECT_EQ(r.counts().sessions_linked, linked ? 1u : 0u);
    EXPECT_EQ(r.counts().sessions_unlinked, linked ? 0u : 1u);
  }
}

TEST(RelayLinks, PortAndBytesMustAgree) {
  RelayLinks r;
  RelayedFlow other_port = outer("203.0.113.7", kT, 5000, 90000);
  other_port.dest_port = 80;
  r.add(other_port, kT);
  r.add(outer("203.0.113.8", kT, 5000, 400'000), kT);  // bytes in four times the client's
  EXPECT_EQ(r.link(leg("a.example", kT, 5200, 90039), kNoDns), nullptr);
  // The CONNECT exchange (a few hundred bytes) and IP headers of a firewall's count are within.
  RelayedFlow fw = outer("203.0.113.9", kT, 5000 + 40 * 20, 90000 + 40 * 70);
  fw.ip_bytes = true, fw.out_pkts = 20, fw.in_pkts = 70;
  r.add(fw, kT);
  EXPECT_EQ(linked_to(r, leg("a.example", kT, 5200, 90039)), ip("203.0.113.9"));
}

TEST(RelayLinks, EachOuterLegIsLinkedOnceAndTheClosestBytesWin) {
  RelayLinks r;
  r.add(outer("203.0.113.1", kT, 5000, 90000), kT);
  r.add(outer("203.0.113.2", kT, 5000, 91000), kT);
  EXPECT_EQ(linked_to(r, leg("a.example", kT, 5200, 91039)), ip("203.0.113.2"));
  EXPECT_EQ(linked_to(r, leg("a.example", kT, 5200, 91039)), ip("203.0.113.1"));  // the same again: only the other is left
  EXPECT_EQ(r.link(leg("a.example", kT, 5200, 91039), kNoDns), nullptr);
  EXPECT_EQ(r.counts().linked, 2u);
  r.finish();
  EXPECT_EQ(r.counts().no_candidate, 0u);
}

TEST(RelayLinks, TheConnectExchangeCostsNothing) {
  // A small tunnel (the bench input's case): its own outer leg carries 102 bytes less out (the
  // CONNECT request) and 39 less in; another host's, 2.6 s later, is closer by the plain distance.
  RelayLinks r;
  r.add(outer("52.84.27.117", kT - 383 * kNsPerSec / 1000, 752, 38659), kT);
  r.add(outer("52.84.61.147", kT + 2617 * kNsPerSec / 1000, 826, 39292), kT);
  EXPECT_EQ(linked_to(r, leg("static.example", kT, 854, 38698)), ip("52.84.27.117"));
}

TEST(RelayLinks, TwoEquallyGoodCandidatesAreNoLink) {
  RelayLinks r;
  r.add(outer("203.0.113.1", kT, 5000, 90000), kT);
  r.add(outer("203.0.113.2", kT, 5000, 90000), kT);
  EXPECT_EQ(r.link(leg("a.example", kT, 5200, 90039), kNoDns), nullptr);
  EXPECT_EQ(r.counts().sessions_ambiguous, 1u);
  r.finish();
  EXPECT_EQ(r.counts().ambiguous, 2u);
  EXPECT_EQ(r.counts().linked, 0u);
}

TEST(RelayLinks, TheNameDecidesWhereKnown) {
  RelayLinks r;
  RelayedFlow sni_other = outer("203.0.113.1", kT, 5000, 90000);
  sni_other.name = "b.example";  // the outside sensor's SNI: another host
  r.add(sni_other, kT);
  r.add(outer("203.0.113.2", kT, 5000, 90000), kT);
  r.add(outer("203.0.113.3", kT, 5000, 90000), kT);
  // The DNS answers seen for a.example name .3: it wins over .2 (a tie on time and bytes).
  const auto dns = [](const IpAddr& a, std::string_view n) { return a == ip("203.0.113.3") && same_host_name(n, "A.Example"); };
  const RelayedFlow* f = r.link(leg("a.example", kT, 5200, 90039), dns);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->dest, ip("203.0.113.3"));
  // A request naming an address takes only that address.
  ClientLeg lit = leg("", kT, 5200, 90039);
  lit.named_ip = ip("203.0.113.1");
  const RelayedFlow* g = r.link(lit, kNoDns);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->dest, ip("203.0.113.1"));
}

TEST(RelayLinks, ForgottenByRecordTimeAndCapped) {
  RelayLinks r(RelayLinks::Options{2});
  r.add(outer("203.0.113.1", kT, 5000, 90000), kT);
  r.add(outer("203.0.113.2", kT + kNsPerSec, 6000, 90000), kT + kNsPerSec);
  r.add(outer("203.0.113.3", kT + 2 * kNsPerSec, 70000, 90000), kT + 2 * kNsPerSec);  // the first goes: full
  EXPECT_EQ(r.counts().overflow, 1u);
  EXPECT_EQ(r.held(), 2u);
  r.expire(kT + 2 * kNsPerSec);  // arrived before: forgotten, unlinked
  EXPECT_EQ(r.counts().no_candidate, 1u);
  EXPECT_EQ(r.held(), 1u);
  EXPECT_EQ(r.link(leg("a.example", kT + kNsPerSec, 6100, 90039), kNoDns), nullptr);  // .2 is gone
}

// The pipeline: Zeek's client leg (CONNECT on http.log) and the firewall's record of the
// proxy's connection out.
struct Proxied {
  std::vector<Session> seen;
  std::vector<ProxiedDest> via;
  std::unique_ptr<SessionPipeline> pipe;
  explicit Proxied(bool merge = false) {
    PipelineOptions po;
    po.proxies = {ProxyAddress{ip("10.0.0.1"), 3128}};
    po.merge_sensors = merge;  // on: sessions come out of the sensor merge late; off: straight from the stitcher
    pipe = std::make_unique<SessionPipeline>(po, [this](const Session& s, const Attribution&) {
      seen.push_back(s);
      via.push_back(proxied_dest(&pipe->index().apps(), pipe->index().apps().conn(s)));
    });
  }
  void connect(const char* uid, uint16_t cport, const char* host, TimeNs start, uint64_t out, uint64_t in) {
    AppRecord r;
    r.kind = AppKind::http;
    r.uid = uid;
    r.orig_h = ip("10.0.0.5"), r.orig_p = cport, r.resp_h = ip("10.0.0.1"), r.resp_p = 3128;
    r.ts = start;
    r.method = "CONNECT";
    r.uri = std::string(host) + ":443";
    pipe->on_app(r);
    FlowRecord f;
    f.source = FlowSource::zeek_conn;
    f.uid = uid;
    f.orig_h = r.orig_h, f.orig_p = cport, f.resp_h = r.resp_h, f.resp_p = 3128, f.proto = kProtoTcp;
    f.start = start, f.end = start + 10 * kNsPerSec;
    f.orig_bytes = out, f.resp_bytes = in, f.orig_pkts = 20, f.resp_pkts = 70;
    f.conn_state = "SF";
    pipe->advance(f.end);
    pipe->on_flow(f);
  }
  void relayed(const char* dest, TimeNs start, uint64_t out, uint64_t in) {
    FlowRecord f;
    f.source = FlowSource::panos;
    f.orig_h = ip("10.0.0.1"), f.orig_p = 40001, f.resp_h = ip(dest), f.resp_p = 443, f.proto = kProtoTcp;
    f.start = start, f.end = start + 10 * kNsPerSec;
    f.orig_bytes = out + 40 * 20, f.resp_bytes = in + 40 * 70, f.orig_pkts = 20, f.resp_pkts = 70;
    f.verdict = FlowVerdict::allowed;
    pipe->advance(f.end);
    pipe->on_flow(f);
  }
  // A Zeek sensor outside the proxy: its ssl.log names the outer leg's destination (SNI).
  void relayed_zeek(const char* uid, const char* dest, TimeNs start, uint64_t out, uint64_t in, const char* sni) {
    AppRecord a;
    a.kind = AppKind::ssl;
    a.uid = uid;
    a.orig_h = ip("10.0.0.1"), a.orig_p = 40002, a.resp_h = ip(dest), a.resp_p = 443;
    a.ts = start;
    a.name = sni;
    pipe->on_app(a);
    FlowRecord f;
    f.source = FlowSource::zeek_conn;
    f.uid = uid;
    f.orig_h = a.orig_h, f.orig_p = a.orig_p, f.resp_h = a.resp_h, f.resp_p = 443, f.proto = kProtoTcp;
    f.start = start, f.end = start + 10 * kNsPerSec;
    f.orig_bytes = out, f.resp_bytes = in, f.orig_pkts = 20, f.resp_pkts = 70;
    f.conn_state = "SF";
    pipe->advance(f.end);
    pipe->on_flow(f);
  }
};

TEST(RelaySessions, TheOutsideSensorsNameKeepsAnotherHostsLegApart) {
  Proxied run;
  // Two outer legs alike in time and bytes; the outside sensor's SNI says which host each is.
  run.relayed_zeek("R1", "198.51.100.1", kT + kNsPerSec / 100, 5000, 90000, "b.example");
  run.relayed_zeek("R2", "198.51.100.2", kT + kNsPerSec / 100, 5000, 90000, "A.example");
  run.connect("C1", 50000, "a.example", kT, 5300, 90039);
  run.pipe->finish();
  ASSERT_EQ(run.seen.size(), 1u);
  EXPECT_EQ(run.seen[0].relay_h, ip("198.51.100.2"));  // not a tie: the other names b.example
  EXPECT_EQ(run.pipe->proxies().relay.counts().linked, 1u);
  EXPECT_EQ(run.pipe->proxies().relay.counts().no_candidate, 1u);
  EXPECT_EQ(run.pipe->index().apps().conns(), 0u);  // the outer legs' ssl records are not kept
}

class RelaySessionsOrder : public ::testing::TestWithParam<bool> {};

TEST_P(RelaySessionsOrder, ZeekClientLegGetsTheOuterLegsAddressWhicheverComesFirst) {
  Proxied run(GetParam());
  run.relayed("203.0.113.7", kT + 5 * kNsPerSec / 1000, 5000, 90000);                    // before its client leg
  run.connect("C1", 50000, "a.example", kT, 5300, 90039);
  run.connect("C2", 50001, "b.example", kT + 100 * kNsPerSec, 7300, 40039);              // before its outer leg
  run.relayed("198.51.100.9", kT + 100 * kNsPerSec + 4 * kNsPerSec / 1000, 7000, 40000);
  run.connect("C3", 50002, "c.example", kT + 200 * kNsPerSec, 1300, 2039);               // no outer leg at all
  run.pipe->finish();
  ASSERT_EQ(run.seen.size(), 3u);
  for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(run.via[i].named);
  EXPECT_EQ(run.seen[0].relay_h, ip("203.0.113.7"));
  EXPECT_EQ(run.seen[1].relay_h, ip("198.51.100.9"));
  EXPECT_TRUE(run.seen[2].relay_h.is_unset());
  for (const Session& s : run.seen) {
    EXPECT_EQ(s.resp_h, ip("10.0.0.1"));  // the session is still the client leg
    EXPECT_FALSE(s.orig_from_relay);      // its bytes were known: never replaced nor added to
  }
  EXPECT_EQ(run.seen[0].orig_bytes, 5300u);
  const ProxyFinder& f = run.pipe->proxies();
  EXPECT_EQ(f.relayed_flows, 2u);
  EXPECT_EQ(f.relay.counts().linked, 2u);
  EXPECT_EQ(f.relay.counts().sessions_linked, 2u);
  EXPECT_EQ(f.relay.counts().sessions_unlinked, 1u);
  EXPECT_EQ(run.pipe->stats().sessions, 3u);  // the outer legs are no sessions of their own
}

INSTANTIATE_TEST_SUITE_P(MergeOnOff, RelaySessionsOrder, ::testing::Bool());

TEST(RelaySessions, SquidSessionTakesTheOuterLegsBytesOutOnlyWhenUnknown) {
  Proxied run;
  const TimeNs end = kT + 30 * kNsPerSec;
  ProxyRecord p;
  p.client = ip("10.0.0.9");
  p.end = end;
  p.start = kT;
  p.elapsed_known = true;
  p.proxy = "access.log";
  p.method = "CONNECT";
  p.host = "drop.example";
  p.port = 443;
  p.result = "TCP_TUNNEL";
  p.bytes_to_client = 90039;  // native format: no upload size
  ProxyRecord known = p;
  known.host = "up.example", known.start = kT + 50 * kNsPerSec, known.end = kT + 80 * kNsPerSec;
  known.bytes_from_client_known = true, known.bytes_from_client = 5300;
  run.relayed("192.0.2.1", kT - 1000 * kNsPerSec, 100, 100);  // the proxy's earlier traffic: the link is on
  run.pipe->advance(end);
  run.pipe->on_proxy(p);  // the Squid line comes first: its session waits for the outer leg
  run.relayed("203.0.113.7", kT + 3 * kNsPerSec / 1000, 2'000'000, 90000);
  run.pipe->advance(known.end);
  run.pipe->on_proxy(known);
  run.relayed("198.51.100.9", known.start + kNsPerSec / 1000, 5000, 90000);
  run.pipe->finish();
  ASSERT_EQ(run.seen.size(), 2u);
  EXPECT_EQ(run.pipe->proxies().relay.counts().no_candidate, 1u);  // the earlier one
  const Session& a = run.seen[0];
  EXPECT_EQ(a.relay_h, ip("203.0.113.7"));
  EXPECT_TRUE(a.orig_from_relay);
  EXPECT_FALSE(a.orig_unknown);
  EXPECT_EQ(a.orig_bytes, 2'000'000u + 40 * 20);  // as the firewall logged it
  const Session& b = run.seen[1];
  EXPECT_EQ(b.relay_h, ip("198.51.100.9"));
  EXPECT_FALSE(b.orig_from_relay);
  EXPECT_EQ(b.orig_bytes, 5300u);  // known: kept, not added to
  EXPECT_EQ(run.pipe->proxies().relay.counts().bytes_filled, 1u);
}

TEST(RelaySessions, NoProxyNoHold) {
  Proxied run;
  run.connect("C1", 50000, "a.example", kT, 5300, 90039);  // no relayed flow read yet: delivered at once
  EXPECT_EQ(run.seen.size(), 1u);
  EXPECT_EQ(run.pipe->relay_held(), 0u);
}

}  // namespace
}  // namespace outflow
