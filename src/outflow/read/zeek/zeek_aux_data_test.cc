// Zeek ssl, http, dhcp, capture_loss and the logs read but not used, on real logs
// (rita-zeek-testdata, slips-flow-samples), through read_input_file as the CLI reads them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"
#include "outflow/read/input.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::epoch;
using testing::ip;

using testing::FileRun;
using testing::rita;
std::string data(const std::string& rel) { return testing::dataset(rel); }

TEST(ZeekAuxData, ProxySslEveryRecordHasSni) {
  const std::string path = rita("proxy/ssl.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.app.size(), 407u);  // the non-# lines, each with a server_name
  EXPECT_EQ(r.diag.bad_records(), 0u);
  for (const AppRecord& a : r.sink.app) {
    EXPECT_EQ(a.kind, AppKind::ssl);
    EXPECT_FALSE(a.name.empty());
    EXPECT_FALSE(a.uid.empty());
  }
}

TEST(ZeekAuxData, ProxyHttpIsConnectOnly) {
  const std::string path = rita("proxy/http.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.app.size(), 407u);
  size_t connect = 0;
  for (const AppRecord& a : r.sink.app) connect += a.method == "CONNECT";
  EXPECT_EQ(connect, 407u);  // a proxy's log: 397 www.honestimnotevil.com, 10 www.google.com
  EXPECT_EQ(r.sink.app[0].kind, AppKind::http);
}

TEST(ZeekAuxData, ProxyCaptureLossAndOldDhcp) {
  const std::string loss = rita("proxy/capture_loss.log");
  REQUIRE_FILE(loss);
  FileRun l;
  l.read(loss);
  ASSERT_TRUE(l.ok) << l.error;
  EXPECT_EQ(l.sink.loss.size(), 102u);
  EXPECT_EQ(l.diag.bad_records(), 0u);
  for (const CaptureLossRecord& c : l.sink.loss) {
    EXPECT_FALSE(c.peer.empty());
    EXPECT_GT(c.ts_delta, 0);
  }
  FileRun d;  // Bro 2.5's dhcp.log: addresses, no host names
  d.read(rita("proxy/dhcp.log"));
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_TRUE(d.sink.dhcp.empty());
  EXPECT_EQ(d.diag.skipped_counts().at("zeek dhcp (no host name)"), 57u);
  EXPECT_EQ(d.diag.bad_records(), 0u);
}

TEST(ZeekAuxData, ProxyLogsNotUsed) {
  const std::string dir = rita("proxy");
  REQUIRE_FILE(dir);
  Diagnostics diag;
  for (const char* log : {"x509", "weird", "dpd", "stats", "loaded_scripts", "known_hosts"}) {
    FileRun r;
    r.read(dir + "/" + log + ".log");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.stats.records(), 0u) << log;
    EXPECT_EQ(r.stats.unused_logs, 1u) << log;
    EXPECT_EQ(r.diag.bad_records(), 0u) << log;
    diag.merge(r.diag);
  }
  EXPECT_EQ(diag.unused_log_files(), 6u);
  // files.log is used: each of its 194 records names its connection (conn_uids).
  FileRun f;
  f.read(dir + "/files.log");
  ASSERT_TRUE(f.ok) << f.error;
  EXPECT_EQ(f.sink.files.size(), 194u);
  EXPECT_EQ(f.stats.unused_logs, 0u);
  EXPECT_EQ(std::count_if(f.sink.files.begin(), f.sink.files.end(), [](const FileRecord& x) { return x.is_orig == 1; }), 3);  // is_orig T: 3 of 194
  EXPECT_EQ(diag.unused_logs().at("x509").lines, 173u);
  EXPECT_EQ(diag.unused_logs().at("weird").lines, 131u);
  EXPECT_EQ(diag.unused_logs().at("loaded_scripts").lines, 443u);
  EXPECT_EQ(diag.unused_logs().at("known_hosts").lines, 4u);
}

TEST(ZeekAuxData, JsonHttpWithAllFields) {
  const std::string path = rita("json_with_all_fields/http.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.app.size(), 10u);
  const AppRecord& a = r.sink.app[0];
  EXPECT_EQ(a.uid, "CB9DKu4WI1kRo88sj6");
  EXPECT_EQ(a.ts, epoch("1517422328.146198"));
  EXPECT_EQ(a.orig_h, ip("10.55.100.105"));
  EXPECT_EQ(a.resp_h, ip("205.204.101.182"));
  EXPECT_EQ(a.resp_p, 80);
  EXPECT_EQ(a.name, "gm.mmstat.com");
  EXPECT_EQ(a.method, "GET");
  EXPECT_EQ(a.user_agent, "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko");
  EXPECT_EQ(a.response_body_len, 43u);
  EXPECT_EQ(a.status_code, 200);
}

TEST(ZeekAuxData, RitaHttpWithTrailingSeparator) {
  // RITA's dnscat2 http.log ends every line with a tab: read, not 27,204 bad records.
  const std::string path = rita("dnscat2-ja3-strobe-agent/http.log.zst");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.diag.bad_records(), 0u);
  EXPECT_EQ(r.sink.app.size(), 27204u);
}

TEST(ZeekAuxData, SlipsJsonWithoutPath) {
  const std::string dir = data("slips-flow-samples/dataset/test9-mixed-zeek-dir");
  REQUIRE_FILE(dir);
  FileRun d;
  d.read(dir + "/dhcp.log");
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.stats.format, InputFormat::zeek_json);
  ASSERT_FALSE(d.sink.dhcp.empty());
  EXPECT_EQ(d.sink.dhcp[0].addr, ip("10.0.2.15"));
  EXPECT_EQ(d.sink.dhcp[0].host_name, "John-PC");
  for (const char* log : {"x509", "pe", "notice", "loaded_scripts", "packet_filter", "software", "arp", "smtp"}) {
    FileRun r;
    r.read(dir + "/" + log + ".log");
    ASSERT_TRUE(r.ok) << log << ": " << r.error;
    EXPECT_EQ(r.stats.format, InputFormat::zeek_json) << log;
    EXPECT_EQ(r.stats.unused_logs, 1u) << log;
    EXPECT_EQ(r.diag.unused_logs().count(log), 1u) << log;
    EXPECT_EQ(r.diag.bad_records(), 0u) << log;
    EXPECT_TRUE(r.diag.bad_inputs().empty()) << log;
  }
}

TEST(ZeekAuxData, SessionsNamedBySniThroughThePipeline) {
  // ssl.log read before conn.log (as the CLI orders flow-only inputs): each conn record with
  // an ssl record of its uid is named by its SNI.
  const std::string dir = rita("proxy");
  REQUIRE_FILE(dir);
  std::vector<std::pair<std::string, std::string>> named;  // uid, name
  SessionPipeline* pp = nullptr;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution&) {
    const std::string n = pp->index().apps().conn_name(s);
    if (!n.empty()) named.emplace_back(s.uid, n);
  });
  pp = &p;
  Diagnostics diag;
  for (const char* f : {"ssl.log", "conn.log"}) {
    FileStats st;
    std::string err;
    ASSERT_TRUE(read_input_file(dir + "/" + f, p, diag, st, err)) << err;
  }
  p.finish();
  EXPECT_EQ(p.stats().app_records, 407u);
  ASSERT_EQ(named.size(), 407u);  // every ssl uid has its conn record
  EXPECT_EQ(std::count(named.begin(), named.end(), std::make_pair(std::string("CXHB1X22027MRWU6D"), std::string("www.google.com"))), 1);
  EXPECT_EQ(p.index().apps().conns(), 0u);
}

}  // namespace
}  // namespace outflow
