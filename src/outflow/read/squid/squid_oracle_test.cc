// Squid access.log lines against Elastic's squid pipeline and DataDog's squid log pipeline
// (parser-oracles/squid): client, destination, sizes each way, elapsed time, user, result,
// method, URL, status. Skips when ../shared/datasets is absent.
#include <gtest/gtest.h>

#include "outflow/testing/oracle.h"

namespace outflow {
namespace {

using testing::OracleCompare;

void compare_proxy(OracleCompare& c, const ProxyRecord& r) {
  const testing::OracleRecord& o = *c.cur;
  if (o.has("source_ip")) c.text("source_ip", r.client.to_string());
  if (o.has("source_port")) c.number("source_port", r.client_port);
  c.text("destination_ip", r.peer_ip.to_string(), r.peer_ip.is_unset());
  if (o.has("destination_port")) c.number("destination_port", r.port);
  c.number("bytes_received", static_cast<double>(r.bytes_to_client));
  c.number("bytes_sent", static_cast<double>(r.bytes_from_client), !r.bytes_from_client_known);
  c.number("duration_s", static_cast<double>(r.end - r.start) / 1e9);
  if (o.has("user") || !r.user.empty()) c.text("user", r.user, r.user.empty());
  if (o.has("action")) c.text("action", r.result);
  for (const char* k : {"extra.http.request.method", "extra.http.method"})
    if (o.has(k)) c.text(k, r.method);
  for (const char* k : {"extra.url.original", "extra.http.url"})
    if (o.has(k)) c.text(k, r.url);
  for (const char* k : {"extra.squid.status_code", "extra.http.status_code"})
    if (o.has(k)) c.number(k, r.status);
  // DataDog's timestamp (ms) is the logged time: our end.
  if (o.has("extra.timestamp")) c.number("extra.timestamp", static_cast<double>(r.end / 1'000'000));
}

TEST(SquidOracle, EveryRecordAgrees) {
  const std::string dir = testing::oracle_dir("squid");
  REQUIRE_FILE(dir + "/expected.jsonl");
  ASSERT_EQ(testing::load_oracle("squid").size(), 34u);
  OracleCompare c;
  testing::each_record("squid", InputFormat::squid, "", [&](const testing::OracleRecord& o, testing::TextRun& r) {
    ASSERT_EQ(r.sink.proxy.size(), 1u) << o.file << ":" << o.line_no << " bad: " << r.diag.bad_records();
    c.begin(o);
    compare_proxy(c, r.sink.proxy[0]);
    c.end();
  });
  const std::vector<std::string> explained = {};
  const auto bad = testing::unexplained(c.diffs, explained);
  EXPECT_TRUE(bad.empty()) << testing::joined(bad);
  std::printf("Squid oracle: %zu of %zu records agree\n", c.agree, c.records);
}

// Every line of the three files is a request (100 + 11 + 10), none malformed; the native
// format never knows the upload, the extended one always does.
TEST(SquidOracle, WholeFiles) {
  const std::string dir = testing::oracle_dir("squid");
  REQUIRE_FILE(dir + "/expected.jsonl");
  for (const auto& [file, n, upload_known] :
       std::vector<std::tuple<std::string, size_t, bool>>{{"test-access.log", 100, false},
                                                          {"test-access-extensive.log", 11, true},
                                                          {"datadog-squid_tests.log", 10, false}}) {
    testing::FileRun r;
    r.read(dir + "/" + file);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.stats.format, InputFormat::squid) << file;
    EXPECT_EQ(r.sink.proxy.size(), n) << file;
    EXPECT_EQ(r.diag.bad_records(), 0u) << file;
    for (const auto& p : r.sink.proxy) EXPECT_EQ(p.bytes_from_client_known, upload_known) << file;
  }
}

}  // namespace
}  // namespace outflow
