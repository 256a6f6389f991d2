// Squid access.log reader on hand-written lines: native, extended, common and combined
// formats, CONNECT tunnels, the upload size only where the format has it, hostile lines; and
// the pipeline reading a Squid log (requests are read, not sessions, and not "not understood").
#include <gtest/gtest.h>

#include "outflow/read/squid/proxy_target.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/pipeline_run.h"

namespace outflow {
namespace {

using testing::epoch;
using testing::ip;
using testing::utc;

std::unique_ptr<testing::ReadResult> read(const std::string& text) { return testing::read_result(read_squid, text); }

const std::string kNative =
    "1157689312.049   5006 10.105.21.199 TCP_TUNNEL/200 19763 CONNECT login.example.com:443 alice HIER_DIRECT/203.0.113.115 -\n";

TEST(SquidReader, NativeConnect) {
  EXPECT_EQ(detect_format(kNative), InputFormat::squid);
  auto r = read(kNative);
  ASSERT_EQ(r->sink.proxy.size(), 1u);
  EXPECT_EQ(r->stats.proxy, 1u);
  const ProxyRecord& p = r->sink.proxy[0];
  EXPECT_EQ(p.end, epoch("1157689312.049"));
  EXPECT_EQ(p.end - p.start, 5006 * 1'000'000LL);
  EXPECT_EQ(p.client, ip("10.105.21.199"));
  EXPECT_EQ(p.client_port, 0);
  EXPECT_EQ(p.result, "TCP_TUNNEL");
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(p.bytes_to_client, 19763u);
  EXPECT_FALSE(p.bytes_from_client_known);  // the native format does not log the upload
  EXPECT_EQ(p.method, "CONNECT");
  EXPECT_EQ(p.url, "login.example.com:443");
  EXPECT_EQ(p.host, "login.example.com");
  EXPECT_EQ(p.port, 443);
  EXPECT_EQ(p.user, "alice");
  EXPECT_EQ(p.hierarchy, "HIER_DIRECT");
  EXPECT_EQ(p.peer_ip, ip("203.0.113.115"));
  EXPECT_TRUE(p.content_type.empty());
  EXPECT_EQ(p.proxy, "test-input");
}

TEST(SquidReader, ExtendedHasTheUploadAndClientPort) {
  const std::string l =
      "1773416970.881    545 10.105.21.199 32878 TCP_MISS/200 768 205 292 196 476 POST http://httpbin.org:8080/post 1.1 - "
      "HIER_DIRECT/192.0.2.30 80 application/json - - \"-\" \"curl/8.14.1\" \"httpbin.org\" \"-\" - -\n";
  auto r = read(l);
  ASSERT_EQ(r->sink.proxy.size(), 1u);
  const ProxyRecord& p = r->sink.proxy[0];
  EXPECT_EQ(p.client_port, 32878);
  EXPECT_EQ(p.bytes_to_client, 768u);
  EXPECT_TRUE(p.bytes_from_client_known);
  EXPECT_EQ(p.bytes_from_client, 205u);
  EXPECT_EQ(p.method, "POST");
  EXPECT_EQ(p.host, "httpbin.org");
  EXPECT_EQ(p.port, 8080);
  EXPECT_TRUE(p.user.empty());
  EXPECT_EQ(p.content_type, "application/json");
}

TEST(SquidReader, CommonAndCombined) {
  const std::string common =
      "10.0.0.5 - bob [10/Oct/2023:13:55:36 -0700] \"GET http://Example.COM/a?b HTTP/1.1\" 200 5120 TCP_MISS:HIER_DIRECT\n";
  const std::string combined =
      "10.0.0.6 - - [10/Oct/2023:13:55:37 +0000] \"CONNECT [2001:db8::1]:8443 HTTP/1.1\" 200 777 \"-\" \"Mozilla/5.0 (X11)\" "
      "TCP_TUNNEL:HIER_DIRECT\n";
  EXPECT_EQ(detect_format(common), InputFormat::squid);
  EXPECT_EQ(detect_format(combined), InputFormat::squid);
  // An Apache access log is not a proxy log: no result:hierarchy at the end.
  EXPECT_EQ(detect_format("10.0.0.5 - - [10/Oct/2023:13:55:36 -0700] \"GET / HTTP/1.1\" 200 5120\n"), InputFormat::unknown);
  auto r = read(common + combined);
  ASSERT_EQ(r->sink.proxy.size(), 2u);
  EXPECT_EQ(r->diag.bad_records(), 0u);
  const ProxyRecord& a = r->sink.proxy[0];
  EXPECT_EQ(a.end, utc("2023-10-10 20:55:36"));
  EXPECT_FALSE(a.elapsed_known);
  EXPECT_EQ(a.user, "bob");
  EXPECT_EQ(a.method, "GET");
  EXPECT_EQ(a.host, "example.com");
  EXPECT_EQ(a.port, 80);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.bytes_to_client, 5120u);
  EXPECT_FALSE(a.bytes_from_client_known);
  EXPECT_EQ(a.result, "TCP_MISS");
  EXPECT_EQ(a.hierarchy, "HIER_DIRECT");
  const ProxyRecord& b = r->sink.proxy[1];
  EXPECT_EQ(b.host, "2001:db8::1");
  EXPECT_EQ(b.port, 8443);
  EXPECT_TRUE(b.user.empty());
}

TEST(SquidReader, ProxyTarget) {
  std::string h;
  uint16_t p = 0;
  EXPECT_TRUE(squid::proxy_target("CONNECT", "8.8.8.8:443/", h, p));
  EXPECT_EQ(h, "8.8.8.8");
  EXPECT_EQ(p, 443);
  EXPECT_TRUE(squid::proxy_target("GET", "https://user:pw@www.example.org/x", h, p));
  EXPECT_EQ(h, "www.example.org");
  EXPECT_EQ(p, 443);
  EXPECT_TRUE(squid::proxy_target("GET", "ftp://[2001:db8::2]/f", h, p));
  EXPECT_EQ(h, "2001:db8::2");
  EXPECT_EQ(p, 21);
  EXPECT_FALSE(squid::proxy_target("GET", "/relative", h, p));
  EXPECT_TRUE(h.empty());
  EXPECT_FALSE(squid::proxy_target("CONNECT", "host:99999", h, p));
}

TEST(SquidReader, HostileLinesAreCountedNeverFatal) {
  std::string text;
  text += kNative.substr(0, 60) + "\n";                                                         // truncated
  text += "1157689312.049 5 10.0.0.1 TCP_MISS/200 99999999999999999999 GET http://a/ - DIRECT/1.2.3.4 -\n";  // absurd
  text += "1157689312.049 5 10.0.0.1 TCP_MISS/200 10 GET http://a/b c - DIRECT/1.2.3.4 -\n";    // space in URL
  text += "99999999999.049 5 10.0.0.1 TCP_MISS/200 10 GET http://a/ - DIRECT/1.2.3.4 -\n";     // time
  text += "10.0.0.5 - bob [10/Oct/2023:13:55:36 -0700] \"GET http://x/ HTTP/1.1 200 5 TCP_MISS:HIER_DIRECT\n";  // open quote
  text += "10.0.0.5 - bob [40/Foo/2023:13:55:36 -0700] \"GET http://x/ HTTP/1.1\" 200 5 TCP_MISS:HIER_DIRECT\n";  // bad time
  text += std::string(2 << 20, 'u') + "\n";                                                     // 2 MB line
  text += "garbage\n";
  text += kNative;
  auto r = read(text);
  EXPECT_EQ(r->sink.proxy.size(), 1u);
  EXPECT_EQ(r->diag.bad_records(), 8u);
  EXPECT_EQ(r->bad("Squid: absurd byte count (over 1 PiB)"), 1u);
  EXPECT_EQ(r->bad("Squid: no hierarchy/peer where expected (fields shifted: a space in the URL?)"), 1u);
  EXPECT_EQ(r->bad("Squid: bad time"), 1u);
  EXPECT_EQ(r->bad("Squid: line too long"), 1u);
  EXPECT_EQ(r->bad("Squid: bad [time]"), 1u);
}

// Through the CLI's reading and the pipeline: a Squid log gives requests (counted as records,
// so the file is not "no records"), no sessions yet.
// Without a sensor in front of the proxy, each request is a session of its own (join/squid_sessions.cc).
TEST(SquidReader, PipelineMakesEachRequestASession) {
  testing::PipelineRun run(kNative + kNative, "access.log");
  ASSERT_TRUE(run.ok) << run.error;
  const FileStats& stats = run.stats;
  EXPECT_EQ(stats.format, InputFormat::squid);
  EXPECT_EQ(stats.proxy, 2u);
  EXPECT_EQ(stats.records(), 2u);
  ASSERT_EQ(run.sessions.size(), 2u);
  EXPECT_TRUE(run.sessions[0].orig_unknown);  // the native format does not log the upload size
  EXPECT_TRUE(run.diag.bad_inputs().empty());
}

}  // namespace
}  // namespace outflow
