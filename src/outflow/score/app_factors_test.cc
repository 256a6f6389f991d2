// Evidence from Zeek's http.log, files.log and dns.log in findings: HTTP uploads that bound a
// volume the sensor did not see, a rare user agent and blank Host headers, files sent, and a
// DNS tunnel; all of it through retirement (the activity is serialised and read back) and into
// the text and JSON writers.
#include "outflow/score/app_factors.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "outflow/score/retire.h"
#include "outflow/testing/world.h"
#include "outflow/write/finding_json.h"
#include "outflow/write/finding_text.h"

namespace outflow {
namespace {

using testing::ip;
using testing::World;
constexpr TimeNs kMin = 60 * kNsPerSec;

AppRecord http(const std::string& uid, const char* src, const char* dst, TimeNs t, const char* method, const char* host,
               const char* uri, const char* agent, uint64_t body) {
  AppRecord a;
  a.kind = AppKind::http;
  a.uid = uid;
  a.orig_h = ip(src);
  a.resp_h = ip(dst);
  a.resp_p = 80;
  a.ts = t;
  a.name = host;
  a.host_missing = *host == 0;
  a.method = method;
  a.uri = uri;
  a.user_agent = agent;
  a.request_body_len = body;
  return a;
}

// 8 hosts browse with a common browser; flow-only 10.20.0.5 POSTs 30 MB with a tool's user agent
// and no Host header over connections whose outgoing packets the sensor missed, sends a file
// (files.log), and tunnels through DNS (2,000 TXT names under one domain).
World org() {
  World w;
  for (int i = 0; i < 8; ++i) {
    const std::string a = "10.20.1." + std::to_string(10 + i);
    const std::string uid = w.flow(a.c_str(), "198.51.100.10", 80, w.t0 + kMin, 30 * kNsPerSec, 20'000, 400'000);
    w.app(http(uid, a.c_str(), "198.51.100.10", w.t0 + kMin, "GET", "news.example", "/", "Mozilla/5.0 Common", 0));
  }
  for (int i = 0; i < 6; ++i) {
    const TimeNs t = w.t0 + 10 * kMin + i * 20 * kMin;
    const std::string uid = w.flow("10.20.0.5", "203.0.113.77", 80, t, 2 * kMin, 5'000'000, 2'000);
    w.app(http(uid, "10.20.0.5", "203.0.113.77", t + kNsPerSec, "POST", "", "/upload?id=1", "Modzilla/0.0001 (Atari 7800)", 5'000'000));
    w.app(http(uid, "10.20.0.5", "203.0.113.77", t + 2 * kNsPerSec, "GET", "", "/status", "Modzilla/0.0001 (Atari 7800)", 0));
    if (i == 0) {
      FileRecord f;
      f.ts = t + kNsPerSec;
      f.uid = uid;
      f.is_orig = 1;
      f.seen_bytes = 5'000'000;
      f.filename = "payroll.zip";
      f.mime_type = "application/zip";
      w.file(f);
    }
  }
  w.sensor_lost_outgoing("10.20.0.5");
  for (int i = 0; i < 4000; ++i) {
    DnsAnswer d;
    d.time = w.t0 + i * kNsPerSec;
    d.client = ip("10.20.0.5");
    d.server = ip("10.0.0.53");
    d.qtype = 16;
    d.query = fmt::format("{:012x}.t.exfil-cdn.example", i / 2);
    w.dns_query(d);
  }
  return w;
}

TEST(AppFactors, UploadsRareAgentBlankHostFilesAndDnsTunnelOfAFlowOnlyHost) {
  World w = org();
  const auto r = w.hunt();
  const Finding* h = World::find_flow_host(r, "10.20.0.5");
  ASSERT_NE(h, nullptr);
  const AppEvidence& e = h->act->app;  // read back from the retired-activity file
  EXPECT_EQ(e.http_requests, 12u);
  EXPECT_EQ(e.uploads, 6u);
  EXPECT_EQ(e.upload_body, 30'000'000u);
  EXPECT_EQ(e.blank_host, 12u);
  EXPECT_EQ(e.sessions_bounded, 6u);
  ASSERT_EQ(e.uris.size(), 1u);
  EXPECT_EQ(e.uris[0].text, "/upload");
  EXPECT_EQ(e.uris[0].count, 6u);
  ASSERT_EQ(e.agents.size(), 1u);
  EXPECT_EQ(e.agents[0].text, "Modzilla/0.0001 (Atari 7800)");
  EXPECT_EQ(e.files_sent, 1u);
  ASSERT_EQ(e.files.size(), 1u);
  EXPECT_EQ(e.files[0].text, "payroll.zip");
  EXPECT_EQ(e.files[0].detail, "application/zip");
  // The sensor saw none of the bytes out: the bodies are a lower bound, not zero.
  EXPECT_EQ(h->act->sessions_out_unknown, 6u);
  EXPECT_EQ(h->act->bytes_out, 30'000'000u);
  EXPECT_NE(World::factor(h, "volume_out"), nullptr);
  const Factor* up = World::factor(h, "http_upload");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->contribution, 4);
  const Factor* ua = World::factor(h, "rare_user_agent");
  ASSERT_NE(ua, nullptr);
  EXPECT_EQ(ua->observed, "Modzilla/0.0001 (Atari 7800)");
  EXPECT_NE(World::factor(h, "blank_host_header"), nullptr);
  EXPECT_NE(World::factor(h, "files_sent"), nullptr);
  const Factor* dt = World::factor(h, "dns_tunnel");
  ASSERT_NE(dt, nullptr);
  EXPECT_GE(dt->contribution, 25);  // ~2,000 names, TXT
  ASSERT_FALSE(h->dns.empty());
  EXPECT_EQ(h->dns[0].domain, "exfil-cdn.example");
  EXPECT_NEAR(static_cast<double>(h->dns[0].unique_names()), 2000, 200);
  EXPECT_EQ(h->dns[0].queries, 4000u);
  EXPECT_EQ(h->dns[0].txt_null, 4000u);
  EXPECT_NE(std::find(h->techniques.begin(), h->techniques.end(), "T1071.004"), h->techniques.end());
  // The common browser's agent is no rarity; no other host has app factors.
  for (const auto& f : r.findings) {
    if (&f == h) continue;
    EXPECT_EQ(World::factor(&f, "rare_user_agent"), nullptr);
    EXPECT_EQ(World::factor(&f, "dns_tunnel"), nullptr);
  }
  ASSERT_EQ(h->agent_hosts.size(), 1u);
  EXPECT_EQ(h->agent_hosts[0], 1u);
  // User agent prevalence is kept in the baselines (what `learn` stores in the state).
  const Baselines b = w.observe();
  ASSERT_TRUE(b.dests.count(user_agent_key("Modzilla/0.0001 (Atari 7800)")));
  EXPECT_EQ(b.dests.at(user_agent_key("Modzilla/0.0001 (Atari 7800)")).hosts, 1u);
  EXPECT_EQ(b.dests.at(user_agent_key("Mozilla/5.0 Common")).hosts, 8u);

  const std::string text = explain_finding(*h, r, w.pipe());
  EXPECT_NE(text.find("HTTP (http.log): 12 requests, 6 POST/PUT"), std::string::npos) << text;
  EXPECT_NE(text.find("used by 1/9 hosts  Modzilla/0.0001 (Atari 7800)"), std::string::npos) << text;
  EXPECT_NE(text.find("payroll.zip  (application/zip)"), std::string::npos) << text;
  EXPECT_NE(text.find("exfil-cdn.example"), std::string::npos) << text;
  std::string json;
  write_finding_json(json, *h, w.pipe());
  EXPECT_NE(json.find(R"("http":{"requests":12,"uploads":6,"upload_body_bytes":30000000)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"x("user_agent":"Modzilla/0.0001 (Atari 7800)","requests":12,"hosts_in_org":1)x"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("files_sent":{"files":1,"bytes":5000000)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("dns":[{"domain":"exfil-cdn.example")"), std::string::npos) << json;
}

// The evidence is part of the activity record written to the retired-activity file.
TEST(AppFactors, EvidenceSurvivesRetirementByteForByte) {
  AppEvidence e;
  e.http_requests = 7, e.uploads = 3, e.upload_body = 123, e.blank_host = 2, e.sessions_bounded = 1;
  e.agents.push_back({"curl/8.0", "", 7, 0});
  e.uris.push_back({"/x", "", 3, 123});
  e.files.push_back({"a.zip", "application/zip", 1, 99});
  e.agents_dropped = 4;
  std::string b;
  e.serialize(b);
  std::string_view v = b;
  AppEvidence back;
  ASSERT_TRUE(back.deserialize(v));
  EXPECT_TRUE(v.empty());
  std::string b2;
  back.serialize(b2);
  EXPECT_EQ(b, b2);
  std::string_view cut = std::string_view(b).substr(0, b.size() - 3);
  AppEvidence bad;
  EXPECT_FALSE(bad.deserialize(cut));
}

TEST(AppFactors, TablesAreCappedAndDropsCounted) {
  AppNames names;
  AppEvidence e;
  for (int i = 0; i < 20; ++i) {
    AppRecord a = http("C" + std::to_string(i), "10.0.0.1", "203.0.113.1", 1, "POST", "h.example",
                       ("/u" + std::to_string(i)).c_str(), ("agent-" + std::to_string(i)).c_str(), 10);
    names.add(a);
    Session s;
    s.uid = a.uid;
    e.add(*names.conn(s), names);
  }
  EXPECT_EQ(e.uris.size(), AppEvidence::kMaxUris);
  EXPECT_EQ(e.agents.size(), AppEvidence::kMaxAgents);
  EXPECT_EQ(e.uris_dropped, 20 - AppEvidence::kMaxUris);
  EXPECT_EQ(e.agents_dropped, 20 - AppEvidence::kMaxAgents);
  EXPECT_EQ(e.uploads, 20u);
}

}  // namespace
}  // namespace outflow
