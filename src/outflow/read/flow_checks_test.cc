// The flow readers' plausibility checks (flow_checks.h) through each reader, and what the
// stitcher makes of a count taken as unknown: an unknown side, never 0 bytes scored as seen.
#include "outflow/read/flow_checks.h"

#include <gtest/gtest.h>

#include "outflow/join/flow_stitcher.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::read_result;

TEST(FlowChecks, BytesBeyondPackets) {
  EXPECT_FALSE(flowread::bytes_beyond_packets(65535, 1));
  EXPECT_TRUE(flowread::bytes_beyond_packets(65536, 1));
  EXPECT_TRUE(flowread::bytes_beyond_packets(1, 0));
  EXPECT_FALSE(flowread::bytes_beyond_packets(0, 0));
  EXPECT_FALSE(flowread::bytes_beyond_packets(1'000'000, 1, 1'000'000));  // Zeek counts missed bytes in the size
  EXPECT_FALSE(flowread::bytes_beyond_packets(UINT64_MAX, UINT64_MAX));    // no overflow into a false "impossible"
}

// Zeek conn.log as Zeek writes it (RITA's missing_host has _node_name first; the order does not matter).
const std::string kConn =
    "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\t"
    "orig_bytes\tresp_bytes\tconn_state\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\n";

std::string conn(const std::string& ts, const std::string& dur, const std::string& ob, const std::string& rb,
                 const std::string& opk, const std::string& rpk, const std::string& missed = "0",
                 const std::string& state = "SF") {
  return ts + "\tC1\t10.0.0.1\t50000\t203.0.113.9\t445\ttcp\t" + dur + "\t" + ob + "\t" + rb + "\t" + state + "\t" +
         missed + "\tShADadFf\t" + opk + "\t100\t" + rpk + "\t100\n";
}

TEST(FlowChecks, ZeekTsvImpossibleCountsAreUnknownAndCounted) {
  auto r = read_result(read_zeek_tsv,
                       kConn +
                           // RITA missing_host, conn.01:00:00-02:00:00.log: 1.7 GB in 2 packets after a reset
                           conn("1713663251.605848", "1.001678", "0", "1715022185", "3", "2", "0", "RSTR") +
                           conn("1713663252", "1.0", "200000", "10", "2", "1") +        // 200 kB in 2 packets
                           conn("1713663253", "1.0", "5000000", "10", "2", "1", "4900000") +  // missed bytes: fine
                           conn("1713663254", "1.0", "10", "-", "1", "-") +            // '-': nothing to check
                           conn("1713663255", "1.0", "1000", "1000", "1", "1"));       // fine
  ASSERT_EQ(r->sink.flows.size(), 5u);  // every record kept
  EXPECT_EQ(r->stats.bad, 0u);
  EXPECT_EQ(r->dubious("zeek: resp_bytes beyond what resp_pkts can carry (taken as unknown)"), 1u);
  EXPECT_EQ(r->dubious("zeek: orig_bytes beyond what orig_pkts can carry (taken as unknown)"), 1u);
  EXPECT_EQ(r->diag.dubious_values(), 2u);
  const auto& f = r->sink.flows;
  EXPECT_TRUE(f[0].resp_bytes_unknown);
  EXPECT_EQ(f[0].resp_bytes, 0u);  // the impossible number is not carried
  EXPECT_FALSE(f[0].orig_bytes_unknown);
  EXPECT_TRUE(f[1].orig_bytes_unknown);
  EXPECT_FALSE(f[1].resp_bytes_unknown);
  EXPECT_FALSE(f[2].orig_bytes_unknown);
  EXPECT_EQ(f[2].orig_bytes, 5000000u);
  EXPECT_FALSE(f[3].orig_bytes_unknown || f[3].resp_bytes_unknown || f[4].orig_bytes_unknown);
  // Sampled with file and line (header lines count: the first record is line 4).
  ASSERT_FALSE(r->diag.dubious_samples().empty());
  EXPECT_EQ(r->diag.dubious_samples()[0].file, "test-input");
  EXPECT_EQ(r->diag.dubious_samples()[0].line, 4u);
}

