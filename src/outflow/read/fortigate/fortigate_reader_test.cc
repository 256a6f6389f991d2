// FortiGate traffic reader on hand-written lines: fields, NAT, times, interim and close logs of
// one session stitched into one, failed connections, and hostile lines.
#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"
#include "outflow/testing/pipeline_run.h"

namespace outflow {
namespace {

using testing::ip;
using testing::utc;

std::string line(const std::string& action, const std::string& bytes = "sentbyte=1188 rcvdbyte=1224 sentpkt=17 rcvdpkt=16",
                 const std::string& extra = "") {
  return "<189>date=2019-05-10 time=11:37:47 devname=\"fw1\" devid=\"FGT60E\" logid=\"0000000013\" type=\"traffic\" "
         "subtype=\"forward\" level=\"notice\" vd=\"root\" eventtime=1557513467369913239 tz=\"-0700\" srcip=10.1.100.11 "
         "srcport=58012 srcintf=\"port12\" dstip=81.2.69.142 dstport=443 sessionid=105048 proto=6 action=\"" +
         action + "\" policyid=1 service=\"HTTPS\" trandisp=\"snat\" transip=172.16.200.2 transport=40000 "
         "app=\"HTTPS.BROWSER\" user=\"alice\" duration=116 " + bytes + extra + "\n";
}

std::unique_ptr<testing::ReadResult> read(const std::string& text) { return testing::read_result(read_fortigate, text); }

TEST(FortigateReader, ReadsATrafficLine) {
  EXPECT_EQ(detect_format(line("close")), InputFormat::fortigate);
  auto r = read(line("close"));
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->diag.bad_records(), 0u);
  const FlowRecord& f = r->sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::fortigate);
  EXPECT_EQ(f.orig_h, ip("10.1.100.11"));
  EXPECT_EQ(f.resp_h, ip("81.2.69.142"));
  EXPECT_EQ(f.orig_p, 58012);
  EXPECT_EQ(f.resp_p, 443);
  EXPECT_EQ(f.proto, kProtoTcp);
  EXPECT_EQ(f.orig_bytes, 1188u);
  EXPECT_EQ(f.resp_bytes, 1224u);
  EXPECT_EQ(f.orig_pkts, 17u);
  EXPECT_EQ(f.resp_pkts, 16u);
  EXPECT_EQ(f.end, 1557513467369913239);  // eventtime (ns), when the log was written
  EXPECT_EQ(f.end - f.start, 116 * kNsPerSec);
  EXPECT_EQ(f.user, "alice");
  EXPECT_EQ(f.app, "HTTPS.BROWSER");
  EXPECT_EQ(f.action, "close");
  EXPECT_EQ(f.verdict, FlowVerdict::allowed);
  EXPECT_FALSE(f.interim);
  ASSERT_TRUE(f.has_nat);
  EXPECT_EQ(f.nat_orig_h, ip("172.16.200.2"));
  EXPECT_EQ(f.nat_orig_p, 40000);
  EXPECT_EQ(f.nat_resp_h, ip("81.2.69.142"));
  EXPECT_EQ(f.sensor, "FGT60E");
  EXPECT_EQ(f.uid, "fortigate:FGT60E:root:105048");
}

TEST(FortigateReader, TimesWithoutEventtime) {
  std::string l = line("close");
  l.erase(l.find("eventtime="), std::string("eventtime=1557513467369913239 ").size());
  auto r = read(l);
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].end, utc("2019-05-10 18:37:47"));  // date + time in tz -0700
  std::string s = line("close");
  s.replace(s.find("eventtime=1557513467369913239"), 29, "eventtime=1557513467");  // seconds
  r = read(s);
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].end, 1557513467 * kNsPerSec);
}

TEST(FortigateReader, FailedConnectionsHaveNoBytesAndAreDenied) {
  auto r = read(line("ip-conn", "") + line("deny", "sentbyte=0 rcvdbyte=0"));
  ASSERT_EQ(r->sink.flows.size(), 2u);
  EXPECT_TRUE(r->sink.flows[0].bytes_unknown);
  EXPECT_EQ(r->sink.flows[0].verdict, FlowVerdict::denied);
  EXPECT_FALSE(r->sink.flows[1].bytes_unknown);
  EXPECT_EQ(r->sink.flows[1].verdict, FlowVerdict::denied);
}

// An interim "accept" log and the "close" of the same session: one session, the close's bytes.
TEST(FortigateReader, InterimAndCloseAreOneSession) {
  testing::PipelineRun run(line("accept", "sentbyte=500 rcvdbyte=600") + line("close"), "fgt.log");
  ASSERT_TRUE(run.ok) << run.error;
  const auto& out = run.sessions;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].orig_bytes, 1188u);
  EXPECT_EQ(out[0].resp_bytes, 1224u);
  EXPECT_EQ(out[0].records, 2u);
}

TEST(FortigateReader, HostileLinesAreCountedNeverFatal) {
  std::string text;
  const std::string full = line("close");
  text += full.substr(0, full.find("subtype=\"") + 11) + "\n";              // truncated inside a quote
  text += line("close", "sentbyte=99999999999999999999 rcvdbyte=1");   // absurd
  text += line("close", "sentbyte=-5 rcvdbyte=1");                     // negative
  text += "date= desc=\"Object update\" msg=\"x\"\n";                   // no type
  text += "<189>logid=\"1\" type=\"utm\" date=2020-01-01 subtype=\"x\"\n";  // other type
  text += line("close", "sentbyte=1 rcvdbyte=1", " srcip=bad");        // duplicate key: first wins
  std::string bad_ip = line("close");
  bad_ip.replace(bad_ip.find("srcip=10.1.100.11"), 17, "srcip=10.1.100.");
  text += bad_ip;
  std::string far = full;  // microseconds past 2099: rejected before the multiply could overflow
  far.replace(far.find("eventtime=1557513467369913239"), 29, "eventtime=99999999999999999");
  text += far;
  text += std::string(2 << 20, 'x') + "\n";                             // 2 MB line
  text += full.substr(0, full.size() - 1) + std::string(1, '\0') + "\n";  // trailing NUL
  auto r = read(text);
  EXPECT_EQ(r->sink.flows.size(), 2u);
  EXPECT_EQ(r->bad("FortiGate: a quoted value is not closed (truncated line?)"), 1u);
  EXPECT_EQ(r->bad("FortiGate: absurd byte or packet count (over 1 PiB)"), 1u);
  EXPECT_EQ(r->bad("FortiGate: bad byte or packet count"), 1u);
  EXPECT_EQ(r->bad("FortiGate: no type= (not a log line)"), 1u);
  EXPECT_EQ(r->bad("FortiGate: bad srcip"), 1u);
  EXPECT_EQ(r->bad("FortiGate: line too long"), 1u);
  EXPECT_EQ(r->bad("FortiGate: bad eventtime"), 1u);
  EXPECT_EQ(r->diag.bad_records(), 7u);
  EXPECT_EQ(r->skipped("FortiGate utm logs (not traffic)"), 1u);
}

}  // namespace
}  // namespace outflow
