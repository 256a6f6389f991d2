// ProxyAttribution: a proxied session left ambiguous (every process of the host talks to
// proxy:3128) is the process that an exactly matched session naming the same host taught; not
// when two processes taught it, nor once that process is forgotten, nor for another host name.
#include "outflow/join/proxy_attribution.h"

#include <gtest/gtest.h>

#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::ip;
using testing::start;

constexpr TimeNs kT0 = 1'700'000'000 * kNsPerSec;

struct World {
  HostRegistry hosts;
  ProcessTable procs{hosts};
  AppNames apps;
  ProxyAttribution pa;
  HostId h = hosts.intern("WS1");
  ProcId spawn(const char* guid, const char* image) {
    return procs.on_event(start("WS1", guid, "{R}", image, "C:\\Windows\\explorer.exe", kT0), h);
  }
  // A connection to the proxy whose CONNECT named `host`, as a session.
  Session proxied(const char* uid, uint16_t sport, const char* host, TimeNs t) {
    AppRecord r;
    r.kind = AppKind::http;
    r.uid = uid;
    r.orig_h = ip("10.1.16.20");
    r.orig_p = sport;
    r.resp_h = ip("10.1.0.3");
    r.resp_p = 3128;
    r.ts = t;
    r.method = "CONNECT";
    r.name = host;
    r.uri = std::string(host) + ":443";
    apps.add(r);
    Session s;
    s.uid = uid;
    s.orig_h = r.orig_h, s.orig_p = sport, s.resp_h = r.resp_h, s.resp_p = 3128, s.proto = kProtoTcp;
    s.start = t, s.end = t + kNsPerSec;
    return s;
  }
  Attribution refine(const Session& s, AttributionStatus status, ProcId proc = kNoProc) {
    Attribution a;
    a.status = status;
    a.host = h;
    a.proc = proc;
    pa.refine(s, apps, procs, a);
    return a;
  }
};

TEST(ProxyAttribution, AnAmbiguousProxiedSessionIsTheProcessThatNamedTheHost) {
  World w;
  const ProcId rclone = w.spawn("{A}", "C:\\tools\\rclone.exe");
  const ProcId browser = w.spawn("{B}", "C:\\Program Files\\Edge\\msedge.exe");
  // Each process's first connection has its own Sysmon 3 (matched).
  EXPECT_EQ(w.refine(w.proxied("C1", 50001, "g.api.mega.co.nz", kT0 + 10 * kNsPerSec), AttributionStatus::matched, rclone).status,
            AttributionStatus::matched);
  w.refine(w.proxied("C2", 50002, "www.bing.com", kT0 + 11 * kNsPerSec), AttributionStatus::matched, browser);
  // Later ones have none: the attributor finds both at proxy:3128.
  Attribution a = w.refine(w.proxied("C3", 50003, "g.api.mega.co.nz", kT0 + 600 * kNsPerSec), AttributionStatus::ambiguous);
  EXPECT_EQ(a.status, AttributionStatus::inferred);
  EXPECT_EQ(a.proc, rclone);
  a = w.refine(w.proxied("C4", 50004, "www.bing.com", kT0 + 601 * kNsPerSec), AttributionStatus::no_endpoint_event);
  EXPECT_EQ(a.status, AttributionStatus::inferred);
  EXPECT_EQ(a.proc, browser);
  // A host nobody named before stays as it was.
  a = w.refine(w.proxied("C5", 50005, "example.org", kT0 + 602 * kNsPerSec), AttributionStatus::ambiguous);
  EXPECT_EQ(a.status, AttributionStatus::ambiguous);
  EXPECT_EQ(a.proc, kNoProc);
  // Two processes taught the same host: no guess.
  w.refine(w.proxied("C6", 50006, "g.api.mega.co.nz", kT0 + 700 * kNsPerSec), AttributionStatus::matched, browser);
  a = w.refine(w.proxied("C7", 50007, "g.api.mega.co.nz", kT0 + 800 * kNsPerSec), AttributionStatus::ambiguous);
  EXPECT_EQ(a.status, AttributionStatus::ambiguous);
  EXPECT_EQ(w.pa.inferred(), 2u);
}

TEST(ProxyAttribution, AProcessLongEndedTeachesNothing) {
  World w;
  const ProcId p = w.spawn("{A}", "C:\\tools\\curl.exe");
  w.refine(w.proxied("C1", 50001, "upload.example.net", kT0 + kNsPerSec), AttributionStatus::matched, p);
  w.procs.on_event(testing::end("WS1", "{A}", kT0 + 60 * kNsPerSec), w.h);
  Attribution a = w.refine(w.proxied("C2", 50002, "upload.example.net", kT0 + 2 * 86400 * kNsPerSec), AttributionStatus::ambiguous);
  EXPECT_EQ(a.status, AttributionStatus::ambiguous);
  // Not a proxied session (no CONNECT on it): left alone.
  Session plain;
  plain.uid = "C9";
  plain.orig_h = ip("10.1.16.20"), plain.resp_h = ip("203.0.113.5"), plain.resp_p = 443, plain.proto = kProtoTcp;
  plain.start = kT0, plain.end = kT0 + kNsPerSec;
  EXPECT_EQ(w.refine(plain, AttributionStatus::no_endpoint_event).status, AttributionStatus::no_endpoint_event);
}

}  // namespace
}  // namespace outflow
