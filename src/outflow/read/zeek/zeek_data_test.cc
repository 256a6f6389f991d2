// Zeek readers on real logs (rita-zeek-testdata), through read_input_file as the CLI reads them.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <string>
#include <vector>

#include "outflow/read/input.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::epoch;
using testing::ip;

using testing::FileRun;
using testing::rita;

TEST(ZeekData, ProxyRollingConnCountsEveryRecord) {
  const std::string path = rita("proxy_rolling/conn.15:00:00-16:00:00.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::zeek_tsv);
  EXPECT_EQ(r.sink.flows.size(), 290u);  // the non-# lines
  EXPECT_EQ(r.stats.flows, 290u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  const FlowRecord& f = r.sink.flows.at(0);
  EXPECT_EQ(f.sensor, "worker-eth0-1");
  EXPECT_EQ(f.uid, "CLQMsB1fsfYFtmMlUf");
  EXPECT_EQ(f.orig_h, ip("10.0.0.11"));
  EXPECT_EQ(f.orig_p, 60570);
  EXPECT_EQ(f.resp_h, ip("239.255.255.250"));
  EXPECT_EQ(f.resp_p, 1900);
  EXPECT_EQ(f.proto, kProtoUdp);
  EXPECT_EQ(f.orig_bytes, 700u);
  EXPECT_EQ(f.orig_pkts, 4u);
  EXPECT_EQ(f.orig_ip_bytes, 812u);
  EXPECT_EQ(f.conn_state, "S0");
  EXPECT_EQ(f.end - f.start, 3'012'643'000);
  for (const FlowRecord& x : r.sink.flows) EXPECT_EQ(x.sensor, "worker-eth0-1");
}

TEST(ZeekData, ProxyRollingDnsAddressAnswers) {
  const std::string path = rita("proxy_rolling/dns.15:00:00-16:00:00.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  // Every query is delivered (the DNS tunnelling view counts them); 6 of the 20 have an address
  // among the answers.
  EXPECT_EQ(r.sink.dns.size(), 20u);
  EXPECT_EQ(r.diag.skipped_counts().count("zeek dns (no query, no address answer)"), 0u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  size_t with_address = 0;
  for (const DnsAnswer& d : r.sink.dns) {
    with_address += !d.answers.empty();
    EXPECT_FALSE(d.query.empty());
    EXPECT_FALSE(d.client.is_unset());
    EXPECT_FALSE(d.server.is_unset());
    EXPECT_NE(d.qtype, 0);
  }
  EXPECT_EQ(with_address, 6u);
}

TEST(ZeekData, TruncatedTsvGivesOneBadRecord) {
  const std::string path = rita("truncated/conn.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.sink.flows.size(), 58u);
  ASSERT_EQ(r.diag.bad_records(), 1u);
  EXPECT_EQ(r.diag.samples().at(0).line, 67u);  // the last line, cut mid-field, no newline
  EXPECT_EQ(r.diag.samples().at(0).reason, "zeek: too few columns (truncated line?)");
}

TEST(ZeekData, TruncatedJsonAndBadPorts) {
  const std::string path = rita("truncated/conn_json.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.stats.format, InputFormat::zeek_json);
  // Lines 3 and 4 carry id.orig_p 93145 (not a port); line 4 is also cut off.
  ASSERT_EQ(r.sink.flows.size(), 2u);
  EXPECT_EQ(r.sink.flows[0].community_id, "1:o897Hf8fds7hioHIU8fdsfjhhoHJ");
  EXPECT_EQ(r.sink.flows[0].service, "ntp");
  EXPECT_EQ(r.sink.flows[1].resp_bytes, 319u);
  EXPECT_EQ(r.diag.bad_records(), 2u);
}

TEST(ZeekData, JsonWithAllFields) {
  const std::string conn = rita("json_with_all_fields/conn.log");
  REQUIRE_FILE(conn);
  FileRun c;
  c.read(conn);
  ASSERT_TRUE(c.ok) << c.error;
  EXPECT_EQ(c.sink.flows.size(), 29u);
  EXPECT_EQ(c.diag.bad_records(), 0u);
  const FlowRecord& f = c.sink.flows[0];
  EXPECT_EQ(f.uid, "CxHo3m4N8uGxrMlcl2");
  EXPECT_EQ(f.start, epoch("1517422326.539915"));
  EXPECT_EQ(f.end - f.start, 108'985'496'000);
  EXPECT_EQ(f.orig_bytes, 719u);
  EXPECT_EQ(f.resp_ip_bytes, 508u);
  EXPECT_EQ(f.service, "http");

  // open_conn.log here says "_path": "conn": the record's own path wins over the file name.
  FileRun o;
  o.read(rita("json_with_all_fields/open_conn.log"));
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.sink.flows.size(), 59u);
  EXPECT_EQ(o.diag.bad_records(), 0u);

  FileRun d;
  d.read(rita("json_with_all_fields/dns.log"));
  ASSERT_TRUE(d.ok) << d.error;
  ASSERT_EQ(d.sink.dns.size(), 34u);  // one has an address answer, the other 33 TXT (or CNAME) records only
  EXPECT_EQ(std::count_if(d.sink.dns.begin(), d.sink.dns.end(), [](const DnsAnswer& x) { return !x.answers.empty(); }), 1);
  EXPECT_EQ(std::count_if(d.sink.dns.begin(), d.sink.dns.end(), [](const DnsAnswer& x) { return x.qtype == 16; }), 24);  // qtype_name TXT
  EXPECT_EQ(d.diag.bad_records(), 0u);

  FileRun h;
  h.read(rita("json_with_all_fields/http.log"));
  ASSERT_TRUE(h.ok) << h.error;
  EXPECT_TRUE(h.sink.flows.empty());
  EXPECT_EQ(h.stats.app, 10u);  // http.log: one AppRecord per request (zeek_aux_data_test)
  EXPECT_EQ(h.diag.bad_records(), 0u);
}

TEST(ZeekData, OpenConnTsvLongSession) {
  const std::string path = rita("missing_host/2024-04-21/open_conn.08:00:00-09:00:00.log");
  REQUIRE_FILE(path);
  FileRun r;
  r.read(path);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.sink.flows.size(), 1u);
  const FlowRecord& f = r.sink.flows[0];
  EXPECT_EQ(f.source, FlowSource::zeek_open_conn);
  EXPECT_EQ(f.end - f.start, 216001'283541'000);
  EXPECT_EQ(f.orig_ip_bytes, 422319u);
  EXPECT_EQ(f.resp_ip_bytes, 915422u);
  EXPECT_EQ(f.resp_p, 22);
  EXPECT_EQ(f.service, "ssh");
}

TEST(ZeekData, WholeRitaFolderReadsWithoutSurprises) {
  const std::string dir = rita("");
  REQUIRE_FILE(dir);
  std::vector<std::string> files;
  std::string error;
  ASSERT_TRUE(expand_inputs({dir}, files, error)) << error;
  uint64_t flows = 0, dns = 0, bad = 0;
  size_t zeek_files = 0;
  for (const std::string& p : files) {
    FileRun r;
    r.read(p);
    if (r.stats.format != InputFormat::zeek_tsv && r.stats.format != InputFormat::zeek_json) continue;
    ++zeek_files;
    EXPECT_TRUE(r.ok) << p << ": " << r.error;
    flows += r.stats.flows;
    dns += r.stats.dns;
    bad += r.stats.bad;
    // Only the deliberately broken files have bad records.
    if (p.find("/truncated/") == std::string::npos && p.find("/has_unknown_field/") == std::string::npos) {
      EXPECT_EQ(r.stats.bad, 0u) << p;
    }
  }
  EXPECT_GT(zeek_files, 500u);
  EXPECT_GT(flows, 10000u);
  EXPECT_GT(dns, 100u);
  // truncated/conn.log 1, truncated/conn_json.log 2, has_unknown_field/http.log 1 (a line a
  // column short of its #fields).
  EXPECT_EQ(bad, 4u);
}

}  // namespace
}  // namespace outflow
