// Names from Zeek ssl/http/dhcp logs (AppNames) and what the pipeline makes of them and of
// capture_loss.log.
#include "outflow/join/app_names.h"

#include <gtest/gtest.h>

#include "outflow/join/pipeline.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;
using testing::utc;

AppRecord ssl(const char* uid, const char* o, uint16_t op, const char* r, TimeNs t, const char* sni) {
  AppRecord a;
  a.kind = AppKind::ssl;
  a.uid = uid;
  a.orig_h = ip(o);
  a.orig_p = op;
  a.resp_h = ip(r);
  a.resp_p = 443;
  a.ts = t;
  a.name = sni;
  return a;
}

AppRecord http(const char* uid, const char* o, uint16_t op, const char* r, TimeNs t, const char* host, const char* method,
               uint64_t body) {
  AppRecord a = ssl(uid, o, op, r, t, host);
  a.kind = AppKind::http;
  a.resp_p = 80;
  a.method = method;
  a.uri = "/";
  a.request_body_len = body;
  return a;
}

Session session(const char* uid, const char* o, uint16_t op, const char* r, uint16_t rp, TimeNs start, TimeNs end) {
  Session s;
  s.uid = uid;
  s.orig_h = ip(o);
  s.orig_p = op;
  s.resp_h = ip(r);
  s.resp_p = rp;
  s.proto = kProtoTcp;
  s.start = start;
  s.end = end;
  return s;
}

FlowRecord zeek_conn(const char* uid, const char* o, uint16_t op, const char* r, uint16_t rp, TimeNs start, TimeNs end) {
  FlowRecord f;
  f.source = FlowSource::zeek_conn;
  f.uid = uid;
  f.orig_h = ip(o);
  f.orig_p = op;
  f.resp_h = ip(r);
  f.resp_p = rp;
  f.proto = kProtoTcp;
  f.start = start;
  f.end = end;
  f.orig_bytes = 1000;
  f.orig_pkts = f.resp_pkts = 3;
  return f;
}

const TimeNs t0 = utc("2024-04-29 15:00:00");

TEST(AppNames, SniBeforeHostByUidThenByFiveTuple) {
  AppNames n;
  n.add(http("C1", "10.0.0.5", 40000, "198.51.100.7", t0 + kNsPerSec, "web.example", "POST", 5000));
  n.add(ssl("C1", "10.0.0.5", 40000, "198.51.100.7", t0 + 2 * kNsPerSec, "tls.example"));
  n.add(http("C1", "10.0.0.5", 40000, "198.51.100.7", t0 + 3 * kNsPerSec, "other.example", "GET", 7));
  const Session s = session("C1", "10.0.0.5", 40000, "198.51.100.7", 443, t0, t0 + 60 * kNsPerSec);
  EXPECT_EQ(n.conn_name(s), "tls.example");
  const AppNames::ConnApp* c = n.conn(s);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->http_requests, 2u);
  EXPECT_EQ(c->http_uploads, 1u);
  EXPECT_EQ(c->http_request_body, 5007u);
  EXPECT_EQ(n.name(c->host), "web.example");  // the first Host

  // No uid (NetFlow): by 5-tuple, either way round, only within the session's span.
  n.add(http("", "10.0.0.6", 40001, "198.51.100.8", t0 + 10 * kNsPerSec, "h.example", "GET", 0));
  Session nf = session("", "198.51.100.8", 80, "10.0.0.6", 40001, t0, t0 + 20 * kNsPerSec);
  EXPECT_EQ(n.conn_name(nf), "h.example");
  Session later = session("", "10.0.0.6", 40001, "198.51.100.8", 80, t0 + 3600 * kNsPerSec, t0 + 3700 * kNsPerSec);
  EXPECT_EQ(n.conn_name(later), "");  // the port reused an hour later
  EXPECT_EQ(n.conns(), 2u);
  n.forget(s);
  n.forget(nf);
  EXPECT_EQ(n.conns(), 0u);
  EXPECT_EQ(n.conn_name(s), "");
}

