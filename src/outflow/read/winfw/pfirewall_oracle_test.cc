// pfirewall.log rows against plaso's test data and the values of its #Fields header
// (parser-oracles/winfw). Each row is read after the file's four header lines. Skips when
// ../shared/datasets is absent.
#include <gtest/gtest.h>

#include "outflow/testing/oracle.h"

namespace outflow {
namespace {

using testing::OracleCompare;

TEST(PfirewallOracle, EveryRowAgrees) {
  const std::string dir = testing::oracle_dir("winfw");
  REQUIRE_FILE(dir + "/expected.jsonl");
  ASSERT_EQ(testing::load_oracle("winfw").size(), 14u);
  const auto lines = testing::file_lines(dir + "/windows_firewall.log");
  ASSERT_GE(lines.size(), 5u);
  const std::string header = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + lines[3] + "\n";
  OracleCompare c;
  size_t close_rows = 0;
  testing::each_record("winfw", InputFormat::winfw, header, [&](const testing::OracleRecord& o, testing::TextRun& r) {
    EXPECT_EQ(r.diag.bad_records(), 0u) << o.line_no;
    if (o.at("action") == "CLOSE") {  // the connection's OPEN row has it: counted, no flow
      EXPECT_TRUE(r.sink.flows.empty());
      ++close_rows;
      return;
    }
    ASSERT_EQ(r.sink.flows.size(), 1u) << o.line_no;
    const FlowRecord& f = r.sink.flows[0];
    c.begin(o);
    testing::compare_flow(c, f);
    if (f.start != testing::oracle_time(o.at("start"), false)) c.differ("start", format_time(f.start), o.at("start"));
    EXPECT_EQ(f.verdict, o.at("action") == "DROP" ? FlowVerdict::denied : FlowVerdict::allowed);
    EXPECT_TRUE(f.bytes_unknown);  // size is one packet's
    c.end();
  });
  EXPECT_EQ(close_rows, 3u);
  const auto bad = testing::unexplained(c.diffs, {});
  EXPECT_TRUE(bad.empty()) << testing::joined(bad);
  std::printf("pfirewall.log oracle: %zu of %zu flow rows agree (%zu CLOSE rows counted, not flows)\n", c.agree,
              c.records, close_rows);
}

// plaso asserts 15 entries: the 14 rows and INFO-EVENTS-LOST, which we note (a gap in the
// host's log) rather than read as a connection.
TEST(PfirewallOracle, WholeFile) {
  const std::string dir = testing::oracle_dir("winfw");
  REQUIRE_FILE(dir + "/expected.jsonl");
  testing::FileRun r;
  r.read(dir + "/windows_firewall.log");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::winfw);
  EXPECT_EQ(r.sink.flows.size(), 11u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_EQ(r.diag.notes_by_reason().at("pfirewall.log: the firewall lost log entries (INFO-EVENTS-LOST)"), 1u);
}

}  // namespace
}  // namespace outflow
