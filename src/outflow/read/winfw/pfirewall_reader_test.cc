// pfirewall.log reader on hand-written logs: the current 18-column header with pid, ALLOW and
// DROP rows, IPv6 and ICMP, sessions with unknown volume, hostile rows.
#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"
#include "outflow/testing/pipeline_run.h"

namespace outflow {
namespace {

using testing::ip;
using testing::utc;

const std::string kHeader =
    "#Version: 1.5\r\n#Software: Microsoft Windows Firewall\r\n#Time Format: Local\r\n"
    "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype "
    "icmpcode info path pid\r\n\r\n";

std::unique_ptr<testing::ReadResult> read(const std::string& text) { return testing::read_result(read_winfw, text); }

TEST(PfirewallReader, AllowAndDropRows) {
  const std::string text = kHeader +
                           "2024-03-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 50123 443 0 - - - - - - - SEND 4242\r\n"
                           "2024-03-01 10:00:02 DROP UDP 198.51.100.9 10.0.0.5 5353 5353 120 - - - - - - - RECEIVE 4\r\n"
                           "2024-03-01 10:00:03 ALLOW ICMPv6 fe80::1 ff02::1 - - 0 - - - - 135 0 - SEND 4\r\n"
                           "2024-03-01 10:00:04 ALLOW 2 10.0.0.5 224.0.0.22 - - 0 - - - - - - - SEND 4\r\n";
  EXPECT_EQ(detect_format(text), InputFormat::winfw);
  auto r = read(text);
  ASSERT_EQ(r->sink.flows.size(), 4u);
  EXPECT_EQ(r->diag.bad_records(), 0u);
  const FlowRecord& a = r->sink.flows[0];
  EXPECT_EQ(a.source, FlowSource::winfw);
  EXPECT_EQ(a.start, utc("2024-03-01 10:00:01"));
  EXPECT_EQ(a.orig_h, ip("10.0.0.5"));
  EXPECT_EQ(a.resp_h, ip("203.0.113.7"));
  EXPECT_EQ(a.orig_p, 50123);
  EXPECT_EQ(a.resp_p, 443);
  EXPECT_EQ(a.proto, kProtoTcp);
  EXPECT_EQ(a.verdict, FlowVerdict::allowed);
  EXPECT_TRUE(a.bytes_unknown);
  EXPECT_EQ(a.action, "ALLOW");
  EXPECT_EQ(r->sink.flows[1].verdict, FlowVerdict::denied);
  EXPECT_EQ(r->sink.flows[1].proto, kProtoUdp);
  EXPECT_EQ(r->sink.flows[2].proto, kProtoIcmp6);
  EXPECT_EQ(r->sink.flows[2].orig_p, 0);
  EXPECT_EQ(r->sink.flows[3].proto, 2);
}

// An ALLOW row is a session of the host whose bytes are unknown both ways (never 0); a DROP
// row is no session.
TEST(PfirewallReader, SessionsHaveUnknownVolume) {
  testing::PipelineRun run(kHeader + "2024-03-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 50123 443 0 - - - - - - - SEND 4242\n"
                                     "2024-03-01 10:00:02 DROP TCP 203.0.113.9 10.0.0.5 4444 445 40 S 1 0 0 - - - RECEIVE 4\n",
                           "pfirewall.log");
  ASSERT_TRUE(run.ok) << run.error;
  const auto& out = run.sessions;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].orig_unknown);
  EXPECT_TRUE(out[0].resp_unknown);
  EXPECT_EQ(out[0].gap, VolumeGap::not_logged);
  EXPECT_EQ(run.pipe.stats().denied_flows, 1u);
}

TEST(PfirewallReader, HostileRowsAreCountedNeverFatal) {
  std::string text = "2024-03-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 1 2 0 - - - - - - - SEND 4\n";  // before the header
  text += kHeader;
  text += "2024-03-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 50123\n";                        // truncated
  text += "2024-03-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 50123 443 0 - - - - - - - SEND 4 x\n";  // extra field
  text += "2024-13-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 50123 443 0 - - - - - - - SEND 4\n";    // bad date
  text += "2024-03-01 10:00:01 ALLOW TCP 10.0.0.5 203.0.113.7 70000 443 0 - - - - - - - SEND 4\n";    // bad port
  text += "2024-03-01 10:00:01 MAYBE TCP 10.0.0.5 203.0.113.7 1 443 0 - - - - - - - SEND 4\n";        // unknown action
  text += "2024-03-01 10:00:01 INFO-EVENTS-LOST - - - - - - - - - - - - 59 - -\n";
  text += std::string(3 << 20, '-') + "\n";
  text += "2024-03-01 10:00:09 ALLOW UDP 10.0.0.5 203.0.113.7 50000 53 0 - - - - - - - SEND 4\n";
  auto r = read(text);
  EXPECT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->bad("pfirewall.log: row before the #Fields header"), 1u);
  EXPECT_EQ(r->bad("pfirewall.log: too few fields (truncated line?)"), 1u);
  EXPECT_EQ(r->bad("pfirewall.log: too many fields"), 1u);
  EXPECT_EQ(r->bad("pfirewall.log: bad date or time"), 1u);
  EXPECT_EQ(r->bad("pfirewall.log: bad src-port"), 1u);
  EXPECT_EQ(r->bad("pfirewall.log: unknown action"), 1u);
  EXPECT_EQ(r->bad("pfirewall.log: line too long"), 1u);
  EXPECT_EQ(r->diag.bad_records(), 7u);
  EXPECT_EQ(r->diag.notes_by_reason().size(), 1u);
}

}  // namespace
}  // namespace outflow
