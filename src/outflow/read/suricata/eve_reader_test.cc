// The EVE reader on tests/fixtures/suricata/eve_docs.json (events in the shapes Suricata's
// manual documents, written for this project: make_eve_docs.py) and on small cases.
#include <gtest/gtest.h>

#include <fstream>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>
#include <sstream>

#include "outflow/join/community_id.h"
#include "outflow/read/suricata/eve_detect.h"
#include "outflow/read/line_reader.h"
#include "outflow/read/suricata/eve_parse.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;
using testing::read_result;

std::string fixture() {
  std::ifstream in(std::string(OUTFLOW_SOURCE_DIR) + "/tests/fixtures/suricata/eve_docs.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TimeNs at(const char* s) {
  TimeNs t = kNoTime;
  EXPECT_TRUE(parse_datetime(s, t)) << s;
  return t;
}

const FlowRecord* flow_by_uid(const testing::CollectSink& s, const std::string& uid) {
  for (const auto& f : s.flows)
    if (f.uid == uid) return &f;
  return nullptr;
}

TEST(EveDetect, RecognisedFromContent) {
  const std::string text = fixture();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(detect_format(text), InputFormat::suricata_eve);
  EXPECT_EQ(detect_format(R"({"timestamp":"2024-03-01T10:00:00.000000+0000","event_type":"stats","stats":{"uptime":8}})"),
            InputFormat::suricata_eve);
  // Zeek JSON and Windows events are not EVE.
  EXPECT_EQ(detect_format(R"({"ts":1,"uid":"C1","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","event_type":"x","src_ip":"1","dest_ip":"2"})"),
            InputFormat::zeek_json);
  EXPECT_EQ(detect_format(R"({"EventID":3,"event_type":"x","src_ip":"1","dest_ip":"2"})"), InputFormat::windows_json);
  EXPECT_TRUE(suricata::eve_names_line(R"({"event_type":"dns","src_ip":"a","dest_ip":"b"})"));
  EXPECT_FALSE(suricata::eve_names_line(R"({"event_type":"flow","src_ip":"a","dest_ip":"b"})"));
}

TEST(EveTime, OffsetReadNeverAssumed) {
  TimeNs t = kNoTime;
  ASSERT_EQ(suricata::parse_eve_time("2021-06-01T12:00:00.123456+0200", t), suricata::EveTime::ok);
  EXPECT_EQ(t, at("2021-06-01 10:00:00.123456"));
  ASSERT_EQ(suricata::parse_eve_time("2021-06-01T05:00:00.5-0500", t), suricata::EveTime::ok);
  EXPECT_EQ(t, at("2021-06-01 10:00:00.5"));
  EXPECT_EQ(suricata::parse_eve_time("2021-06-01T12:00:00.123456", t), suricata::EveTime::no_offset);
  EXPECT_EQ(suricata::parse_eve_time("yesterday", t), suricata::EveTime::bad);
  EXPECT_EQ(suricata::parse_eve_time("2150-06-01T12:00:00Z", t), suricata::EveTime::out_of_range);
}

TEST(EveReader, DocumentedEvents) {
  auto r = read_result(read_suricata_eve, fixture());
  const auto& s = r->sink;
  EXPECT_EQ(r->stats.bad, 0u) << (r->diag.samples().empty() ? "" : r->diag.samples()[0].reason);
  EXPECT_EQ(r->diag.dubious_values(), 0u);  // the fixture's community ids are right

  // The HTTP upload's flow: both directions, Suricata's counts, the app protocol as service.
  const FlowRecord* up = flow_by_uid(s, "1111111111111111");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->source, FlowSource::suricata);
  EXPECT_TRUE(up->bidirectional);
  EXPECT_FALSE(up->interim);
  EXPECT_EQ(up->orig_h, ip("192.0.2.10"));
  EXPECT_EQ(up->resp_h, ip("203.0.113.10"));
  EXPECT_EQ(up->orig_p, 49200);
  EXPECT_EQ(up->resp_p, 80);
  EXPECT_EQ(up->proto, kProtoTcp);
  EXPECT_EQ(up->orig_bytes, 1100000u);
  EXPECT_EQ(up->resp_bytes, 21000u);
  EXPECT_EQ(up->orig_pkts, 760u);
  EXPECT_EQ(up->resp_pkts, 380u);
  EXPECT_EQ(up->start, at("2024-03-01 10:00:01"));  // +0200 read
  EXPECT_EQ(up->end, at("2024-03-01 10:00:03.5"));
  EXPECT_EQ(up->service, "http");
  EXPECT_EQ(up->conn_state, "closed");
  EXPECT_EQ(up->end_reason, "timeout");
  EXPECT_EQ(up->community_id, community_id_v1(up->orig_h, 49200, up->resp_h, 80, kProtoTcp));

  // -0500: the sensor's local time, read as such.
  const FlowRecord* tls = flow_by_uid(s, "4444");
  ASSERT_NE(tls, nullptr);
  EXPECT_EQ(tls->start, at("2024-03-01 10:00:09.9"));
  EXPECT_EQ(tls->service, "tls");

  // ICMP: type and code in the ports, as Zeek and Community ID have them.
  const FlowRecord* icmp = flow_by_uid(s, "5555");
  ASSERT_NE(icmp, nullptr);
  EXPECT_EQ(icmp->proto, kProtoIcmp);
  EXPECT_EQ(icmp->orig_p, 8);
  EXPECT_EQ(icmp->resp_p, 0);

  // Cut by Suricata's shutdown: still open, a snapshot.
  const FlowRecord* open = flow_by_uid(s, "6666");
  ASSERT_NE(open, nullptr);
  EXPECT_TRUE(open->interim);
  EXPECT_EQ(open->source, FlowSource::suricata_open);

  // Picked up midstream (src port 443, no SYN from src): turned round, the client as orig.
  const FlowRecord* mid = flow_by_uid(s, "7777");
  ASSERT_NE(mid, nullptr);
  EXPECT_EQ(mid->orig_h, ip("192.0.2.10"));
  EXPECT_EQ(mid->orig_p, 50123);
  EXPECT_EQ(mid->resp_p, 443);
  EXPECT_EQ(mid->orig_bytes, 3000u);
  EXPECT_EQ(mid->resp_bytes, 60000u);
  EXPECT_EQ(r->skipped("suricata flow picked up midstream (ports say src is the server: swapped)"), 1u);

  // netflow: one direction per record, for the stitcher to pair.
  int netflows = 0;
  for (const auto& f : s.flows)
    if (f.source == FlowSource::suricata_netflow) {
      ++netflows;
      EXPECT_FALSE(f.bidirectional);
      EXPECT_EQ(f.resp_bytes, 0u);
    }
  EXPECT_EQ(netflows, 2);
  EXPECT_EQ(s.flows.size(), 7u);
  EXPECT_EQ(r->stats.flows, 7u);

  // DNS: the v2 query and answer are one transaction (the query's time), the v3 response one.
  ASSERT_EQ(s.dns.size(), 2u);
  EXPECT_EQ(s.dns[0].query, "files.example.org");
  EXPECT_EQ(s.dns[0].time, at("2024-03-01 10:00:00"));
  EXPECT_EQ(s.dns[0].qtype, 1);
  ASSERT_EQ(s.dns[0].answers.size(), 1u);
  EXPECT_EQ(s.dns[0].answers[0], ip("198.51.100.20"));
  EXPECT_EQ(s.dns[0].ptr_name, "cdn.example.org");
  EXPECT_EQ(s.dns[0].client, ip("192.0.2.10"));
  EXPECT_EQ(s.dns[0].server, ip("192.0.2.53"));
  EXPECT_EQ(s.dns[1].query, "mail.example.org");
  EXPECT_EQ(s.dns[1].qtype, 28);
  ASSERT_EQ(s.dns[1].answers.size(), 1u);
  EXPECT_EQ(s.dns[1].answers[0], ip("2001:db8::25"));

  // tls and http as Zeek's ssl.log and http.log records, joined by flow_id.
  ASSERT_EQ(s.app.size(), 2u);
  const AppRecord& h = s.app[0];
  EXPECT_EQ(h.kind, AppKind::http);
  EXPECT_EQ(h.uid, "1111111111111111");
  EXPECT_EQ(h.name, "upload.example.net");
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.uri, "/put");
  EXPECT_EQ(h.user_agent, "curl/8.0");
  EXPECT_EQ(h.status_code, 200);
  EXPECT_EQ(h.response_body_len, 2u);
  const AppRecord& t = s.app[1];
  EXPECT_EQ(t.kind, AppKind::ssl);
  EXPECT_EQ(t.uid, "4444");
  EXPECT_EQ(t.name, "files.example.org");
  EXPECT_EQ(t.ja3, "e7d705a3286e19ea42f587b344ee6865");
  EXPECT_EQ(t.ja3s, "15af977ce25de452b96affa2addb1036");

  // fileinfo: a file the client sent (direction to_server).
  ASSERT_EQ(s.files.size(), 1u);
  EXPECT_EQ(s.files[0].uid, "1111111111111111");
  EXPECT_EQ(s.files[0].is_orig, 1);
  EXPECT_EQ(s.files[0].seen_bytes, 1048576u);
  EXPECT_EQ(s.files[0].tx, ip("192.0.2.10"));

  // alert: signature, category, severity, joined by flow_id.
  ASSERT_EQ(s.alerts.size(), 1u);
  EXPECT_EQ(s.alerts[0].uid, "1111111111111111");
  EXPECT_EQ(s.alerts[0].signature, "ET POLICY curl User-Agent Outbound");
  EXPECT_EQ(s.alerts[0].category, "Attempted Information Leak");
  EXPECT_EQ(s.alerts[0].severity, 2);
  EXPECT_EQ(s.alerts[0].signature_id, 2013028u);
  EXPECT_EQ(r->stats.alerts, 1u);

  // stats: the first interval is the uptime without loss, the second lost 500 of 10,000.
  ASSERT_EQ(s.loss.size(), 2u);
  EXPECT_EQ(s.loss[0].percent_lost, 0.0);
  EXPECT_EQ(s.loss[0].ts_delta, 8 * kNsPerSec);
  EXPECT_EQ(s.loss[1].gaps, 500u);
  EXPECT_EQ(s.loss[1].acks, 10000u);
  EXPECT_DOUBLE_EQ(s.loss[1].percent_lost, 5.0);
  EXPECT_EQ(s.loss[1].ts_delta, 8 * kNsPerSec);

  // anomaly and ssh: read, not used (never "not understood").
  const auto& unused = r->diag.unused_logs();
  ASSERT_TRUE(unused.count("eve anomaly"));
  EXPECT_EQ(unused.at("eve anomaly").lines, 1u);
  ASSERT_TRUE(unused.count("eve ssh"));
  EXPECT_EQ(r->stats.unused_lines, 2u);
}