TEST(AppNames, ProxyRequestsNameNothing) {
  AppNames n;
  AppRecord a = http("C1", "10.0.0.5", 40000, "10.0.0.99", t0, "target.example", "GET", 0);
  a.uri = "http://target.example/x";
  n.add(a);
  AppRecord b = http("C2", "10.0.0.5", 40001, "10.0.0.99", t0, "target.example:443", "CONNECT", 0);
  b.uri = "target.example:443";
  n.add(b);
  EXPECT_EQ(n.conn_name(session("C1", "10.0.0.5", 40000, "10.0.0.99", 3128, t0, t0)), "");
  EXPECT_EQ(n.conn_name(session("C2", "10.0.0.5", 40001, "10.0.0.99", 3128, t0, t0)), "");
}

TEST(AppNames, TlsTunnelledThroughAProxyNamesItsConnectionOnly) {
  AppNames n;
  AppRecord c = http("C1", "10.0.0.5", 40000, "10.0.0.99", t0, "www.google.com:443", "CONNECT", 0);
  c.uri = "www.google.com:443";
  EXPECT_FALSE(n.add(c));
  EXPECT_FALSE(n.add(ssl("C1", "10.0.0.5", 40000, "10.0.0.99", t0 + kNsPerSec, "www.google.com")));
  EXPECT_TRUE(n.add(ssl("C2", "10.0.0.5", 40001, "198.51.100.7", t0, "direct.example")));
  EXPECT_TRUE(n.add(http("C3", "10.0.0.5", 40002, "198.51.100.8", t0, "web.example", "GET", 0)));
  EXPECT_EQ(n.conn_name(session("C1", "10.0.0.5", 40000, "10.0.0.99", 3128, t0, t0 + kNsPerSec)), "www.google.com");
}

TEST(AppNames, CapsCountWhatTheyDrop) {
  AppNames::Caps caps;
  caps.max_conns = 1;
  caps.max_leases = 1;
  AppNames n(caps);
  n.add(ssl("C1", "10.0.0.5", 1, "198.51.100.7", t0, "a.example"));
  n.add(ssl("C2", "10.0.0.5", 2, "198.51.100.7", t0, "b.example"));
  n.add(ssl("C1", "10.0.0.5", 1, "198.51.100.7", t0, "a.example"));  // known: no drop
  EXPECT_EQ(n.conns(), 1u);
  EXPECT_EQ(n.conns_dropped(), 1u);
  n.add_lease({t0, ip("10.0.2.15"), "John-PC", ""});
  n.add_lease({t0 + kNsPerSec, ip("10.0.2.15"), "John-PC", ""});  // the same lease, later
  n.add_lease({t0, ip("10.0.2.16"), "Mary-PC", ""});
  EXPECT_EQ(n.leases_dropped(), 1u);
  EXPECT_EQ(n.name_for_address(ip("10.0.2.16"), t0), "");
}

TEST(AppNames, DhcpNamesByTime) {
  AppNames n;
  const IpAddr a = ip("10.0.2.15");
  n.add_lease({t0, a, "John-PC", "m1"});
  n.add_lease({t0 + 3600 * kNsPerSec, a, "Mary-PC", "m2"});
  EXPECT_EQ(n.name_for_address(a, t0 - 600 * kNsPerSec), "John-PC");  // before any lease: the first
  EXPECT_EQ(n.name_for_address(a, t0 + 1800 * kNsPerSec), "John-PC");
  EXPECT_EQ(n.name_for_address(a, t0 + 7200 * kNsPerSec), "Mary-PC");
  EXPECT_EQ(n.name_for_address(a, kNoTime), "Mary-PC");
  EXPECT_EQ(n.name_for_address(ip("10.0.2.16"), t0), "");
}

