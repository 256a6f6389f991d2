#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "outflow/read/byte_source.h"
#include "outflow/read/input.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::utc;

struct NfRun {
  testing::CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  bool ok = false;
  std::string error;

  void read_text(const std::string& text, const std::string& file = "/data/run1/exporter-a.csv") {
    auto src = memory_byte_source(text);
    LineReader lines(*src);
    ReadContext ctx{file, sink, diag, stats};
    ok = read_nfdump_csv(lines, ctx);
  }
  void read_file(const std::string& path) { ok = read_input_file(path, sink, diag, stats, error); }
  uint64_t skipped(const std::string& what) const {
    const auto it = diag.skipped_counts().find(what);
    return it == diag.skipped_counts().end() ? 0 : it->second;
  }
  const FlowRecord* find(const char* sa, uint16_t sp, const char* da, uint16_t dp) const {
    IpAddr a, b;
    if (!IpAddr::parse(sa, a) || !IpAddr::parse(da, b)) return nullptr;
    for (const FlowRecord& f : sink.flows)
      if (f.orig_h == a && f.orig_p == sp && f.resp_h == b && f.resp_p == dp) return &f;
    return nullptr;
  }
};

const std::string kHeader =
    "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,"
    "svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,"
    "al,ra,eng,exid,tr\n";
const std::string kTail =
    ",0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,"
    "00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,"
    "    0.000,0.0.0.0,17/1,0,2026-11-27 18:48:47.579\n";

TEST(NfdumpCsv, RecordsAndSummary) {
  NfRun r;
  r.read_text(kHeader +
              "2020-09-20 16:17:01,2020-09-20 16:17:59,58.227,172.18.39.6,10.10.10.5,63854,80,TCP,...AP.S.,0,0,"
              "53,5534,0,0" + kTail +
              "2020-09-20 16:17:01.250,2020-09-20 16:17:02.500,1.250,fe80::1:1,ff02::1,0,34304,ICMP6,........,0,"
              "0,1,96,2,192" + kTail +
              "2020-09-20 16:18:00,2020-09-20 16:18:00,0.000,10.0.0.1,224.0.0.22,0,0,IGMP,........,0,0,1,40,0,"
              "0" + kTail +
              "Summary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n3,5670,54,58357,140,51\n");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.sink.flows.size(), 3u);
  EXPECT_EQ(r.stats.flows, 3u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_EQ(r.skipped("nfdump summary"), 3u);
  const FlowRecord& f = r.sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::nfdump);
  EXPECT_FALSE(f.bidirectional);
  EXPECT_EQ(f.sensor, "exporter-a.csv");
  EXPECT_EQ(f.start, utc("2020-09-20T16:17:01Z"));
  EXPECT_EQ(f.end, utc("2020-09-20T16:17:59Z"));
  EXPECT_EQ(f.orig_p, 63854);
  EXPECT_EQ(f.resp_p, 80);
  EXPECT_EQ(f.proto, kProtoTcp);
  EXPECT_EQ(f.orig_pkts, 53u);
  EXPECT_EQ(f.orig_bytes, 5534u);
  EXPECT_EQ(f.resp_bytes, 0u);
  EXPECT_EQ(f.uid, "");
  const FlowRecord& g = r.sink.flows[1];
  EXPECT_EQ(g.start, utc("2020-09-20T16:17:01.250Z"));
  EXPECT_EQ(g.end, utc("2020-09-20T16:17:02.500Z"));
  EXPECT_EQ(g.proto, kProtoIcmp6);
  EXPECT_EQ(g.resp_p, 34304);
  EXPECT_EQ(g.resp_pkts, 2u);
  EXPECT_EQ(g.resp_bytes, 192u);
  IpAddr v6;
  ASSERT_TRUE(IpAddr::parse("fe80::1:1", v6));
  EXPECT_EQ(g.orig_h, v6);
  EXPECT_EQ(r.sink.flows[2].proto, 2);  // IGMP
}

TEST(NfdumpCsv, RepeatedHeaderRemaps) {
  NfRun r;
  r.read_text("ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n"
              "2020-01-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,1,2,UDP,3,300\n"
              "ts,te,td,sa,da,sp,dp,pr,ibyt,ipkt,obyt,opkt\n"
              "2020-01-01 00:00:02,2020-01-01 00:00:03,1.0,10.0.0.3,10.0.0.4,5,6,17,700,7,800,8\n");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.sink.flows.size(), 2u);
  EXPECT_EQ(r.sink.flows[0].orig_pkts, 3u);
  EXPECT_EQ(r.sink.flows[0].orig_bytes, 300u);
  EXPECT_EQ(r.sink.flows[0].proto, kProtoUdp);
  EXPECT_EQ(r.sink.flows[1].orig_pkts, 7u);
  EXPECT_EQ(r.sink.flows[1].orig_bytes, 700u);
  EXPECT_EQ(r.sink.flows[1].resp_pkts, 8u);
  EXPECT_EQ(r.sink.flows[1].resp_bytes, 800u);
  EXPECT_EQ(r.sink.flows[1].proto, kProtoUdp);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(NfdumpCsv, BadLinesAreCountedWithLineNumbers) {
  NfRun r;
  r.read_text("2020-01-01 00:00:00,x\n"                                                  // 1: before header
              "ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n"                                      // 2
              "2020-01-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,1,2,TCP,3,300\n"  // 3 good
              "2020-13-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,1,2,TCP,3,300\n"  // 4 bad ts
              "2020-01-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.256,10.0.0.2,1,2,TCP,3,300\n"  // 5 bad sa
              "2020-01-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,99999,2,TCP,3,300\n"  // 6 bad sp
              "2020-01-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,1,2,TCP,3,3e2\n"  // 7 bad ibyt
              "2020-01-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,1,2,TCP,3,300\n"  // 8 good
              "2020-01-01 00:00:00,2020-01-01 00:00:01,1.0,10.0.0.1");                        // 9 truncated
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.sink.flows.size(), 2u);
  EXPECT_EQ(r.stats.bad, 6u);
  std::vector<std::pair<uint64_t, std::string>> got;
  for (const Anomaly& a : r.diag.samples()) got.emplace_back(a.line, a.reason);
  const std::vector<std::pair<uint64_t, std::string>> want = {
      {1, "nfdump: data line before header"}, {4, "nfdump: bad ts"},  {5, "nfdump: bad sa"},
      {6, "nfdump: bad sp"},                  {7, "nfdump: bad ibyt"}, {9, "nfdump: too few columns (truncated line?)"}};
  EXPECT_EQ(got, want);
}

