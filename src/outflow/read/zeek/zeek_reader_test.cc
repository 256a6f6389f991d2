#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "outflow/read/byte_source.h"
#include "outflow/read/input.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::epoch;
using testing::ip;

struct ZeekRun {
  testing::CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  bool ok = false;

  void read(const std::string& text, bool json, size_t max_line = LineReader::kDefaultMaxLine) {
    auto src = memory_byte_source(text);
    LineReader lines(*src, max_line);
    const std::string file = "mem.log";
    ReadContext ctx{file, sink, diag, stats};
    ok = json ? read_zeek_json(lines, ctx) : read_zeek_tsv(lines, ctx);
  }
  uint64_t skipped(const std::string& what) const {
    const auto it = diag.skipped_counts().find(what);
    return it == diag.skipped_counts().end() ? 0 : it->second;
  }
  uint64_t bad(const std::string& reason) const {
    const auto it = diag.bad_by_reason().find(reason);
    return it == diag.bad_by_reason().end() ? 0 : it->second;
  }
};

const std::string kConnHeader =
    "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
    "#open\t2024-04-29-15-00-01\n"
    "#fields\t_node_name\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
    "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\t"
    "orig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
    "#types\tstring\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
    "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n";

const std::string kDnsHeader =
    "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\t"
    "qclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\t"
    "rejected\n";

TEST(ZeekTsv, ConnWithNodeName) {
  ZeekRun r;
  r.read(kConnHeader +
             "worker-eth0-1\t1714417205.459272\tCgomWd4W1smXYZnVi3\t10.0.0.238\t38239\t75.75.75.75\t53\t"
             "udp\tdns\t0.050411\t191\t319\tSF\tT\tF\t0\tDd\t2\t247\t2\t375\t-\n"
             "#close\t2024-04-29-16-00-00\n",
         false);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.sink.flows.size(), 1u);
  const FlowRecord& f = r.sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::zeek_conn);
  EXPECT_TRUE(f.bidirectional);
  EXPECT_EQ(f.sensor, "worker-eth0-1");
  EXPECT_EQ(f.uid, "CgomWd4W1smXYZnVi3");
  EXPECT_EQ(f.start, epoch("1714417205.459272"));
  EXPECT_EQ(f.end, epoch("1714417205.509683"));
  EXPECT_EQ(f.orig_h, ip("10.0.0.238"));
  EXPECT_EQ(f.resp_h, ip("75.75.75.75"));
  EXPECT_EQ(f.orig_p, 38239);
  EXPECT_EQ(f.resp_p, 53);
  EXPECT_EQ(f.proto, kProtoUdp);
  EXPECT_EQ(f.service, "dns");
  EXPECT_EQ(f.conn_state, "SF");
  EXPECT_EQ(f.history, "Dd");
  EXPECT_EQ(f.orig_bytes, 191u);
  EXPECT_EQ(f.resp_bytes, 319u);
  EXPECT_EQ(f.orig_pkts, 2u);
  EXPECT_EQ(f.resp_pkts, 2u);
  EXPECT_EQ(f.orig_ip_bytes, 247u);
  EXPECT_EQ(f.resp_ip_bytes, 375u);
  EXPECT_EQ(r.stats.flows, 1u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekTsv, OpenConnAndUnsetFields) {
  std::string text = kConnHeader;
  text.replace(text.find("#path\tconn"), 10, "#path\topen_conn");
  text += "node\t1713470872.451585\tC3\t73.54.23.243\t56394\t64.225.56.201\t22\ttcp\t-\t-\t-\t-\tS1\tF\tT\t0\t-\t"
          "-\t-\t-\t-\t(empty)\n";
  ZeekRun r;
  r.read(text, false);
  ASSERT_EQ(r.sink.flows.size(), 1u);
  const FlowRecord& f = r.sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::zeek_open_conn);
  EXPECT_EQ(f.end, f.start);
  EXPECT_EQ(f.orig_bytes, 0u);
  EXPECT_EQ(f.resp_pkts, 0u);
  EXPECT_EQ(f.service, "");
  EXPECT_EQ(f.history, "");
  EXPECT_EQ(f.proto, kProtoTcp);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekTsv, UnderscoredColumnsAndNoPath) {
  ZeekRun r;
  r.read("#separator \\x09\n#fields\tts\tid_orig_h\tid_orig_p\tid_resp_h\tid_resp_p\tproto\tduration\t"
         "orig_bytes\tresp_bytes\tconn_state\n"
         "1517336042.5\t2001:db8::1\t1\t2001:db8::2\t443\ttcp\t1.25\t10\t20\tSF\n",
         false);
  ASSERT_EQ(r.sink.flows.size(), 1u);
  const FlowRecord& f = r.sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::zeek_conn);
  EXPECT_EQ(f.orig_h, ip("2001:db8::1"));
  EXPECT_EQ(f.resp_p, 443);
  EXPECT_EQ(f.end - f.start, 1'250'000'000);
  EXPECT_EQ(f.sensor, "");
}