TEST(EveReader, UnansweredQueryGoesOutAlone) {
  auto r = read_result(read_suricata_eve,
                       R"({"timestamp":"2024-03-01T10:00:00Z","flow_id":1,"event_type":"dns","src_ip":"192.0.2.1","src_port":5000,"dest_ip":"192.0.2.53","dest_port":53,"proto":"UDP","dns":{"type":"query","id":1,"rrname":"a.example","rrtype":"TXT"}})"
                       "\n");
  ASSERT_EQ(r->sink.dns.size(), 1u);
  EXPECT_EQ(r->sink.dns[0].query, "a.example");
  EXPECT_EQ(r->sink.dns[0].qtype, 16);
  EXPECT_TRUE(r->sink.dns[0].answers.empty());
}

TEST(EveReader, CommunityIdMismatchCounted) {
  auto r = read_result(read_suricata_eve,
                       R"({"event_type":"flow","flow_id":2,"src_ip":"192.0.2.1","src_port":5000,"dest_ip":"198.51.100.1","dest_port":443,"proto":"TCP","community_id":"1:AAAAAAAAAAAAAAAAAAAAAAAAAAA=","flow":{"pkts_toserver":1,"pkts_toclient":1,"bytes_toserver":60,"bytes_toclient":60,"start":"2024-03-01T10:00:00Z","end":"2024-03-01T10:00:01Z","state":"closed","reason":"timeout"}})"
                       "\n");
  ASSERT_EQ(r->sink.flows.size(), 1u);
  EXPECT_EQ(r->dubious("suricata flow: community_id does not match the 5-tuple (kept)"), 1u);
}

