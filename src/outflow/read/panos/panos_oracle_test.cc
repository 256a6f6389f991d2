// PAN-OS traffic lines against Elastic's panw ingest pipeline (parser-oracles/panos): every
// traffic record's addresses, ports, NAT, bytes each way, duration, user, application, action
// and times. Skips when ../shared/datasets is absent.
#include <gtest/gtest.h>

#include "outflow/testing/oracle.h"

namespace outflow {
namespace {

using testing::OracleCompare;

TEST(PanosOracle, EveryTrafficRecordAgrees) {
  const std::string dir = testing::oracle_dir("panos");
  REQUIRE_FILE(dir + "/expected.jsonl");
  ASSERT_EQ(testing::load_oracle("panos").size(), 24u);
  OracleCompare c;
  testing::each_record("panos", InputFormat::panos, "", [&](const testing::OracleRecord& o, testing::TextRun& r) {
    EXPECT_EQ(testing::file_lines(dir + "/" + o.file)[o.line_no - 1], o.line) << o.file << ":" << o.line_no;
    ASSERT_EQ(r.sink.flows.size(), 1u) << o.file << ":" << o.line_no << " bad: " << r.diag.bad_records();
    const FlowRecord& f = r.sink.flows[0];
    c.begin(o);
    testing::compare_flow(c, f);
    // The log's times have no zone (Elastic applies the configured one): the wall clock.
    if (o.has("start") && f.start != testing::oracle_time(o.at("start"), false)) c.differ("start", format_time(f.start), o.at("start"));
    if (o.has("end") && f.end != testing::oracle_time(o.at("end"), false)) c.differ("end", format_time(f.end), o.at("end"));
    c.end();
  });
  // Explained disagreements (see docs/firewall-logs.md, "Checked against other parsers"):
  const std::vector<std::string> explained = {};
  const auto bad = testing::unexplained(c.diffs, explained);
  EXPECT_TRUE(bad.empty()) << testing::joined(bad);
  std::printf("PAN-OS oracle: %zu of %zu records agree\n", c.agree, c.records);
}

// The whole files as the CLI reads them: every traffic line a flow, the other log types
// counted, nothing malformed; the 10.x-style line's field count noted.
TEST(PanosOracle, WholeFiles) {
  const std::string dir = testing::oracle_dir("panos");
  REQUIRE_FILE(dir + "/expected.jsonl");
  testing::FileRun a;
  a.read(dir + "/test-panw-panos-traffic-sample.log");
  ASSERT_TRUE(a.ok) << a.error;
  EXPECT_EQ(a.stats.format, InputFormat::panos);
  EXPECT_EQ(a.sink.flows.size(), 22u);
  EXPECT_EQ(a.diag.bad_records(), 0u);
  testing::FileRun b;
  b.read(dir + "/test-panw-panos-inc-other-sample.log");
  ASSERT_TRUE(b.ok) << b.error;
  EXPECT_EQ(b.sink.flows.size(), 2u);
  EXPECT_EQ(b.diag.bad_records(), 0u);
  EXPECT_EQ(b.diag.skipped_counts().at("PAN-OS CONFIG logs (not traffic)"), 7u);
  EXPECT_EQ(b.diag.skipped_counts().at("PAN-OS SYSTEM logs (not traffic)"), 26u);
  bool noted = false;
  for (const auto& [reason, n] : b.diag.notes_by_reason()) noted |= reason.starts_with("PAN-OS TRAFFIC with 78 fields");
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace outflow