TEST(ZeekTsv, DnsAnswersKeepOnlyAddresses) {
  ZeekRun r;
  r.read(kDnsHeader +
             "1714417211.850305\tCy\t10.0.0.238\t38893\t75.75.75.75\t53\tudp\t64457\t0.02\texample.com\t1\t"
             "C_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\tcdn.example.net,93.184.216.34,2606:2800:220:1::1\t"
             "60.0,60.0,60.0\tF\n"
             "1714417211.9\tCz\t10.0.0.238\t38894\t75.75.75.75\t53\tudp\t1\t0.02\t251.0.0.224.in-addr.arpa\t1\t"
             "C_INTERNET\t12\tPTR\t0\tNOERROR\tF\tF\tT\tT\t0\tmdns.mcast.net\t2452.0\tF\n"
             "1714417211.9\tCz\t10.0.0.238\t38894\t75.75.75.75\t53\tudp\t1\t-\tnx.example\t1\t"
             "C_INTERNET\t1\tA\t3\tNXDOMAIN\tF\tF\tT\tF\t0\t-\t-\tF\n",
         false);
  // Every query is delivered, with its type and server; only addresses are kept as answers.
  ASSERT_EQ(r.sink.dns.size(), 3u);
  const DnsAnswer& d = r.sink.dns[0];
  EXPECT_EQ(d.query, "example.com");
  EXPECT_EQ(d.client, ip("10.0.0.238"));
  EXPECT_EQ(d.server, ip("75.75.75.75"));
  EXPECT_EQ(d.qtype, 1);
  EXPECT_EQ(d.time, epoch("1714417211.850305"));
  ASSERT_EQ(d.answers.size(), 2u);
  EXPECT_EQ(d.answers[0], ip("93.184.216.34"));
  EXPECT_EQ(d.answers[1], ip("2606:2800:220:1::1"));
  EXPECT_TRUE(r.sink.dns[1].answers.empty());
  EXPECT_EQ(r.sink.dns[1].qtype, 12);
  EXPECT_EQ(r.sink.dns[2].query, "nx.example");
  EXPECT_TRUE(r.sink.dns[2].answers.empty());
  EXPECT_EQ(r.stats.dns, 3u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekTsv, HeaderChangeMidFile) {
  // conn, then a files block (read but not used), then dns, then conn with another column order and
  // separator: the concatenation of rotated logs.
  const std::string text =
      kConnHeader +
      "n1\t1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t1.0\t5\t6\tSF\tT\tF\t0\tShAF\t1\t2\t3\t4\t-\n"
      "#close\tx\n"
      "#separator \\x09\n#path\tfiles\n#fields\tts\tfuid\ttx_hosts\n"
      "2.0\tC2\t10.0.0.1\n3.0\tC3\t10.0.0.1\n" +
      kDnsHeader +
      "4.0\tC4\t10.0.0.9\t5\t10.0.0.53\t53\tudp\t1\t-\tq.example\t1\tC\t1\tA\t0\tN\tF\tF\tT\tT\t0\t"
      "10.1.1.1\t1.0\tF\n"
      "#separator \\x2c\n#set_separator,;\n#path,conn\n#fields,id.resp_h,id.orig_h,ts,orig_bytes,proto\n"
      "10.0.0.4,10.0.0.3,5.0,77,udp\n";
  ZeekRun r;
  r.read(text, false);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.sink.flows.size(), 2u);
  EXPECT_EQ(r.sink.flows[0].sensor, "n1");
  EXPECT_EQ(r.sink.flows[1].orig_h, ip("10.0.0.3"));
  EXPECT_EQ(r.sink.flows[1].resp_h, ip("10.0.0.4"));
  EXPECT_EQ(r.sink.flows[1].orig_bytes, 77u);
  EXPECT_EQ(r.sink.flows[1].proto, kProtoUdp);
  EXPECT_EQ(r.sink.flows[1].sensor, "");  // _node_name column gone with the old header
  ASSERT_EQ(r.sink.dns.size(), 1u);
  EXPECT_EQ(r.sink.dns[0].answers.at(0), ip("10.1.1.1"));
  // files.log is read now: these two records name no connection (no uid, no conn_uids).
  EXPECT_EQ(r.diag.unused_logs().count("files"), 0u);
  EXPECT_EQ(r.skipped("zeek files (no connection uid)"), 2u);
  EXPECT_EQ(r.stats.unused_logs, 0u);
  EXPECT_EQ(r.stats.unused_lines, 0u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekTsv, SeparatorSpelledBackslashT) {
  ZeekRun r;
  r.read("#separator \\t\n#path\tconn\n#fields\tts\tid.orig_h\tid.resp_h\n1.0\t10.0.0.1\t10.0.0.2\n"
         "#separator ,\n#path,conn\n#fields,ts,id.orig_h,id.resp_h\n2.0,10.0.0.1,10.0.0.3\n",
         false);
  ASSERT_EQ(r.sink.flows.size(), 2u);
  EXPECT_EQ(r.sink.flows[1].resp_h, ip("10.0.0.3"));
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekTsv, MalformedLinesCountedWithLineNumbers) {
  // kConnHeader is 8 lines; data starts at line 9.
  const std::string good = "n\t1.5\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t1\t1\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\n";
  const std::string text = kConnHeader + good +                                                    // 9
                           "n\tnot-a-time\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t1\t1\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\n"  // 10
                           "n\t1.5\tC\t10.0.0.1\n"                                                    // 11
                           "n\t1.5\tC\t10.0.0.1\t70000\t10.0.0.2\t2\ttcp\t-\t1\t1\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\n"  // 12
                           "n\t1.5\tC\t10.0.0.999\t1\t10.0.0.2\t2\ttcp\t-\t1\t1\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\n"  // 13
                           "n\t1.5\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t1\t-5\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\n" +  // 14
                           good +                                                                  // 15
                           "n\t1.5\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t1\t1\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\textra\n";  // 16
  ZeekRun r;
  r.read(text, false);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.sink.flows.size(), 2u);
  EXPECT_EQ(r.stats.bad, 6u);
  EXPECT_EQ(r.diag.bad_records(), 6u);
  EXPECT_EQ(r.bad("zeek: bad ts"), 1u);
  EXPECT_EQ(r.bad("zeek: too few columns (truncated line?)"), 1u);
  EXPECT_EQ(r.bad("zeek: bad id.orig_p"), 1u);
  EXPECT_EQ(r.bad("zeek: bad id.orig_h"), 1u);
  EXPECT_EQ(r.bad("zeek: bad orig_bytes"), 1u);
  EXPECT_EQ(r.bad("zeek: too many columns"), 1u);
  std::vector<uint64_t> lines;
  for (const Anomaly& a : r.diag.samples()) {
    lines.push_back(a.line);
    EXPECT_EQ(a.file, "mem.log");
  }
  EXPECT_EQ(lines, (std::vector<uint64_t>{10, 11, 12, 13, 14, 16}));
  // Offsets: line 10 starts right after the header and the first good line.
  EXPECT_EQ(r.diag.samples()[0].offset, kConnHeader.size() + good.size());
}

