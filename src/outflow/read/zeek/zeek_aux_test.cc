// Zeek logs beyond conn and dns, TSV and JSON: ssl and http (AppRecord), dhcp (DhcpLease),
// capture_loss (CaptureLossRecord), and the logs read but not used.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "outflow/read/byte_source.h"
#include "outflow/read/input.h"
#include "outflow/read/zeek/zeek_aux.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::epoch;
using testing::ip;

struct AuxRun {
  testing::CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  std::string error;
  bool ok = false;
  // Through read_input, as the CLI reads a file named `file` (format detected from content).
  void read(const std::string& text, const std::string& file = "mem.log") {
    auto src = memory_byte_source(text);
    ok = read_input(*src, file, sink, diag, stats, error);
  }
  uint64_t skipped(const std::string& what) const {
    const auto it = diag.skipped_counts().find(what);
    return it == diag.skipped_counts().end() ? 0 : it->second;
  }
  Diagnostics::UnusedLog unused(const std::string& log) const {
    const auto it = diag.unused_logs().find(log);
    return it == diag.unused_logs().end() ? Diagnostics::UnusedLog{} : it->second;
  }
};

std::string tsv_header(const std::string& path, const std::string& fields) {
  return "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t" + path +
         "\n#open\t2024-04-29-15-00-01\n#fields\t" + fields + "\n#types\tx\n";
}