TEST(AppNamesPipeline, SniNamesTheSessionBeforeDnsAndOtherSessionsByTime) {
  PipelineOptions opt;
  std::vector<std::string> names;
  SessionPipeline* pp = nullptr;
  SessionPipeline p(opt, [&](const Session& s, const Attribution&) {
    names.push_back(pp->index().destination_name(s, s.resp_h, kNoHost, s.orig_h));
  });
  pp = &p;
  DnsAnswer d;
  d.time = t0 - kNsPerSec;
  d.client = ip("10.0.0.5");
  d.query = "cdn.example";
  d.answers = {ip("198.51.100.7")};
  p.on_dns(d);
  p.on_app(ssl("C1", "10.0.0.5", 40000, "198.51.100.7", t0 + kNsPerSec / 10, "files.example"));
  p.on_flow(zeek_conn("C1", "10.0.0.5", 40000, "198.51.100.7", 443, t0, t0 + 30 * kNsPerSec));
  // Another connection to the address, without ssl.log: the latest name before it.
  p.on_flow(zeek_conn("C2", "10.0.0.5", 40001, "198.51.100.7", 443, t0 + 60 * kNsPerSec, t0 + 70 * kNsPerSec));
  // Another client, whose DNS said nothing: still the address's name (any asker).
  p.on_flow(zeek_conn("C3", "10.0.0.9", 40002, "198.51.100.7", 443, t0 + 60 * kNsPerSec, t0 + 70 * kNsPerSec));
  p.finish();
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0], "files.example");
  EXPECT_EQ(names[1], "files.example");
  EXPECT_FALSE(names[2].empty());
  EXPECT_EQ(p.stats().app_records, 1u);
  EXPECT_EQ(p.index().apps().conns(), 0u);  // forgotten once its session was emitted
}

// dns.log's reverse lookups name the addresses they ask for, as DHCP does (issue 12: a flow-only
// host's name "from a reverse name in dns.log"); a forward query's CNAME names nothing.
TEST(AppNamesPipeline, ReverseLookupsNameTheirAddress) {
  SessionPipeline p(PipelineOptions{}, nullptr);
  DnsAnswer d;
  d.time = t0;
  d.client = ip("10.0.0.5");
  d.query = "15.2.0.10.in-addr.arpa";
  d.qtype = 12;
  d.ptr_name = "ws-0015.corp.example";
  p.on_dns(d);
  EXPECT_EQ(p.index().name_for_address(ip("10.0.2.15"), t0 + kNsPerSec), "ws-0015.corp.example");
  d.query = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
  d.ptr_name = "v6host.corp.example";
  p.on_dns(d);
  EXPECT_EQ(p.index().name_for_address(ip("2001:db8::1"), t0), "v6host.corp.example");
  d.query = "www.example.com";  // a forward query whose first name answer is a CNAME
  d.ptr_name = "cdn.example.net";
  d.answers = {ip("198.51.100.7")};
  p.on_dns(d);
  EXPECT_EQ(p.index().name_for_address(ip("198.51.100.7"), t0), "");
}

TEST(IpReverseName, ParsesFullNamesOnly) {
  IpAddr a;
  ASSERT_TRUE(IpAddr::from_reverse_name("4.3.2.10.IN-ADDR.ARPA.", a));
  EXPECT_EQ(a, ip("10.2.3.4"));
  EXPECT_FALSE(IpAddr::from_reverse_name("2.10.in-addr.arpa", a));        // a zone, not an address
  EXPECT_FALSE(IpAddr::from_reverse_name("5.4.3.2.10.in-addr.arpa", a));  // five labels
  EXPECT_FALSE(IpAddr::from_reverse_name("256.3.2.10.in-addr.arpa", a));
  EXPECT_FALSE(IpAddr::from_reverse_name("x.3.2.10.in-addr.arpa", a));
  EXPECT_FALSE(IpAddr::from_reverse_name("..2.10.in-addr.arpa", a));
  EXPECT_FALSE(IpAddr::from_reverse_name("in-addr.arpa", a));
  EXPECT_FALSE(IpAddr::from_reverse_name("example.com", a));
  EXPECT_FALSE(IpAddr::from_reverse_name("1.0.ip6.arpa", a));
  ASSERT_TRUE(IpAddr::from_reverse_name("B.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa", a));
  EXPECT_EQ(a, ip("4321:0:1:2:3:4:567:89ab"));
}