TEST(FlowChecks, ZeekTsvNanInfAndYearsLongDurations) {
  auto r = read_result(read_zeek_tsv, kConn + conn("1704164646", "nan", "1", "1", "1", "1") +
                                          conn("1704164646", "inf", "1", "1", "1", "1") +
                                          conn("1704164646", "-0.5", "1", "1", "1", "1") +
                                          conn("1704164646", "1000000000", "1", "1", "1", "1") +  // 31 years
                                          conn("1704164646", "86400", "1", "1", "1", "1"));       // a day: fine
  EXPECT_EQ(r->bad("zeek: bad duration"), 3u);
  ASSERT_EQ(r->sink.flows.size(), 2u);
  EXPECT_EQ(r->dubious("zeek: duration over a year (cut to 0)"), 1u);
  EXPECT_EQ(r->sink.flows[0].end, r->sink.flows[0].start);
  EXPECT_EQ(r->sink.flows[1].end - r->sink.flows[1].start, 86400 * kNsPerSec);
}

TEST(FlowChecks, ZeekTsvClockRunningBackwards) {
  // Ends a few minutes out of order are normal (Zeek writes a connection when it ends); two hours
  // back is a clock that ran backwards. Kept and counted.
  auto r = read_result(read_zeek_tsv, kConn + conn("1704164646", "10", "1", "1", "1", "1") +
                                          conn("1704164346", "1", "1", "1", "1", "1") +   // 5 min back: fine
                                          conn("1704157446", "1", "1", "1", "1", "1") +   // 2 h back
                                          conn("1704164650", "1", "1", "1", "1", "1"));
  EXPECT_EQ(r->sink.flows.size(), 4u);
  EXPECT_EQ(r->dubious("zeek: record ends over an hour before an earlier line's (clock ran backwards; kept)"), 1u);
  ASSERT_EQ(r->diag.dubious_samples().size(), 1u);
  EXPECT_EQ(r->diag.dubious_samples()[0].line, 6u);
}

TEST(FlowChecks, ZeekJsonImpossibleCounts) {
  const std::string base = R"({"_path":"conn","ts":1704164646,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","duration":1)";
  auto r = read_result(read_zeek_json, base + R"(,"orig_bytes":200000,"orig_pkts":2,"resp_bytes":5,"resp_pkts":1})" "\n" +
                                           base + R"(,"orig_bytes":200000,"orig_pkts":2,"missed_bytes":100000})" "\n" +
                                           base + R"(,"orig_bytes":200000})" "\n" +             // no packet counts
                                           base + R"(,"orig_bytes":200000,"orig_pkts":null})" "\n" +
                                           base + R"(,"duration":40000000})" "\n");             // 463 days
  ASSERT_EQ(r->sink.flows.size(), 5u);
  EXPECT_EQ(r->dubious("zeek json: orig_bytes beyond what orig_pkts can carry (taken as unknown)"), 1u);
  EXPECT_EQ(r->dubious("zeek json: duration over a year (cut to 0)"), 1u);
  EXPECT_TRUE(r->sink.flows[0].orig_bytes_unknown);
  EXPECT_FALSE(r->sink.flows[1].orig_bytes_unknown);
  EXPECT_FALSE(r->sink.flows[2].orig_bytes_unknown);
  EXPECT_EQ(r->sink.flows[2].orig_bytes, 200000u);
  EXPECT_FALSE(r->sink.flows[3].orig_bytes_unknown);
}