TEST(ZeekAuxTsv, SslNamesAndFingerprints) {
  AuxRun r;
  r.read(tsv_header("ssl", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcipher\tserver_name\tja3\tja3s") +
         "1714417205.5\tCssl1\t10.0.0.5\t50000\t93.184.216.34\t443\tTLSv12\tX\tupload.example.com\tabc\tdef\n"
         "1714417206.5\tCssl2\t10.0.0.5\t50001\t93.184.216.35\t443\tTLSv13\tX\t-\t-\t-\n"
         "1714417207.5\tCssl3\t10.0.0.5\t50002\t93.184.216.36\t443\tTLSv13\tX\t-\tj3\t-\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::zeek_tsv);
  ASSERT_EQ(r.sink.app.size(), 2u);
  const AppRecord& a = r.sink.app[0];
  EXPECT_EQ(a.kind, AppKind::ssl);
  EXPECT_EQ(a.ts, epoch("1714417205.5"));
  EXPECT_EQ(a.uid, "Cssl1");
  EXPECT_EQ(a.orig_h, ip("10.0.0.5"));
  EXPECT_EQ(a.orig_p, 50000);
  EXPECT_EQ(a.resp_h, ip("93.184.216.34"));
  EXPECT_EQ(a.resp_p, 443);
  EXPECT_EQ(a.name, "upload.example.com");
  EXPECT_EQ(a.ja3, "abc");
  EXPECT_EQ(a.ja3s, "def");
  EXPECT_EQ(r.sink.app[1].name, "");  // no SNI, but a JA3: kept
  EXPECT_EQ(r.sink.app[1].ja3, "j3");
  EXPECT_EQ(r.skipped("zeek ssl (no server name or ja3)"), 1u);
  EXPECT_EQ(r.stats.app, 2u);
  EXPECT_EQ(r.stats.records(), 2u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_TRUE(r.diag.unused_logs().empty());
}

TEST(ZeekAuxTsv, HttpRequestsOpenHttpAndBadCounts) {
  AuxRun r;
  const std::string fields =
      "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\treferrer\tversion\t"
      "user_agent\trequest_body_len\tresponse_body_len\tstatus_code";
  r.read(tsv_header("open_http", fields) +
         "10.0\tCh1\t10.0.0.5\t40000\t198.51.100.7\t8080\t1\tPOST\tdrop.example.net:8080\t/up\t-\t1.1\tcurl/8.0\t123456\t"
         "17\t201\n"
         "11.0\tCh2\t10.0.0.5\t40001\t198.51.100.8\t80\t1\tGET\t198.51.100.8\t/\t-\t1.1\t-\t0\t5\t200\n"
         "12.0\tCh3\t10.0.0.5\t40002\t198.51.100.9\t80\t1\tGET\tx.example\t/\t-\t1.1\t-\tmany\t5\t200\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.app.size(), 2u);
  const AppRecord& a = r.sink.app[0];
  EXPECT_EQ(a.kind, AppKind::http);
  EXPECT_EQ(a.name, "drop.example.net");  // port cut off
  EXPECT_EQ(a.method, "POST");
  EXPECT_EQ(a.uri, "/up");
  EXPECT_EQ(a.user_agent, "curl/8.0");
  EXPECT_EQ(a.request_body_len, 123456u);
  EXPECT_EQ(a.response_body_len, 17u);
  EXPECT_EQ(a.status_code, 201);
  EXPECT_EQ(a.resp_p, 8080);
  EXPECT_EQ(r.sink.app[1].name, "");  // a Host that is an address names nothing
  EXPECT_EQ(r.sink.app[1].request_body_len, 0u);
  EXPECT_EQ(r.diag.bad_by_reason().at("zeek http: bad request_body_len"), 1u);
}

TEST(ZeekAuxTsv, DhcpHostNamesOldAndNewFields) {
  AuxRun r;
  r.read(tsv_header("dhcp", "ts\tuids\tclient_addr\tserver_addr\tmac\thost_name\tclient_fqdn\tdomain\trequested_addr\t"
                            "assigned_addr\tlease_time\tmsg_types\tduration") +
         "100.0\tC1,C2\t-\t10.0.2.2\t08:00:27:7f:09:e1\tJohn-PC\tJohn-PC.corp\tcorp\t10.0.2.15\t10.0.2.15\t86400.0\t"
         "REQUEST,ACK\t4.0\n"
         "200.0\tC3\t10.0.2.16\t10.0.2.2\t08:00:27:7f:09:e2\t-\tlaptop7.corp\tcorp\t-\t-\t-\tINFORM,ACK\t0.1\n"
         "300.0\tC4\t10.0.2.17\t10.0.2.2\t08:00:27:7f:09:e3\t-\t-\t-\t-\t10.0.2.17\t60.0\tREQUEST,ACK\t0.1\n" +
         tsv_header("dhcp", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmac\tassigned_ip\tlease_time\ttrans_id") +
         "400.0\tC5\t10.0.0.9\t68\t10.0.0.1\t67\taa:bb\t10.0.0.9\t3600\t1\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.dhcp.size(), 2u);
  EXPECT_EQ(r.sink.dhcp[0].addr, ip("10.0.2.15"));
  EXPECT_EQ(r.sink.dhcp[0].host_name, "John-PC");  // host_name before client_fqdn
  EXPECT_EQ(r.sink.dhcp[0].mac, "08:00:27:7f:09:e1");
  EXPECT_EQ(r.sink.dhcp[0].ts, 100 * kNsPerSec);
  EXPECT_EQ(r.sink.dhcp[1].addr, ip("10.0.2.16"));  // no assigned_addr: the client's own
  EXPECT_EQ(r.sink.dhcp[1].host_name, "laptop7.corp");
  EXPECT_EQ(r.skipped("zeek dhcp (no host name)"), 2u);  // one of each shape
  EXPECT_EQ(r.stats.dhcp, 2u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekAuxTsv, CaptureLoss) {
  AuxRun r;
  r.read(tsv_header("capture_loss", "ts\tts_delta\tpeer\tgaps\tacks\tpercent_lost") +
         "1714417200.0\t900.0\tworker-1\t0\t1000\t0.0\n"
         "1714418100.0\t900.000005\tworker-1\t125\t1000\t12.5\n"
         "1714419000.0\t900.0\tworker-1\t1\t1\t101.0\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.loss.size(), 2u);
  const CaptureLossRecord& l = r.sink.loss[1];
  EXPECT_EQ(l.ts, epoch("1714418100.0"));
  EXPECT_EQ(l.ts_delta, 900'000'005'000);
  EXPECT_EQ(l.peer, "worker-1");
  EXPECT_EQ(l.gaps, 125u);
  EXPECT_EQ(l.acks, 1000u);
  EXPECT_DOUBLE_EQ(l.percent_lost, 12.5);
  EXPECT_EQ(r.diag.bad_by_reason().at("zeek capture_loss: bad percent_lost"), 1u);
}

TEST(ZeekAuxTsv, LogsNotUsedAreCountedNotParsed) {
  AuxRun r;
  // pe (2 lines), x509 (1 line, a column short: not parsed, so not bad), weird with headers
  // only, pe again in the same file (one file, 3 lines in all).
  r.read(tsv_header("pe", "ts\tfuid\ttx_hosts") + "1.0\tF1\t10.0.0.1\n2.0\tF2\t10.0.0.1\n" +
         tsv_header("x509", "ts\tid\tcertificate.version") + "3.0\tF3\n" + tsv_header("weird", "ts\tname") +
         tsv_header("pe", "ts\tfuid\ttx_hosts") + "4.0\tF4\t10.0.0.2\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.records(), 0u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_EQ(r.unused("pe").files, 1u);
  EXPECT_EQ(r.unused("pe").lines, 3u);
  EXPECT_EQ(r.unused("x509").lines, 1u);
  EXPECT_EQ(r.unused("weird").files, 1u);
  EXPECT_EQ(r.unused("weird").lines, 0u);
  EXPECT_EQ(r.stats.unused_logs, 3u);
  EXPECT_EQ(r.stats.unused_lines, 4u);
  EXPECT_EQ(r.diag.unused_log_files(), 3u);
  EXPECT_TRUE(r.diag.skipped_counts().empty());
}

TEST(ZeekAuxJson, SslHttpWithoutPathByKeys) {
  AuxRun r;
  r.read(R"({"ts":1517336108.231879,"uid":"Cj1","id.orig_h":"10.55.100.100","id.orig_p":50255,"id.resp_h":"13.78.179.199","id.resp_p":443,"version":"TLSv12","cipher":"X","server_name":"array808.example.com","established":true,"cert_chain_fuids":["F1","F2"],"ja3":"bd0b","ja3s":"8415"})"
         "\n"
         R"({"ts":1517336154.078555,"uid":"Cs2","id.orig_h":"10.55.100.109","id.orig_p":52068,"id.resp_h":"52.44.164.170","id.resp_p":80,"trans_depth":1,"method":"PUT","host":"www.alexa.com","uri":"/x","version":"1.1","user_agent":"PowerShell","request_body_len":4096,"response_body_len":178,"status_code":301,"tags":[],"resp_fuids":["F3"]})"
         "\n"
         R"({"ts":1517336155.0,"uid":"Cs3","id.orig_h":"10.55.100.109","id.orig_p":52069,"id.resp_h":"52.44.164.171","id.resp_p":443,"cipher":"X","established":false})"
         "\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::zeek_json);
  ASSERT_EQ(r.sink.app.size(), 2u);
  EXPECT_EQ(r.sink.app[0].kind, AppKind::ssl);
  EXPECT_EQ(r.sink.app[0].name, "array808.example.com");
  EXPECT_EQ(r.sink.app[0].ja3, "bd0b");
  EXPECT_EQ(r.sink.app[0].ts, epoch("1517336108.231879"));
  EXPECT_EQ(r.sink.app[1].kind, AppKind::http);
  EXPECT_EQ(r.sink.app[1].name, "www.alexa.com");
  EXPECT_EQ(r.sink.app[1].method, "PUT");
  EXPECT_EQ(r.sink.app[1].request_body_len, 4096u);
  EXPECT_EQ(r.sink.app[1].status_code, 301);
  EXPECT_EQ(r.sink.app[1].resp_h, ip("52.44.164.170"));
  EXPECT_EQ(r.skipped("zeek ssl (no server name or ja3)"), 1u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekAuxJson, DhcpAndCaptureLossWithoutConnectionIds) {
  AuxRun r;
  r.read(R"({"ts":22.333203,"uids":["CS6","C2l"],"client_addr":"10.0.2.15","server_addr":"10.0.2.2","mac":"08:00:27:7f:09:e1","host_name":"John-PC","client_fqdn":"John-PC","assigned_addr":"10.0.2.15","lease_time":86400.0,"msg_types":["REQUEST","ACK"],"duration":4.04})"
         "\n"
         R"({"ts":1655297623.95,"uids":["CN"],"client_addr":"192.168.1.30","server_addr":"192.168.1.1","mac":"24:4b","lease_time":600.0,"requested_addr":"192.168.1.105","msg_types":["REQUEST","ACK"]})"
         "\n"
         R"({"ts":1714418100.0,"ts_delta":900.0,"peer":"zeek","gaps":3,"acks":40,"percent_lost":7.5,"_path":"capture_loss"})"
         "\n",
         "dhcp.log");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::zeek_json);
  ASSERT_EQ(r.sink.dhcp.size(), 1u);
  EXPECT_EQ(r.sink.dhcp[0].addr, ip("10.0.2.15"));
  EXPECT_EQ(r.sink.dhcp[0].host_name, "John-PC");
  EXPECT_EQ(r.sink.dhcp[0].ts, 22'333'203'000);
  EXPECT_EQ(r.skipped("zeek dhcp (no host name)"), 1u);
  ASSERT_EQ(r.sink.loss.size(), 1u);
  EXPECT_EQ(r.sink.loss[0].peer, "zeek");
  EXPECT_EQ(r.sink.loss[0].ts_delta, 900 * kNsPerSec);
  EXPECT_DOUBLE_EQ(r.sink.loss[0].percent_lost, 7.5);
  EXPECT_EQ(r.diag.bad_records(), 0u);
}

TEST(ZeekAuxJson, UnusedLogsByFileNameAreCountedWithoutParsing) {
  AuxRun x;
  // x509.log without "_path": the first record is parsed, the rest only counted (the broken
  // third line is not even looked at).
  x.read(R"({"ts":95.03,"id":"FK","certificate.version":3,"certificate.serial":"2D","san.dns":["a","b"]})"
         "\n"
         R"({"ts":95.07,"id":"Fz","certificate.version":3})"
         "\n"
         "{not json\n",
         "/logs/x509.15:00:00-16:00:00.log");
  ASSERT_TRUE(x.ok) << x.error;
  EXPECT_EQ(x.stats.format, InputFormat::zeek_json);
  EXPECT_EQ(x.unused("x509").files, 1u);
  EXPECT_EQ(x.unused("x509").lines, 3u);
  EXPECT_EQ(x.diag.bad_records(), 0u);

  AuxRun l;  // loaded_scripts.log: one key per line, nothing Zeek-like but the file's name
  l.read("{\"name\":\"/opt/zeek/share/zeek/base/init-bare.zeek\"}\n{\"name\":\"  /opt/zeek/x.zeek\"}\n",
         "loaded_scripts.log");
  ASSERT_TRUE(l.ok) << l.error;
  EXPECT_EQ(l.stats.format, InputFormat::zeek_json);
  EXPECT_EQ(l.unused("loaded_scripts").lines, 2u);

  AuxRun w;  // with "_path", by record, whatever the file's name
  w.read(R"({"ts":1.0,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"name":"bad_TCP_checksum","_path":"weird"})"
         "\n"
         R"({"ts":2.0,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"proto":"tcp","conn_state":"SF","_path":"conn"})"
         "\n",
         "all.json");
  ASSERT_TRUE(w.ok) << w.error;
  EXPECT_EQ(w.sink.flows.size(), 1u);
  EXPECT_EQ(w.unused("weird").lines, 1u);
}

TEST(ZeekAuxDetect, ZeekJsonWithoutConnectionIds) {
  const std::string x509 = R"({"ts":95.03,"id":"FK","certificate.version":3})";
  EXPECT_EQ(detect_format(x509), InputFormat::zeek_json);
  EXPECT_EQ(detect_format(R"({"ts":1.0,"fuid":"F1","tx_hosts":["10.0.0.1"]})"), InputFormat::zeek_json);
  EXPECT_EQ(detect_format(R"({"ts":1.0,"peer":"zeek","percent_lost":0.0})"), InputFormat::zeek_json);
  EXPECT_EQ(detect_format(R"({"ts":1.0,"note":"Scan","_path":"notice"})"), InputFormat::zeek_json);
  const std::string scripts = R"({"name":"/opt/zeek/base/init-bare.zeek"})";
  EXPECT_EQ(detect_format(scripts), InputFormat::windows_json);  // nothing says Zeek
  EXPECT_EQ(detect_format(scripts, "zeek/loaded_scripts.log.gz"), InputFormat::zeek_json);
  // A Windows event stays one whatever its file is called.
  EXPECT_EQ(detect_format(R"({"EventID":3,"Hostname":"ws1","fuid":"x"})", "dns.log"), InputFormat::windows_json);
}

TEST(ZeekAuxDetect, WhichLogAHeadIs) {
  using flowread::zeek_log_of_head;
  using flowread::ZeekLog;
  const std::string ssl = tsv_header("ssl", "ts\tuid\tserver_name");
  EXPECT_EQ(zeek_log_of_head(ssl, InputFormat::zeek_tsv, "x.log"), ZeekLog::ssl);
  EXPECT_EQ(zeek_log_of_head(tsv_header("open_http", "ts"), InputFormat::zeek_tsv, ""), ZeekLog::http);
  EXPECT_EQ(zeek_log_of_head(tsv_header("pe", "ts"), InputFormat::zeek_tsv, "dns.log"), ZeekLog::other);
  EXPECT_EQ(zeek_log_of_head(tsv_header("files", "ts"), InputFormat::zeek_tsv, "dns.log"), ZeekLog::files);
  EXPECT_EQ(zeek_log_of_head("{\"ts\":1,\"conn_uids\":[\"C\"],\"seen_bytes\":1}\n", InputFormat::zeek_json, "x.json"), ZeekLog::files);
  EXPECT_EQ(zeek_log_of_head("{\"ts\":1,\"_path\": \"dhcp\"}\n", InputFormat::zeek_json, "conn.log"), ZeekLog::dhcp);
  EXPECT_EQ(zeek_log_of_head("{\"ts\":1}\n", InputFormat::zeek_json, "/z/dns.2024.log.gz"), ZeekLog::dns);
  EXPECT_EQ(zeek_log_of_head("{\"ts\":1,\"server_name\":\"a\"}\n", InputFormat::zeek_json, "all.json"), ZeekLog::ssl);
  EXPECT_EQ(zeek_log_of_head("ts,te,td,sa,da,sp,dp,pr\n", InputFormat::nfdump_csv, "ssl.log"), ZeekLog::none);
}

TEST(ZeekAuxText, ConnSummaryIsReadButNotUsed) {
  AuxRun r;
  r.read(">== Total === 2024-04-19-00-00-07 - 2024-04-19-00-59-41\n   - Connections 1.9k\n\n", "conn-summary.00:00:00-01:00:00.log");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::zeek_text);
  EXPECT_EQ(r.unused("conn-summary").files, 1u);
  EXPECT_EQ(r.unused("conn-summary").lines, 2u);
  AuxRun u;  // the same text under another name is not understood
  u.read(">== Total ===\n", "summary.txt");
  EXPECT_FALSE(u.ok);
  EXPECT_EQ(u.stats.format, InputFormat::unknown);
}

TEST(ZeekAuxTsv, TrailingSeparatorIsNotAColumn) {
  AuxRun r;
  r.read(tsv_header("conn", "ts\tid.orig_h\tid.resp_h") + "1.0\t10.0.0.1\t10.0.0.2\t\n2.0\t10.0.0.1\t10.0.0.2\t\tx\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.sink.flows.size(), 1u);
  EXPECT_EQ(r.diag.bad_by_reason().at("zeek: too many columns"), 1u);
}

TEST(ZeekAuxNames, FileNamesAndHostHeaders) {
  using flowread::zeek_log_from_file_name;
  EXPECT_EQ(zeek_log_from_file_name("/a/b/files.02:00:00-03:00:00.log"), "files");
  EXPECT_EQ(zeek_log_from_file_name("open_ssl.17_37_07-18_00_00.log"), "open_ssl");
  EXPECT_EQ(zeek_log_from_file_name("conn-summary.12:00:00-13:00:00.log.gz"), "conn-summary");
  EXPECT_EQ(zeek_log_from_file_name("sysmon.jsonl"), "");
  EXPECT_EQ(flowread::http_host_name("example.com:8080"), "example.com");
  EXPECT_EQ(flowread::http_host_name(" example.com "), "example.com");
  EXPECT_EQ(flowread::http_host_name("10.1.2.3:80"), "");
  EXPECT_EQ(flowread::http_host_name("[2001:db8::1]:443"), "");
  EXPECT_EQ(flowread::http_host_name("2001:db8::1"), "");
}

// files.log: older Zeek (tx_hosts, rx_hosts, conn_uids sets) and newer (uid, id.*), TSV and JSON.
TEST(ZeekAuxFiles, OldTsvSetsAndDirection) {
  AuxRun r;
  r.read(tsv_header("files", "ts\tfuid\ttx_hosts\trx_hosts\tconn_uids\tsource\tmime_type\tfilename\tis_orig\tseen_bytes\ttotal_bytes") +
         "1714417205.5\tF1\t10.0.0.5\t203.0.113.9\tCa,Cb\tHTTP\tapplication/zip\tdata.zip\tT\t5000\t6000\n"
         "1714417206.5\tF2\t203.0.113.9\t10.0.0.5\tCc\tHTTP\ttext/html\t-\tF\t612\t-\n"
         "1714417207.5\tF3\t10.0.0.5\t203.0.113.9\t(empty)\tHTTP\t-\t-\tT\t1\t-\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.files.size(), 2u);
  const FileRecord& f = r.sink.files[0];
  EXPECT_EQ(f.ts, epoch("1714417205.5"));
  EXPECT_EQ(f.uid, "Ca");  // the first connection of the set
  EXPECT_EQ(f.tx, ip("10.0.0.5"));
  EXPECT_EQ(f.is_orig, 1);
  EXPECT_EQ(f.seen_bytes, 5000u);
  EXPECT_EQ(f.total_bytes, 6000u);
  EXPECT_EQ(f.mime_type, "application/zip");
  EXPECT_EQ(f.filename, "data.zip");
  EXPECT_EQ(r.sink.files[1].is_orig, 0);
  EXPECT_EQ(r.sink.files[1].total_bytes, 0u);
  EXPECT_EQ(r.skipped("zeek files (no connection uid)"), 1u);
  EXPECT_EQ(r.stats.files, 2u);
  EXPECT_EQ(r.diag.unused_logs().count("files"), 0u);
}

TEST(ZeekAuxFiles, JsonNewAndOldShapes) {
  AuxRun r;
  r.read(R"({"_path":"files","ts":10.5,"fuid":"F1","uid":"Cn","id.orig_h":"10.0.0.5","id.orig_p":5,"id.resp_h":"203.0.113.9","id.resp_p":443,"is_orig":true,"seen_bytes":70,"mime_type":"text/plain","filename":"a.txt"})"
         "\n"
         R"({"_path":"files","ts":11.5,"fuid":"F2","tx_hosts":["10.0.0.6"],"rx_hosts":["203.0.113.9"],"conn_uids":["Co","Cp"],"is_orig":false,"seen_bytes":9,"total_bytes":9})"
         "\n");
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.files.size(), 2u);
  EXPECT_EQ(r.sink.files[0].uid, "Cn");
  EXPECT_EQ(r.sink.files[0].orig_h, ip("10.0.0.5"));
  EXPECT_EQ(r.sink.files[0].is_orig, 1);
  EXPECT_EQ(r.sink.files[0].seen_bytes, 70u);
  EXPECT_EQ(r.sink.files[0].filename, "a.txt");
  EXPECT_EQ(r.sink.files[1].uid, "Co");
  EXPECT_EQ(r.sink.files[1].tx, ip("10.0.0.6"));
  EXPECT_EQ(r.sink.files[1].is_orig, 0);
  // Without "_path", by the file's name.
  AuxRun n;
  n.read(R"({"ts":12.5,"fuid":"F3","conn_uids":["Cq"],"is_orig":true,"seen_bytes":3})" "\n", "files.log");
  ASSERT_EQ(n.sink.files.size(), 1u);
  EXPECT_EQ(n.sink.files[0].uid, "Cq");
}

// http.log: a request without a Host header is marked, one with an address as Host is not.
TEST(ZeekAuxTsv, HttpMissingHostHeader) {
  AuxRun r;
  r.read(tsv_header("http", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\thost\turi\tuser_agent\trequest_body_len") +
         "1.0\tC1\t10.0.0.5\t1\t203.0.113.9\t80\tGET\t(empty)\t/\tModzilla/0.0001 (Atari 7800)\t0\n"
         "2.0\tC2\t10.0.0.5\t2\t203.0.113.9\t80\tPOST\t203.0.113.9\t/up\tcurl/8\t55\n");
  ASSERT_EQ(r.sink.app.size(), 2u);
  EXPECT_TRUE(r.sink.app[0].host_missing);
  EXPECT_EQ(r.sink.app[0].user_agent, "Modzilla/0.0001 (Atari 7800)");
  EXPECT_FALSE(r.sink.app[1].host_missing);
  EXPECT_EQ(r.sink.app[1].name, "");  // an address names nothing
  EXPECT_EQ(r.sink.app[1].request_body_len, 55u);
}

}  // namespace
}  // namespace outflow
