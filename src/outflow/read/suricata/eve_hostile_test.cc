// The EVE reader on hostile input: each case asserts the reason it is counted under
// (docs/robustness.md) or what is kept.
#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::read_result;

std::string flow(const std::string& flow_obj, const std::string& extra = "") {
  return R"({"timestamp":"2024-03-01T10:00:00.000000+0000","flow_id":42,"event_type":"flow","src_ip":"192.0.2.1","src_port":50000,"dest_ip":"198.51.100.1","dest_port":443,"proto":"TCP")" +
         extra + (flow_obj.empty() ? "" : R"(,"flow":)" + flow_obj) + "}\n";
}

std::string counts(const std::string& bts, const std::string& btc, const std::string& start = "2024-03-01T10:00:00Z",
                   const std::string& end = "2024-03-01T10:00:05Z") {
  return R"({"pkts_toserver":2,"pkts_toclient":2,"bytes_toserver":)" + bts + R"(,"bytes_toclient":)" + btc +
         R"(,"start":")" + start + R"(","end":")" + end + R"(","state":"closed","reason":"timeout"})";
}

TEST(EveHostile, FlowWithoutItsFlowObject) {
  auto r = read_result(read_suricata_eve, flow(""));
  EXPECT_EQ(r->bad("suricata flow: event without its flow object"), 1u);
  EXPECT_TRUE(r->sink.flows.empty());
}

TEST(EveHostile, NegativeAndAbsurdByteCounts) {
  auto r = read_result(read_suricata_eve, flow(counts("-5", "10")) + flow(counts("1.5", "10")) +
                                              flow(counts("18446744073709551615", "10")) +
                                              flow(counts("18446744073709551616", "10")));
  EXPECT_EQ(r->bad("suricata eve: bad field value (wrong type, negative or out of range)"), 3u);
  // 2^64-1 bytes in 2 packets: kept, that direction unknown (not 0, not the huge number).
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_TRUE(r->sink.flows[0].orig_bytes_unknown);
  EXPECT_EQ(r->sink.flows[0].orig_bytes, 0u);
  EXPECT_EQ(r->sink.flows[0].resp_bytes, 10u);
  EXPECT_EQ(r->dubious("suricata flow: bytes_toserver beyond what pkts_toserver can carry (taken as unknown)"), 1u);
}

TEST(EveHostile, TimesWithoutOffsetOrOutOfRange) {
  auto r = read_result(read_suricata_eve, flow(counts("1", "1", "2024-03-01T10:00:00.000000")) +
                                              flow(counts("1", "1", "2024-03-01T10:00:00Z", "2024-03-01T10:00:05")) +
                                              flow(counts("1", "1", "2150-03-01T10:00:00Z")) +
                                              flow(counts("1", "1", "soon")) +
                                              flow(counts("1", "1", "2024-03-01T10:00:05Z", "2024-03-01T10:00:00Z")));
  EXPECT_EQ(r->bad("suricata eve: flow start without UTC offset"), 1u);
  EXPECT_EQ(r->bad("suricata eve: flow end without UTC offset"), 1u);
  EXPECT_EQ(r->bad("suricata eve: flow start out of range (before 1970 or after 2099)"), 1u);
  EXPECT_EQ(r->bad("suricata eve: bad flow start"), 1u);
  // An end before its start: kept, the end taken as the start.
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].end, r->sink.flows[0].start);
  EXPECT_EQ(r->dubious("suricata flow: end before start (end taken as start)"), 1u);
}

TEST(EveHostile, TenMegabytePayloadIsSkippedNotKept) {
  const std::string payload(10u << 20, 'A');
  auto r = read_result(read_suricata_eve, flow(counts("100", "200"), R"(,"payload_printable":")" + payload + "\""));
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->sink.flows[0].orig_bytes, 100u);
  EXPECT_EQ(r->stats.bad, 0u);
}

TEST(EveHostile, AlertStormOnOneFlow) {
  std::string text;
  const std::string a =
      R"({"timestamp":"2024-03-01T10:00:00.000000+0000","flow_id":7,"event_type":"alert","src_ip":"192.0.2.1","src_port":50000,"dest_ip":"198.51.100.1","dest_port":80,"proto":"TCP","alert":{"signature":"ET SCAN x","category":"Attempted Information Leak","severity":3,"signature_id":1}})"
      "\n";
  for (int i = 0; i < 100000; ++i) text += a;
  auto r = read_result(read_suricata_eve, text);
  EXPECT_EQ(r->sink.alerts.size(), 100000u);
  EXPECT_EQ(r->stats.bad, 0u);
}

TEST(EveHostile, WrongTypesAndBrokenJson) {
  auto r = read_result(read_suricata_eve,
                       flow(counts("1", "1"), R"(,"src_port":"x")") + "{\"event_type\":\"flow\",\n" + "[1,2]\n" +
                           R"({"timestamp":"2024-03-01T10:00:00Z","event_type":"flow","flow":{}})" "\n" +
                           R"({"timestamp":"2024-03-01T10:00:00Z","src_ip":"1.2.3.4","dest_ip":"1.2.3.5"})" "\n" +
                           flow(counts("1", "1"), R"(,"proto":"SCTP-ISH")") +
                           flow(counts("1", "1"), R"(,"src_port":70000)"));
  EXPECT_EQ(r->bad("suricata eve: bad field value (wrong type, negative or out of range)"), 2u);
  EXPECT_EQ(r->bad("suricata eve: malformed JSON"), 1u);
  EXPECT_EQ(r->bad("suricata eve: not an object"), 1u);
  EXPECT_EQ(r->bad("suricata eve: flow event without src_ip / dest_ip"), 1u);
  EXPECT_EQ(r->bad("suricata eve: event without event_type"), 1u);
  EXPECT_EQ(r->bad("suricata flow: bad proto"), 1u);
  EXPECT_TRUE(r->sink.flows.empty());
}

TEST(EveHostile, StatsCounterRestart) {
  const auto stats = [](const char* t, int up, int pk, int dr) {
    return std::string(R"({"timestamp":")") + t + R"(","event_type":"stats","stats":{"uptime":)" + std::to_string(up) +
           R"(,"capture":{"kernel_packets":)" + std::to_string(pk) + R"(,"kernel_drops":)" + std::to_string(dr) + "}}}\n";
  };
  auto r = read_result(read_suricata_eve, stats("2024-03-01T10:00:00Z", 100, 1000, 10) +
                                              stats("2024-03-01T10:00:08Z", 8, 50, 25));  // restarted
  ASSERT_EQ(r->sink.loss.size(), 2u);
  EXPECT_DOUBLE_EQ(r->sink.loss[0].percent_lost, 1.0);
  EXPECT_DOUBLE_EQ(r->sink.loss[1].percent_lost, 50.0);
  EXPECT_EQ(r->sink.loss[1].ts_delta, 8 * kNsPerSec);
}

}  // namespace
}  // namespace outflow