TEST(FlowChecks, NfdumpSameFaults) {
  auto r = read_result(read_nfdump_csv,
                       "ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n"
                       "2024-01-02 05:00:00,2024-01-02 05:00:01,1.0,10.0.0.1,10.0.0.2,50000,443,TCP,1,1000000\n"
                       "2024-01-02 05:00:00,2024-01-02 05:00:01,1.0,10.0.0.1,10.0.0.2,50000,443,TCP,0,1\n"
                       "2024-01-02 05:00:00,2024-01-02 05:00:01,1.0,10.0.0.1,10.0.0.2,50000,443,TCP,nan,1\n"
                       "2024-01-02 05:00:00,2024-01-02 05:00:01,nan,10.0.0.1,10.0.0.2,50000,443,TCP,1,1\n"
                       "2024-01-02 03:00:00,2024-01-02 03:00:01,1.0,10.0.0.1,10.0.0.2,50000,443,TCP,1,10\n"
                       "2020-01-02 03:00:00,2024-01-02 03:00:01,1.0,10.0.0.1,10.0.0.2,50000,443,TCP,1,10\n");
  EXPECT_EQ(r->bad("nfdump: bad ipkt"), 1u);
  ASSERT_EQ(r->sink.flows.size(), 5u);  // nfdump prefers te over td: the "nan" td is not read
  EXPECT_EQ(r->dubious("nfdump: ibyt beyond what ipkt can carry (taken as unknown)"), 2u);
  // The 03:00 record, and the 2020 one (its four-year duration cut, it ends in 2020).
  EXPECT_EQ(r->dubious("nfdump: record ends over an hour before an earlier line's (clock ran backwards; kept)"), 2u);
  EXPECT_EQ(r->dubious("nfdump: duration over a year (cut to 0)"), 1u);
  EXPECT_TRUE(r->sink.flows[0].orig_bytes_unknown);
  EXPECT_TRUE(r->sink.flows[1].orig_bytes_unknown);
  EXPECT_FALSE(r->sink.flows[3].orig_bytes_unknown);
}

// The stitcher turns a count taken as unknown into an unknown side with its reason.
TEST(FlowChecks, StitcherKeepsTheUnknownSide) {
  std::vector<Session> got;
  FlowStitcher st(FlowStitcher::Options{}, [&](Session&& s) { got.push_back(std::move(s)); });
  FlowRecord z;
  z.source = FlowSource::zeek_conn;
  z.start = 1704164646 * kNsPerSec, z.end = z.start + kNsPerSec;
  IpAddr::parse("10.0.0.1", z.orig_h), IpAddr::parse("203.0.113.9", z.resp_h);
  z.orig_p = 50000, z.resp_p = 443, z.proto = kProtoTcp;
  z.uid = "C1", z.history = "ShADadFf";
  z.orig_pkts = 3, z.resp_pkts = 2, z.resp_bytes = 10;
  z.orig_bytes_unknown = true;
  st.add(z);
  // NetFlow: the reverse direction's record (server to client) carries the impossible count; the
  // session is flipped to the client's view, and the unknown side with it.
  FlowRecord n;
  n.source = FlowSource::nfdump;
  n.bidirectional = false;
  n.start = z.start, n.end = z.end;
  n.orig_h = z.resp_h, n.resp_h = z.orig_h, n.orig_p = 443, n.resp_p = 50000, n.proto = kProtoTcp;
  n.orig_pkts = 1, n.orig_bytes_unknown = true;
  st.add(n);
  n.orig_h = z.orig_h, n.resp_h = z.resp_h, n.orig_p = 50000, n.resp_p = 443;
  n.orig_pkts = 5, n.orig_bytes = 900, n.orig_bytes_unknown = false;
  n.start += kNsPerSec / 2;
  st.add(n);
  st.finish();
  ASSERT_EQ(got.size(), 2u);
  const Session& zs = got[0].source == FlowSource::nfdump ? got[1] : got[0];
  const Session& ns = got[0].source == FlowSource::nfdump ? got[0] : got[1];
  EXPECT_TRUE(zs.orig_unknown);
  EXPECT_FALSE(zs.resp_unknown);
  EXPECT_EQ(zs.gap, VolumeGap::impossible_count);
  EXPECT_EQ(ns.orig_h, z.orig_h);  // the client
  EXPECT_FALSE(ns.orig_unknown);
  EXPECT_EQ(ns.orig_bytes, 900u);
  EXPECT_TRUE(ns.resp_unknown);
  EXPECT_EQ(ns.gap, VolumeGap::impossible_count);
  EXPECT_NE(std::string(volume_gap_reason(VolumeGap::impossible_count)), "");
}

}  // namespace
}  // namespace outflow