// ---- Real data -------------------------------------------------------------------------

std::string ds(const std::string& rel) { return std::string(OUTFLOW_DATASETS_DIR) + "/" + rel; }

#define NF_REQUIRE(path)                                                                 \
  do {                                                                                   \
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "datasets absent: " << (path); \
  } while (0)

uint64_t data_lines(const std::string& path) {
  // Lines that are neither a header nor part of the summary block.
  FILE* fp = std::fopen(path.c_str(), "r");
  if (!fp) return 0;
  char buf[8192];
  uint64_t n = 0;
  bool after_summary = false;
  while (std::fgets(buf, sizeof buf, fp)) {
    const std::string_view l(buf);
    if (l.starts_with("Summary")) after_summary = true;
    if (after_summary || l.starts_with("ts,") || l.starts_with("No matching flows") || l == "\n") continue;
    ++n;
  }
  std::fclose(fp);
  return n;
}

TEST(NfdumpData, OtrfPsexecWorkstation6) {
  const std::string dir = ds("otrf-atomic-host-network/pairs/lateral_movement/empire_psexec_dcerpc_tcp_svcctl/network");
  NF_REQUIRE(dir);
  std::string path;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find("WORKSTATION6") != std::string::npos && name.ends_with(".csv")) path = e.path().string();
  }
  ASSERT_FALSE(path.empty()) << "no WORKSTATION6 CSV in " << dir;
  NfRun r;
  r.read_file(path);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::nfdump_csv);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_EQ(r.sink.flows.size(), data_lines(path));
  const FlowRecord* out = r.find("172.18.39.6", 63854, "10.10.10.5", 80);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->proto, kProtoTcp);
  EXPECT_EQ(out->orig_bytes, 5534u);
  EXPECT_EQ(out->orig_pkts, 53u);
  EXPECT_EQ(out->start, utc("2020-09-20 16:17:01"));
  EXPECT_EQ(out->end, utc("2020-09-20 16:17:59"));
  EXPECT_FALSE(out->bidirectional);
  EXPECT_EQ(out->sensor, std::filesystem::path(path).filename().string());
  const FlowRecord* back = r.find("10.10.10.5", 80, "172.18.39.6", 63854);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->orig_bytes, 68074u);
  EXPECT_EQ(back->orig_pkts, 92u);
  EXPECT_EQ(back->proto, kProtoTcp);
}

TEST(NfdumpData, SlipsExportWithSummary) {
  const std::string path = ds("slips-flow-samples/dataset/test1-malicious.nfdump.csv");
  NF_REQUIRE(path);
  NfRun r;
  r.read_file(path);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_EQ(r.sink.flows.size(), 4593u);  // what nfdump's own summary line says
  EXPECT_EQ(r.skipped("nfdump summary"), 3u);
  uint64_t bytes = 0, pkts = 0;
  for (const FlowRecord& f : r.sink.flows) {
    bytes += f.orig_bytes + f.resp_bytes;
    pkts += f.orig_pkts + f.resp_pkts;
  }
  EXPECT_EQ(bytes, 241025u);
  EXPECT_EQ(pkts, 4652u);
  const FlowRecord& first = r.sink.flows.front();
  EXPECT_EQ(first.start, utc("2018-01-12 15:37:30"));
  EXPECT_EQ(first.orig_p, 52324);
  EXPECT_EQ(first.resp_p, 902);
  EXPECT_EQ(first.orig_bytes, 60u);
}

TEST(NfdumpData, EveryOtrfExportReadsCleanly) {
  const std::string root = ds("otrf-atomic-host-network/pairs");
  NF_REQUIRE(root);
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.path().string().ends_with(".nfdump.csv")) files.push_back(e.path().string());
  const std::string l4s = ds("otrf-log4shell");
  if (std::filesystem::exists(l4s))
    for (const auto& e : std::filesystem::directory_iterator(l4s))
      if (e.path().string().ends_with(".nfdump.csv")) files.push_back(e.path().string());
  ASSERT_GE(files.size(), 40u);
  uint64_t flows = 0;
  for (const std::string& p : files) {
    NfRun r;
    r.read_file(p);
    EXPECT_TRUE(r.ok) << p << ": " << r.error;
    EXPECT_EQ(r.diag.bad_records(), 0u) << p;
    EXPECT_EQ(r.sink.flows.size(), data_lines(p)) << p;
    for (const FlowRecord& f : r.sink.flows) {
      ASSERT_NE(f.start, kNoTime) << p;
      ASSERT_GE(f.end, f.start) << p;
      ASSERT_FALSE(f.orig_h.is_unset()) << p;
      ASSERT_GT(f.orig_pkts, 0u) << p;
    }
    flows += r.sink.flows.size();
  }
  EXPECT_EQ(flows, 1294u);  // 46 exports, counted with grep
}

}  // namespace
}  // namespace outflow
