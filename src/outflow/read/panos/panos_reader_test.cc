// PAN-OS traffic reader on hand-written lines: the documented 10.x/11.x layout, NAT, start and
// end logs of one session stitched into one, denied sessions, and hostile lines (truncated,
// shifted fields, absurd counts, unknown layouts, huge lines): counted, never fatal.
#include <gtest/gtest.h>

#include "outflow/read/panos/panos_csv.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/pipeline_run.h"

namespace outflow {
namespace {

using testing::ip;
using testing::utc;

// A 115-field PAN-OS 10.x/11.x traffic line (the shape of a public 2023 sample; fields past 46
// left empty).
std::string line(const std::string& subtype, const std::string& action, const std::string& sent = "2228",
                 const std::string& rcvd = "5084", const std::string& total = "7312", const std::string& session = "72568134",
                 const std::string& src = "10.1.2.3", const std::string& user = "corp\\alice") {
  std::string s = "<14>Oct  4 18:54:26 fw01 1,2023/10/04 18:54:26,012501002341,TRAFFIC," + subtype +
                  ",2561,2023/10/04 18:54:24," + src + ",203.0.113.44,198.51.100.205,203.0.113.44,Out-Rule," + user +
                  ",,ssl,vsys1,trust,untrust,ethernet1/23,ethernet1/24,LOG-FP,2023/10/04 18:54:24," + session +
                  ",1,49583,443,50464,443,0x40441a,tcp," + action + "," + total + "," + sent + "," + rcvd +
                  ",22,2023/10/04 18:53:52,16,business-and-economy,,7253419119627122716,0x8000000000000000,"
                  "10.0.0.0-10.255.255.255,Japan,,12,10,tcp-rst-from-client";
  size_t fields = 1;
  for (char c : s.substr(s.find(" 1,") + 1))
    if (c == ',') ++fields;
  while (fields < 115) s += ",", ++fields;
  return s + "\n";
}

std::unique_ptr<testing::ReadResult> read(const std::string& text) { return testing::read_result(read_panos, text); }

TEST(PanosReader, DetectsAndReadsATrafficLine) {
  EXPECT_EQ(detect_format(line("end", "allow")), InputFormat::panos);
  EXPECT_EQ(detect_format("Oct 30 09:46:17 1,2012/10/30 09:46:17,01606001116,TRAFFIC,start,1,2012/04/10 04:39:56,x"),
            InputFormat::panos);
  EXPECT_EQ(detect_format("1,2012/10/30 09:46:17,01606001116,SYSTEM,general,0,2012/10/30 09:46:17,,x"), InputFormat::panos);
  EXPECT_EQ(detect_format("hello,2012/10/30 09:46:17,x"), InputFormat::unknown);  // field 0 is not digits

  auto r = read(line("end", "allow"));
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->diag.bad_records(), 0u);
  EXPECT_TRUE(r->diag.notes_by_reason().empty());  // 115 fields: a documented layout
  const FlowRecord& f = r->sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::panos);
  EXPECT_TRUE(f.bidirectional);
  EXPECT_EQ(f.orig_h, ip("10.1.2.3"));
  EXPECT_EQ(f.resp_h, ip("203.0.113.44"));
  EXPECT_EQ(f.orig_p, 49583);
  EXPECT_EQ(f.resp_p, 443);
  EXPECT_EQ(f.proto, kProtoTcp);
  EXPECT_EQ(f.orig_bytes, 2228u);
  EXPECT_EQ(f.resp_bytes, 5084u);
  EXPECT_EQ(f.orig_pkts, 12u);
  EXPECT_EQ(f.resp_pkts, 10u);
  EXPECT_EQ(f.start, utc("2023-10-04 18:53:52"));
  EXPECT_EQ(f.end, utc("2023-10-04 18:54:08"));
  EXPECT_EQ(f.user, "corp\\alice");
  EXPECT_EQ(f.app, "ssl");
  EXPECT_EQ(f.action, "allow");
  EXPECT_EQ(f.end_reason, "tcp-rst-from-client");
  EXPECT_EQ(f.verdict, FlowVerdict::allowed);
  EXPECT_FALSE(f.interim);
  EXPECT_FALSE(f.bytes_unknown);
  ASSERT_TRUE(f.has_nat);
  EXPECT_EQ(f.nat_orig_h, ip("198.51.100.205"));
  EXPECT_EQ(f.nat_orig_p, 50464);
  EXPECT_EQ(f.nat_resp_h, ip("203.0.113.44"));
  EXPECT_EQ(f.nat_resp_p, 443);
  EXPECT_EQ(f.sensor, "012501002341");
  EXPECT_EQ(f.uid, "panos:012501002341:72568134:2023/10/04 18:53:52");
}

TEST(PanosReader, VerdictsAndSubtypes) {
  auto r = read(line("start", "allow") + line("drop", "allow") + line("deny", "deny") + line("end", "reset-both"));
  ASSERT_EQ(r->sink.flows.size(), 4u);
  EXPECT_TRUE(r->sink.flows[0].interim);
  EXPECT_EQ(r->sink.flows[0].verdict, FlowVerdict::allowed);
  EXPECT_EQ(r->sink.flows[1].verdict, FlowVerdict::denied);  // subtype drop, whatever the action says
  EXPECT_EQ(r->sink.flows[2].verdict, FlowVerdict::denied);
  EXPECT_EQ(r->sink.flows[3].verdict, FlowVerdict::denied);
}