TEST(ZeekTsv, TruncatedLastLineAndDataBeforeHeader) {
  ZeekRun r;
  r.read("1.0\tC\t10.0.0.1\n" + kConnHeader +
             "n\t1.5\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t1\t1\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\n"
             "n\t1.6\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t0.0",
         false);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.sink.flows.size(), 1u);
  ASSERT_EQ(r.diag.samples().size(), 2u);
  EXPECT_EQ(r.diag.samples()[0].reason, "zeek: data line before #fields header");
  EXPECT_EQ(r.diag.samples()[0].line, 1u);
  EXPECT_EQ(r.diag.samples()[1].reason, "zeek: too few columns (truncated line?)");
  EXPECT_EQ(r.diag.samples()[1].line, 11u);
}

TEST(ZeekTsv, HugeTimesAreBadNotOverflowed) {
  ZeekRun r;
  r.read("#separator \\x09\n#path\tconn\n#fields\tts\tid.orig_h\tid.resp_h\tduration\n"
         "15174322326.5\t10.0.0.1\t10.0.0.2\t1.0\n"
         "9000000000.0\t10.0.0.1\t10.0.0.2\t9000000000.0\n"
         "1517432232.5\t10.0.0.1\t10.0.0.2\t-1.0\n",
         false);
  EXPECT_TRUE(r.sink.flows.empty());
  EXPECT_EQ(r.bad("zeek: bad ts"), 1u);
  EXPECT_EQ(r.bad("zeek: ts out of range (before 1970 or after 2099)"), 1u);  // 2255
  EXPECT_EQ(r.bad("zeek: bad duration"), 1u);
}