// The parser's fast paths (strings and counts read from their raw tokens) against the slow ones
// they hand over to: escapes unescaped, spaces around tokens, nulls, wrong types and numbers
// that are not plain non-negative integers.
struct Parsed {
  const char* why = nullptr;
  suricata::EveEvent ev;
  DnsAnswer dns;
  std::string keep;  // the line, with simdjson's padding after it
};

std::unique_ptr<Parsed> parse_line(const std::string& line) {
  static suricata::EveParser parser;
  auto p = std::make_unique<Parsed>();
  p->keep = line + std::string(LineReader::kPadding, ' ');
  p->why = parser.parse(std::string_view(p->keep.data(), line.size()), p->ev, p->dns);
  return p;
}

TEST(EveParse, StringsRawWhenPlainUnescapedOtherwise) {
  auto p = parse_line(R"({ "event_type" : "tls" , "src_ip":"192.0.2.1","tls":{"sni":"a\u0041\"b.example","ja3":{"hash" :  "h1"  }},"app_proto":null})");
  ASSERT_EQ(p->why, nullptr);
  EXPECT_EQ(p->ev.event_type, "tls");
  EXPECT_EQ(p->ev.src_ip, "192.0.2.1");
  EXPECT_EQ(p->ev.tls.sni, "aA\"b.example");
  EXPECT_EQ(p->ev.tls.ja3, "h1");
  EXPECT_EQ(p->ev.app_proto, "");
  // A backslash in the first eight bytes, past them, and in the tail after the last eight.
  auto h = parse_line(R"({"http":{"url":"/abcdefghijklmno\\/x","hostname":"abcdefghijklmnopq\u0041","http_method":"abcdefgh\tb"}})");
  ASSERT_EQ(h->why, nullptr);
  EXPECT_EQ(h->ev.http.url, "/abcdefghijklmno\\/x");
  EXPECT_EQ(h->ev.http.hostname, "abcdefghijklmnopqA");
  EXPECT_EQ(h->ev.http.method, "abcdefgh\tb");
  // Keys match only whole: a longer or shorter key is another field.
  auto k = parse_line(R"({"src_ipx":"192.0.2.9","src_i":"192.0.2.8","src_ip":"192.0.2.1"})");
  EXPECT_EQ(k->ev.src_ip, "192.0.2.1");
  EXPECT_EQ(parse_line(R"({"event_type":"\"})")->why, std::string("suricata eve: malformed JSON"));
  EXPECT_NE(parse_line(R"({"event_type":5})")->why, nullptr);
  EXPECT_NE(parse_line(R"({"event_type":["flow"]})")->why, nullptr);
  EXPECT_EQ(parse_line(R"({"event_type":""})")->ev.event_type, "");
}

