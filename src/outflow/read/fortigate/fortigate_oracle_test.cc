// FortiGate traffic lines against Elastic's fortinet_fortigate pipeline (parser-oracles/
// fortigate): addresses, ports, NAT, bytes each way, duration, user, application, action, time.
// Skips when ../shared/datasets is absent.
#include <gtest/gtest.h>

#include "outflow/testing/oracle.h"

namespace outflow {
namespace {

using testing::OracleCompare;

TEST(FortigateOracle, EveryTrafficRecordAgrees) {
  const std::string dir = testing::oracle_dir("fortigate");
  REQUIRE_FILE(dir + "/expected.jsonl");
  ASSERT_EQ(testing::load_oracle("fortigate").size(), 14u);
  OracleCompare c;
  testing::each_record("fortigate", InputFormat::fortigate, "", [&](const testing::OracleRecord& o, testing::TextRun& r) {
    ASSERT_EQ(r.sink.flows.size(), 1u) << o.file << ":" << o.line_no << " bad: " << r.diag.bad_records();
    const FlowRecord& f = r.sink.flows[0];
    c.begin(o);
    testing::compare_flow(c, f);
    // Elastic's event.start is the log's eventtime, the time the log was written: our end
    // (Elastic keeps milliseconds).
    const TimeNs ms = 1'000'000;
    if (o.has("start") && f.end / ms != testing::oracle_time(o.at("start"), true) / ms)
      c.differ("start", format_time(f.end), o.at("start"));
    c.end();
  });
  // Explained disagreements (docs/firewall-logs.md, "Checked against other parsers"):
  const std::vector<std::string> explained = {
      // transip=0.0.0.0 transport=0: no translation. Elastic keeps NAT 0.0.0.0:0; we keep no NAT.
      "test-fortinet-7-4.log:4 source_nat_ip: ours (absent) vs oracle 0.0.0.0",
      "test-fortinet-7-4.log:5 source_nat_ip: ours (absent) vs oracle 0.0.0.0",
      // Failed connections (action dns, ip-conn) log no duration: Elastic sets none, we read the
      // row as an instant (start = end). Both are denied: no session, no volume.
      "test-fortinet.log:25 duration_s: ours 0 vs oracle (absent)",
      "test-fortinet.log:29 duration_s: ours 0 vs oracle (absent)",
  };
  const auto bad = testing::unexplained(c.diffs, explained);
  EXPECT_TRUE(bad.empty()) << testing::joined(bad);
  std::printf("FortiGate oracle: %zu of %zu records agree\n", c.agree, c.records);
}

TEST(FortigateOracle, WholeFiles) {
  const std::string dir = testing::oracle_dir("fortigate");
  REQUIRE_FILE(dir + "/expected.jsonl");
  testing::FileRun a;
  a.read(dir + "/test-fortinet.log");
  ASSERT_TRUE(a.ok) << a.error;
  EXPECT_EQ(a.stats.format, InputFormat::fortigate);
  EXPECT_EQ(a.sink.flows.size(), 9u);
  // The two "date= desc=..." lines without a type are the only malformed ones.
  EXPECT_EQ(a.diag.bad_records(), 2u);
  EXPECT_EQ(a.diag.bad_by_reason().at("FortiGate: no type= (not a log line)"), 2u);
  EXPECT_EQ(a.diag.skipped_counts().at("FortiGate utm logs (not traffic)"), 13u);
  EXPECT_EQ(a.diag.skipped_counts().at("FortiGate event logs (not traffic)"), 29u);
  testing::FileRun b;
  b.read(dir + "/test-fortinet-7-4.log");
  ASSERT_TRUE(b.ok) << b.error;
  EXPECT_EQ(b.sink.flows.size(), 5u);
  EXPECT_EQ(b.diag.bad_records(), 0u);
}

}  // namespace
}  // namespace outflow