TEST(ZeekTsv, OverlongLineIsBadRecord) {
  ZeekRun r;
  r.read(kConnHeader + std::string(5000, 'x') + "\n" +
             "n\t1.5\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t1\t1\t1\tSF\tT\tF\t0\tS\t1\t1\t1\t1\t-\n",
         false, 1024);
  EXPECT_EQ(r.bad("zeek: line too long"), 1u);
  EXPECT_EQ(r.sink.flows.size(), 1u);
}

TEST(ZeekJson, DottedKeysWithPath) {
  ZeekRun r;
  r.read(R"({"ts": 1517336042.279652, "uid": "CVvreZ2AGtqjnP3nnl", "id.orig_h": "192.168.88.2", "id.orig_p": 55638, "id.resp_h": "165.227.88.15", "id.resp_p": 53, "proto": "udp", "service": "dns", "duration": 0.069982, "orig_bytes": 61, "resp_bytes": 81, "conn_state": "SF", "local_orig": true, "missed_bytes": 0, "history": "Dd", "orig_pkts": 1, "orig_ip_bytes": 89, "resp_pkts": 1, "resp_ip_bytes": 109, "tunnel_parents": [], "community_id": "1:abc=", "_node_name": "s1", "_path": "conn"})"
         "\n"
         R"({"ts":1.0,"uid":"C2","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"proto":"tcp","_path":"open_conn"})"
         "\n"
         R"({"ts":1.0,"uid":"C3","id.orig_h":"10.0.0.1","name":"bad_TCP_checksum","_path":"weird"})"
         "\n\n",
         true);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.sink.flows.size(), 2u);
  const FlowRecord& f = r.sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::zeek_conn);
  EXPECT_EQ(f.start, epoch("1517336042.279652"));  // exact, not through a double
  EXPECT_EQ(f.end, epoch("1517336042.349634"));
  EXPECT_EQ(f.orig_h, ip("192.168.88.2"));
  EXPECT_EQ(f.orig_p, 55638);
  EXPECT_EQ(f.resp_h, ip("165.227.88.15"));
  EXPECT_EQ(f.resp_p, 53);
  EXPECT_EQ(f.proto, kProtoUdp);
  EXPECT_EQ(f.uid, "CVvreZ2AGtqjnP3nnl");
  EXPECT_EQ(f.service, "dns");
  EXPECT_EQ(f.conn_state, "SF");
  EXPECT_EQ(f.history, "Dd");
  EXPECT_EQ(f.orig_bytes, 61u);
  EXPECT_EQ(f.resp_bytes, 81u);
  EXPECT_EQ(f.orig_ip_bytes, 89u);
  EXPECT_EQ(f.resp_ip_bytes, 109u);
  EXPECT_EQ(f.community_id, "1:abc=");
  EXPECT_EQ(f.sensor, "s1");
  EXPECT_EQ(r.sink.flows[1].source, FlowSource::zeek_open_conn);
  EXPECT_EQ(r.sink.flows[1].uid, "C2");
  EXPECT_EQ(r.sink.flows[1].service, "");
  EXPECT_EQ(r.diag.unused_logs().at("weird").lines, 1u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekJson, UnderscoredKeysIsoTimeNoPath) {
  ZeekRun r;
  r.read(R"({"ts":"2018-01-30T18:14:02.279652Z","id_orig_h":"10.0.0.1","id_orig_p":5,"id_resp_h":"2001:db8::5","id_resp_p":443,"proto":"tcp","duration":2.5,"orig_bytes":null,"resp_bytes":"12","conn_state":"S1"})"
         "\n",
         true);
  ASSERT_EQ(r.sink.flows.size(), 1u);
  const FlowRecord& f = r.sink.flows[0];
  TimeNs t;
  ASSERT_TRUE(parse_datetime("2018-01-30T18:14:02.279652Z", t));
  EXPECT_EQ(f.start, t);
  EXPECT_EQ(f.end, t + 2'500'000'000);
  EXPECT_EQ(f.resp_h, ip("2001:db8::5"));
  EXPECT_EQ(f.orig_bytes, 0u);
  EXPECT_EQ(f.resp_bytes, 12u);
  EXPECT_EQ(f.source, FlowSource::zeek_conn);
}

TEST(ZeekJson, FilesLogWithoutPathIsNotConn) {
  ZeekRun r;
  r.read(R"({"ts":1.0,"fuid":"F1","source":"HTTP","duration":0.5,"seen_bytes":10,"total_bytes":10})"
         "\n",
         true);
  EXPECT_TRUE(r.sink.flows.empty());
  EXPECT_EQ(r.diag.bad_records(), 0u);
  // Recognised as files.log by its keys; it names no connection, so it is skipped.
  EXPECT_TRUE(r.sink.files.empty());
  EXPECT_EQ(r.skipped("zeek files (no connection uid)"), 1u);
}

TEST(ZeekJson, DnsAnswers) {
  ZeekRun r;
  r.read(R"({"ts":10.5,"id.orig_h":"10.0.0.7","id.orig_p":5353,"id.resp_h":"10.0.0.53","id.resp_p":53,"query":"a.example","answers":["a.cdn.example","1.2.3.4","::1"],"TTLs":[1.0,2.0,3.0]})"
         "\n"
         R"({"ts":11.5,"id.orig_h":"10.0.0.7","query":"t.example","answers":["TXT 18 302f"],"_path":"dns"})"
         "\n",
         true);
  ASSERT_EQ(r.sink.dns.size(), 2u);
  const DnsAnswer& d = r.sink.dns[0];
  EXPECT_EQ(d.time, 10'500'000'000);
  EXPECT_EQ(d.client, ip("10.0.0.7"));
  EXPECT_EQ(d.server, ip("10.0.0.53"));
  EXPECT_EQ(d.query, "a.example");
  ASSERT_EQ(d.answers.size(), 2u);
  EXPECT_EQ(d.answers[0], ip("1.2.3.4"));
  EXPECT_EQ(d.answers[1], ip("::1"));
  EXPECT_EQ(r.sink.dns[1].query, "t.example");  // a TXT answer: delivered for the DNS view, no address
  EXPECT_TRUE(r.sink.dns[1].answers.empty());
  EXPECT_EQ(r.stats.dns, 2u);
}

TEST(ZeekJson, InvalidLinesAreBadRecords) {
  ZeekRun r;
  r.read(R"({"ts":1.0,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","conn_state":"SF"})"
         "\n"
         R"({"ts":1.0,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","local_orig":t)"
         "\n"
         "[1,2]\n"
         R"({"ts":1.0,"id.orig_h":"10.0.0.1","id.orig_p":93145,"id.resp_h":"10.0.0.2","conn_state":"SF"})"
         "\n"
         R"({"ts":1.0,"id.orig_h":"not an ip","id.resp_h":"10.0.0.2","conn_state":"SF"})"
         "\n"
         R"({"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","conn_state":"SF"})"
         "\n"
         R"({"ts":2.0,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","conn_state":"SF"})",
         true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.sink.flows.size(), 2u);
  EXPECT_EQ(r.stats.bad, 5u);
  ASSERT_EQ(r.diag.samples().size(), 5u);
  EXPECT_EQ(r.diag.samples()[0].line, 2u);
  EXPECT_EQ(r.diag.samples()[0].reason.rfind("json: ", 0), 0u) << r.diag.samples()[0].reason;
  EXPECT_EQ(r.diag.samples()[1].line, 3u);
  EXPECT_EQ(r.diag.samples()[1].reason, "json: not an object");
  EXPECT_EQ(r.diag.samples()[2].reason, "zeek json: bad id.orig_p");
  EXPECT_EQ(r.diag.samples()[2].line, 4u);
  EXPECT_EQ(r.diag.samples()[3].reason, "zeek json: bad id.orig_h");
  EXPECT_EQ(r.diag.samples()[4].reason, "zeek json: conn record without ts");
  EXPECT_EQ(r.diag.samples()[4].line, 6u);
}

TEST(ZeekJson, OverlongLineIsBadRecord) {
  ZeekRun r;
  r.read("{\"pad\":\"" + std::string(3000, 'x') + "\"}\n" +
             R"({"ts":1.0,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","conn_state":"SF"})" + "\n",
         true, 1024);
  EXPECT_EQ(r.bad("zeek json: line too long"), 1u);
  EXPECT_EQ(r.sink.flows.size(), 1u);
}

}  // namespace
}  // namespace outflow