TEST(AppNamesPipeline, DhcpAndCaptureLoss) {
  SessionPipeline p(PipelineOptions{}, nullptr);
  p.on_dhcp({t0, ip("10.0.2.15"), "John-PC", "08:00:27:7f:09:e1"});
  EXPECT_EQ(p.index().name_for_address(ip("10.0.2.15"), t0 + kNsPerSec), "John-PC");
  CaptureLossRecord l;
  l.peer = "worker-1";
  l.ts_delta = 900 * kNsPerSec;
  l.acks = 1000;
  l.ts = t0;
  p.on_capture_loss(l);  // no loss
  l.ts = t0 + 900 * kNsPerSec;
  l.gaps = 125;
  l.percent_lost = 12.5;
  p.on_capture_loss(l);
  l.ts = t0 + 1800 * kNsPerSec;
  l.gaps = 10;
  l.percent_lost = 1.0;
  p.on_capture_loss(l);
  const CaptureLoss& c = p.stats().capture_loss.at("worker-1");
  EXPECT_EQ(c.intervals, 3u);
  EXPECT_EQ(c.intervals_with_loss, 2u);
  EXPECT_DOUBLE_EQ(c.max_percent, 12.5);
  EXPECT_EQ(c.gaps, 135u);
  EXPECT_EQ(c.acks, 3000u);
  EXPECT_EQ(c.first_loss, t0);
  EXPECT_EQ(c.last_loss, t0 + 1800 * kNsPerSec);
  ASSERT_EQ(c.lossy.size(), 2u);
  EXPECT_DOUBLE_EQ(p.stats().max_loss_between(t0 + 100 * kNsPerSec, t0 + 200 * kNsPerSec), 12.5);
  EXPECT_DOUBLE_EQ(p.stats().max_loss_between(t0 + 1000 * kNsPerSec, t0 + 1100 * kNsPerSec), 1.0);
  EXPECT_DOUBLE_EQ(p.stats().max_loss_between(t0 - 2000 * kNsPerSec, t0 - 1000 * kNsPerSec), 0.0);
}

// files.log: what the originator sent counts on its connection, what the responder sent does not.
TEST(AppNames, FilesSentByTheOriginatorCountOnTheConnection) {
  AppNames n;
  FileRecord f;
  f.ts = t0 + kNsPerSec;
  f.uid = "Cf";
  f.is_orig = 1;
  f.seen_bytes = 4000;
  f.total_bytes = 5000;
  f.filename = "a.zip";
  f.mime_type = "application/zip";
  n.add_file(f);
  f.is_orig = 0;
  f.filename = "index.html";
  n.add_file(f);
  f.is_orig = -1;  // no is_orig: the sender is the originator
  f.tx = f.orig_h = ip("10.0.0.5");
  f.total_bytes = 10;
  f.seen_bytes = 0;
  n.add_file(f);
  n.add(http("Cf", "10.0.0.5", 40000, "198.51.100.7", t0 + 2 * kNsPerSec, "", "POST", 700));
  const AppNames::ConnApp* c = n.conn(session("Cf", "10.0.0.5", 40000, "198.51.100.7", 80, t0, t0 + 60 * kNsPerSec));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->files_sent, 2u);
  EXPECT_EQ(c->file_bytes, 5010u);
  EXPECT_EQ(n.name(c->file_name), "a.zip");
  EXPECT_EQ(n.name(c->file_mime), "application/zip");
  EXPECT_EQ(c->http_uploads, 1u);
  EXPECT_EQ(c->upload_body, 700u);
  EXPECT_EQ(n.name(c->upload_uri), "/");
}

}  // namespace
}  // namespace outflow
