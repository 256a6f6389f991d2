// Zeek readers (TSV and JSON) on hostile records: each case asserts the documented reason it
// is counted under (docs/robustness.md), or what is kept.
#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::read_result;

const std::string kHeader = "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tresp_bytes\t_node_name\n";

std::string row(const std::string& ts, const std::string& oport, const std::string& dur, const std::string& obytes,
                const std::string& uid = "C1", const std::string& node = "s1") {
  return ts + "\t" + uid + "\t10.0.0.1\t" + oport + "\t10.0.0.2\t443\ttcp\t" + dur + "\t" + obytes + "\t5\t" + node + "\n";
}

TEST(ZeekTsvHostile, NumbersOutOfRange) {
  auto r = read_result(read_zeek_tsv, kHeader + row("1704164646.5", "70000", "1.0", "10") +
                                          row("1704164646.5", "1", "1.0", "-1") +
                                          row("1704164646.5", "1", "1.0", "18446744073709551616") +
                                          row("1704164646.5", "1", "1.0", "18446744073709551615"));
  EXPECT_EQ(r->bad("zeek: bad id.orig_p"), 1u);
  EXPECT_EQ(r->bad("zeek: bad orig_bytes"), 2u);
  ASSERT_EQ(r->sink.flows.size(), 1u);  // 2^64-1 is a valid count
  EXPECT_EQ(r->sink.flows[0].orig_bytes, 18446744073709551615u);
}

TEST(ZeekTsvHostile, TimesFrom1601And2100AndAbsurdDurations) {
  auto r = read_result(read_zeek_tsv, kHeader + row("-11644473600", "1", "1.0", "1") +  // 1601
                                          row("253402300799", "1", "1.0", "1") +         // 9999
                                          row("4102444800", "1", "1.0", "1") +           // 2100
                                          row("1704164646", "1", "-5", "1") +            // negative
                                          row("1704164646", "1", "1000000000000", "1") + // 31,700 years
                                          row("1704164646", "1", "3000000000", "1") +    // ends in 2119
                                          row("1704164646", "1", "1000000000", "1"));    // 31 years: kept, cut
  EXPECT_EQ(r->bad("zeek: bad ts"), 2u);
  EXPECT_EQ(r->bad("zeek: ts out of range (before 1970 or after 2099)"), 1u);
  EXPECT_EQ(r->bad("zeek: bad duration"), 3u);
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].end, r->sink.flows[0].start);  // over a year: not believed (flow_checks.h)
  EXPECT_EQ(r->dubious("zeek: duration over a year (cut to 0)"), 1u);
}

TEST(ZeekTsvHostile, NulAndInvalidUtf8InFieldsAreKeptAsBytes) {
  // The reader keeps bytes as they are; the writers escape or replace them on output.
  auto r = read_result(read_zeek_tsv, kHeader + row("1704164646", "1", "1", "1", std::string("C\0x", 3), "s\xff\x1b"));
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].uid, std::string("C\0x", 3));
  EXPECT_EQ(r->sink.flows[0].sensor, "s\xff\x1b");
}

TEST(ZeekTsvHostile, LongTextFieldsAreCut) {
  auto r = read_result(read_zeek_tsv, kHeader + row("1704164646", "1", "1", "1", std::string(5000, 'u')));
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].uid, std::string(1024, 'u') + "\xE2\x80\xA6");
}

TEST(ZeekJsonHostile, NumbersTimesAndDurations) {
  const std::string base = R"("_path":"conn","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2")";
  auto r = read_result(read_zeek_json,
                       "{" + base + R"(,"ts":1704164646,"id.orig_p":70000})" "\n"
                       "{" + base + R"(,"ts":1704164646,"orig_bytes":-1})" "\n"
                       "{" + base + R"(,"ts":1e400})" "\n"
                       "{" + base + R"(,"ts":-11644473600})" "\n"
                       "{" + base + R"(,"ts":4102444800})" "\n"
                       "{" + base + R"(,"ts":"9999-12-31T23:59:59Z"})" "\n"
                       "{" + base + R"(,"ts":1704164646,"duration":-1})" "\n"
                       "{" + base + R"(,"ts":1704164646,"duration":1e300})" "\n"
                       "{" + base + R"(,"ts":1704164646,"duration":1.5,"orig_bytes":7})" "\n");
  EXPECT_EQ(r->bad("zeek json: bad id.orig_p"), 1u);
  EXPECT_EQ(r->bad("zeek json: bad orig_bytes"), 1u);
  EXPECT_EQ(r->bad("zeek json: bad ts"), 3u);  // 1e400, 1601, and 9999 (not a representable time)
  EXPECT_EQ(r->bad("zeek json: ts out of range (before 1970 or after 2099)"), 1u);
  EXPECT_EQ(r->bad("zeek json: bad duration"), 2u);
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].orig_bytes, 7u);
}

TEST(ZeekJsonHostile, DeepNestingAndLoneSurrogates) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "[";
  for (int i = 0; i < 10000; ++i) deep += "]";
  const std::string base = R"({"_path":"conn","ts":1704164646,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2")";
  auto r = read_result(read_zeek_json, base + ",\"x\":" + deep + "}\n" +            // skipped key: read
                                           deep + "\n" +                                 // not an object
                                           base + R"(,"uid":"C\ud800"})" "\n");         // bad string
  EXPECT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->bad("json: not an object"), 1u);
  EXPECT_EQ(r->bad("zeek json: bad uid"), 1u);
}

}  // namespace
}  // namespace outflow
