// IDS alerts joined to connections: by flow id, counted, the most severe kept; which
// signatures are policy or command-and-control.
#include "outflow/join/ids_alerts.h"

#include <gtest/gtest.h>

#include "outflow/features/app_evidence.h"
#include "outflow/join/app_names.h"
#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::ip;

AlertRecord alert(const char* uid, const char* sig, const char* cat, uint8_t sev) {
  AlertRecord a;
  a.ts = 1'700'000'000 * kNsPerSec;
  a.uid = uid;
  a.src = ip("192.0.2.1"), a.dst = ip("198.51.100.1");
  a.src_port = 50000, a.dst_port = 443, a.proto = kProtoTcp;
  a.signature = sig, a.category = cat, a.severity = sev;
  return a;
}

TEST(IdsAlerts, RelevantSignatures) {
  EXPECT_TRUE(ids_alert_relevant("ET POLICY curl User-Agent Outbound", "Attempted Information Leak"));
  EXPECT_TRUE(ids_alert_relevant("ET MALWARE Win32/Foo CnC Beacon", ""));
  EXPECT_TRUE(ids_alert_relevant("Local rule", "Malware Command and Control Activity Detected"));
  EXPECT_FALSE(ids_alert_relevant("ET SCAN Nmap Scripting Engine", "Attempted Information Leak"));
  EXPECT_FALSE(ids_alert_relevant("ET CINS Active Threat Intelligence Poor Reputation IP group 89", "Misc Attack"));
  EXPECT_FALSE(ids_alert_relevant("GPL ATTACK_RESPONSE id check returned root", "Potentially Bad Traffic"));
}

TEST(IdsAlerts, JoinedByFlowIdMostSevereKept) {
  AppNames names;
  names.add_alert(alert("77", "ET INFO low", "Misc activity", 3));
  names.add_alert(alert("77", "ET POLICY high", "Potential Corporate Privacy Violation", 1));
  names.add_alert(alert("77", "ET INFO other", "Misc activity", 2));
  names.add_alert(alert("78", "ET SCAN x", "Attempted Information Leak", 2));
  Session s;
  s.uid = "77";
  s.orig_h = ip("192.0.2.1"), s.resp_h = ip("198.51.100.1");
  s.orig_p = 50000, s.resp_p = 443, s.proto = kProtoTcp;
  s.start = s.end = 1'700'000'000 * kNsPerSec;
  const AppNames::ConnApp* c = names.conn(s);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->alerts, 3u);
  EXPECT_EQ(c->alerts_relevant, 1u);
  EXPECT_EQ(names.name(c->alert_signature), "ET POLICY high");
  EXPECT_EQ(c->alert_severity, 1);
  // Into a finding's evidence, and through serialisation (retirement) and back.
  AppEvidence e;
  e.add(*c, names);
  EXPECT_EQ(e.ids_alerts, 3u);
  EXPECT_EQ(e.ids_relevant, 1u);
  ASSERT_EQ(e.alerts.size(), 1u);
  EXPECT_EQ(e.alerts[0].text, "ET POLICY high");
  EXPECT_EQ(e.alerts[0].detail, "Potential Corporate Privacy Violation, severity 1");
  std::string blob;
  e.serialize(blob);
  AppEvidence back;
  std::string_view in = blob;
  ASSERT_TRUE(back.deserialize(in));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(back.ids_alerts, 3u);
  ASSERT_EQ(back.alerts.size(), 1u);
  EXPECT_EQ(back.alerts[0].count, 3u);
  // Evidence without alerts keeps its earlier layout (state written before alerts were kept).
  AppEvidence plain;
  plain.http_requests = 2;
  std::string old;
  plain.serialize(old);
  AppEvidence p2;
  std::string_view pin = old;
  ASSERT_TRUE(p2.deserialize(pin));
  EXPECT_EQ(p2.ids_alerts, 0u);
  EXPECT_EQ(p2.http_requests, 2u);
}

}  // namespace
}  // namespace outflow