TEST(EveParse, CountsPlainDigitsOnly) {
  auto ok = [](const std::string& n) {
    auto p = parse_line(R"({"flow":{"bytes_toserver":)" + n + "}}");
    EXPECT_EQ(p->why, nullptr) << n;
    return p->ev.flow.bytes_toserver;
  };
  EXPECT_EQ(ok("0"), 0u);
  EXPECT_EQ(ok("12 "), 12u);
  EXPECT_EQ(ok("null"), 0u);
  EXPECT_EQ(ok("1234567890123456789"), 1234567890123456789u);
  EXPECT_EQ(ok("18446744073709551615"), 18446744073709551615u);  // 20 digits: simdjson reads it
  for (const char* bad : {"-1", "1.5", "1e3", "01", "18446744073709551616", "\"7\"", "true"})
    EXPECT_NE(parse_line(std::string(R"({"flow":{"bytes_toserver":)") + bad + "}}")->why, nullptr) << bad;
  auto p = parse_line(R"({"src_port":443,"dest_port":70000})");
  EXPECT_NE(p->why, nullptr);
}

// The clock's remembered hour gives what parse_eve_time gives, for times in and out of its shape,
// across hours, dates and offsets, and at the end of the record range inside a half-hour offset.
TEST(EveParse, ClockAgreesWithParseEveTime) {
  suricata::EveClock clock;
  std::mt19937 rng(7);
  std::vector<std::string> times = {"2099-12-31T23:10:00.000000-0030", "2099-12-31T23:40:00.000000-0030",
                                    "2099-12-31T23:59:59.999999+0000", "2024-03-01T10:59:60.000000+0000",
                                    "2024-03-01T10:15:00.5+0100", "2024-03-01T10:15:00Z", "2024-03-01T10:15:00.000000",
                                    "2024-03-01T10:1x:00.000000+0100", "2024-03-01T10:15:00.000000+01:00"};
  for (int i = 0; i < 20000; ++i) {
    char b[64];
    const int hour = static_cast<int>(rng() % 3), day = 1 + static_cast<int>(rng() % 2);
    std::snprintf(b, sizeof b, "2024-03-%02dT1%d:%02u:%02u.%06u%s", day, hour, static_cast<unsigned>(rng() % 60), static_cast<unsigned>(rng() % 60), static_cast<unsigned>(rng() % 1000000),
                  rng() % 4 == 0 ? "-0530" : "+0100");
    times.push_back(b);
    if (i % 1000 == 0) times.push_back(times[rng() % times.size()]);
  }
  size_t ok = 0;
  for (const auto& t : times) {
    TimeNs a = kNoTime, b = kNoTime;
    const auto ra = clock.parse(t, a);
    const auto rb = suricata::parse_eve_time(t, b);
    ASSERT_EQ(ra, rb) << t;
    if (rb == suricata::EveTime::ok) {
      ASSERT_EQ(a, b) << t;
      ++ok;
    }
  }
  EXPECT_GT(ok, 20000u);
  TimeNs t = kNoTime;
  EXPECT_EQ(clock.parse("2099-12-31T23:10:00.000000-0030", t), suricata::EveTime::ok);
  EXPECT_EQ(clock.parse("2099-12-31T23:40:00.000000-0030", t), suricata::EveTime::out_of_range);
}

}  // namespace
}  // namespace outflow