// The start and end logs of one session are one session; a denied one is none.
TEST(PanosReader, StartAndEndLogsAreOneSession) {
  testing::PipelineRun run(line("start", "allow", "100", "0", "100") + line("end", "allow") +
                               line("deny", "deny", "60", "0", "60", "999", "10.9.9.9"),
                           "fw.log");
  ASSERT_TRUE(run.ok) << run.error;
  const auto& out = run.sessions;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].orig_bytes, 2228u);
  EXPECT_EQ(out[0].resp_bytes, 5084u);
  EXPECT_EQ(out[0].records, 2u);
  EXPECT_EQ(out[0].source, FlowSource::panos);
  EXPECT_FALSE(out[0].orig_unknown);
  EXPECT_EQ(run.pipe.stats().denied_flows, 1u);
}

TEST(PanosReader, HostileLinesAreCountedNeverFatal) {
  std::string text;
  const std::string good = line("end", "allow");
  text += good.substr(0, good.size() / 3) + "\n";                       // truncated syslog line
  text += line("end", "allow", "2228", "5084", "7312", "1", "10.1.2.3", "\"corp,alice\"");  // quoted comma: fine
  text += line("end", "allow", "2228", "5084", "7312", "1", "10.1.2.3", "corp,alice");      // unquoted: shifted
  text += line("end", "allow", "99999999999999999999", "1", "100000000000000000000");       // absurd
  text += line("end", "allow", "1", "1", "5");                                              // sum wrong
  text += "1,2023/10/04 18:54:26,0125,TRAFFIC,end,2561,2023/10/04 18:54:24,\"10.1.2.3,x\n";  // open quote
  text += "1,2023/10/04 18:54:26,0125,traffic,end\n";                                        // no type
  text += line("end", "allow", "1", "2", "3", "5", "10.1.2.300");                            // bad address
  text += std::string(3 << 20, 'A') + "\n";                                                  // 3 MB line
  text += line("end", "allow");                                                              // still read
  auto r = read(text);
  EXPECT_EQ(r->sink.flows.size(), 2u);
  EXPECT_EQ(r->sink.flows[0].user, "corp,alice");
  EXPECT_EQ(r->diag.bad_records(), 8u);
  EXPECT_EQ(r->bad("PAN-OS: not a PAN-OS CSV log line (no receive time at field 1)"), 0u);
  EXPECT_EQ(r->bad("PAN-OS: a quoted field is not closed (truncated line?)"), 1u);
  EXPECT_EQ(r->bad("PAN-OS: absurd byte count (over 1 PiB)"), 1u);
  EXPECT_EQ(r->bad("PAN-OS: bytes is not bytes sent + bytes received (fields shifted?)"), 1u);
  EXPECT_EQ(r->bad("PAN-OS: no log type at field 3"), 1u);
  EXPECT_EQ(r->bad("PAN-OS: bad source address (field 7)"), 1u);
  EXPECT_EQ(r->bad("PAN-OS: line too long"), 1u);
  // An unquoted comma in the user shifts every later field: the protocol's place holds the
  // flags (and the byte sum would fail next).
  EXPECT_EQ(r->bad("PAN-OS: unknown protocol (field 29; fields shifted?)"), 1u);
  uint64_t truncated = 0;
  for (const auto& [reason, n] : r->diag.bad_by_reason())
    if (reason.starts_with("PAN-OS TRAFFIC: ") && reason.ends_with("fewer than the 37 every version has (truncated line?)"))
      truncated += n;
  EXPECT_EQ(truncated, 1u);
}

TEST(PanosReader, UnknownLayoutIsReadWithANoteNamingTheFieldCount) {
  std::string l = line("end", "allow");
  l.insert(l.size() - 1, ",extra1,extra2");  // 117 fields
  auto r = read(l + l);
  ASSERT_EQ(r->sink.flows.size(), 2u);
  ASSERT_EQ(r->diag.notes_by_reason().size(), 1u);
  const auto& [reason, n] = *r->diag.notes_by_reason().begin();
  EXPECT_TRUE(reason.starts_with("PAN-OS TRAFFIC with 117 fields: not a documented layout")) << reason;
  EXPECT_EQ(n, 1u);  // once per count and file
}

TEST(PanosReader, CsvStart) {
  EXPECT_EQ(panos::csv_start("1,2023/10/04 18:54:26,x"), 0u);
  EXPECT_EQ(panos::csv_start("<14>1,2023/10/04 18:54:26,x"), 4u);
  EXPECT_EQ(panos::csv_start("Oct 4 18:54:26 fw 1,2023/10/04 18:54:26,x"), 18u);
  EXPECT_EQ(panos::csv_start("a,b"), std::string_view::npos);
  EXPECT_EQ(panos::csv_start(",2023/10/04 18:54:26,x"), std::string_view::npos);
  EXPECT_EQ(panos::csv_start("1,2023/10/04 18:54:2"), std::string_view::npos);
}

}  // namespace
}  // namespace outflow
