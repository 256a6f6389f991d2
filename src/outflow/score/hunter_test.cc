// The AN0080 factors one by one, on a synthetic organisation through the real pipeline.
#include "outflow/score/hunter.h"

#include <gtest/gtest.h>

#include "outflow/score/context.h"
#include "outflow/testing/world.h"

namespace outflow {
namespace {

using testing::World;
constexpr TimeNs kMin = 60 * kNsPerSec, kHour = 3600 * kNsPerSec;
constexpr uint64_t kMB = 1'000'000;

TEST(Hunt, VolumeFactorsOfALargeFastUpload) {
  World w;
  w.proc("WS1", "{10000000-0000-0000-0000-000000000001}", "", "C:\\Program Files\\Tool\\up.exe", "C:\\Windows\\explorer.exe");
  w.dns("WS1", "files.example.net", "203.0.113.5", w.t0);
  w.conn("WS1", "{10000000-0000-0000-0000-000000000001}", "10.0.0.1", "203.0.113.5", 443, w.t0 + kMin, 2 * kMin, 60 * kMB, 100'000);
  const auto r = w.hunt();
  const Finding* f = w.find(r, "{10000000-0000-0000-0000-000000000001}");
  ASSERT_NE(f, nullptr);
  ASSERT_NE(World::factor(f, "volume_out"), nullptr);
  EXPECT_GT(World::factor(f, "volume_out")->contribution, 20);
  EXPECT_EQ(World::factor(f, "large_session")->contribution, 8);  // > 50 MB in one connection (AN0367)
  EXPECT_NE(World::factor(f, "burst"), nullptr);                  // > 1 MB in < 5 min (AN0988)
  EXPECT_NE(World::factor(f, "upload_ratio"), nullptr);           // AN0075
  EXPECT_NE(World::factor(f, "external_destination"), nullptr);
  EXPECT_EQ(World::factor(f, "long_session"), nullptr);
  EXPECT_EQ(f->act->dests[f->dests[0].index].domain, "files.example.net");
  EXPECT_NE(std::find(f->techniques.begin(), f->techniques.end(), "T1567"), f->techniques.end());
  EXPECT_EQ(f->techniques.front(), "T1496.002");
  EXPECT_GE(f->score, 40);
  EXPECT_EQ(f->rank, 1);
}

TEST(Hunt, SmallDownloadIsNotAFinding) {
  World w;
  w.proc("WS1", "{10000000-0000-0000-0000-000000000002}", "", "C:\\Program Files\\Tool\\get.exe", "C:\\Windows\\explorer.exe");
  w.conn("WS1", "{10000000-0000-0000-0000-000000000002}", "10.0.0.1", "203.0.113.5", 443, w.t0, kMin, 5'000, 3 * kMB);
  const auto r = w.hunt();
  const Finding* f = w.find(r, "{10000000-0000-0000-0000-000000000002}");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(World::factor(f, "volume_out"), nullptr);
  EXPECT_EQ(World::factor(f, "upload_ratio"), nullptr);
  EXPECT_LT(f->score, 40);
  EXPECT_EQ(f->rank, 0);
  EXPECT_EQ(r.reported, 0u);
}

TEST(Hunt, LongAndCumulativeDurations) {
  World w;
  const std::string g = "{10000000-0000-0000-0000-000000000003}";
  w.proc("WS1", g, "", "C:\\Program Files\\App\\sync.exe", "C:\\Windows\\explorer.exe");
  w.conn("WS1", g, "10.0.0.1", "203.0.113.6", 8443, w.t0, 5 * kHour, 2 * kMB, 2 * kMB);  // one 5 h session
  const auto r = w.hunt();
  const Finding* f = w.find(r, g);
  ASSERT_NE(World::factor(f, "long_session"), nullptr);
  EXPECT_EQ(World::factor(f, "long_session")->contribution, 8);  // steps 1 h and 4 h crossed
  EXPECT_EQ(World::factor(f, "long_session")->threshold, ">= 4h 0m");
  EXPECT_EQ(World::factor(f, "cumulative_duration"), nullptr);  // not beyond the longest session

  World w2;
  w2.proc("WS1", g, "", "C:\\Program Files\\App\\sync.exe", "C:\\Windows\\explorer.exe");
  for (int i = 0; i < 10; ++i)  // ten 50-minute sessions back to back: none is 1 h, together 8 h+
    w2.conn("WS1", g, "10.0.0.1", "203.0.113.6", 8443, w2.t0 + i * 50 * kMin, 50 * kMin, 1000, 1000, kProtoTcp, i == 0);
  const auto r2 = w2.hunt();
  const Finding* f2 = w2.find(r2, g);
  EXPECT_EQ(World::factor(f2, "long_session"), nullptr);
  ASSERT_NE(World::factor(f2, "cumulative_duration"), nullptr);
  EXPECT_EQ(World::factor(f2, "cumulative_duration")->contribution, 9);  // 1 h, 4 h, 8 h
  EXPECT_EQ(f2->act->sessions_inferred, 9u);  // later sessions had no Sysmon 3 of their own
}

TEST(Hunt, RepeatedSmallUploadsAreLowAndSlow) {
  World w;
  const std::string g = "{10000000-0000-0000-0000-000000000004}";
  w.proc("WS1", g, "", "C:\\ProgramData\\upd\\agent.exe", "C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\SYSTEM");
  for (int i = 0; i < 30; ++i)
    w.conn("WS1", g, "10.0.0.1", "203.0.113.7", 443, w.t0 + i * kHour, 10 * kNsPerSec, 200'000, 2'000, kProtoTcp, i == 0);
  const auto r = w.hunt();
  const Finding* f = w.find(r, g);
  // Hourly for 30 h: RITA's beacon score says it (and replaces the cruder repetition count).
  ASSERT_NE(World::factor(f, "beacon"), nullptr);
  EXPECT_EQ(World::factor(f, "repeated_connections"), nullptr);
  EXPECT_NE(std::find(f->techniques.begin(), f->techniques.end(), "T1030"), f->techniques.end());
  EXPECT_NE(std::find(f->techniques.begin(), f->techniques.end(), "T1041"), f->techniques.end());
  EXPECT_NE(World::factor(f, "service_context"), nullptr);
  EXPECT_NE(World::factor(f, "user_writable_path"), nullptr);
  EXPECT_GE(f->score, 40);
}

TEST(Hunt, RarityNeedsEnoughHosts) {
  World w;
  w.background_hosts(6);
  const std::string g = "{10000000-0000-0000-0000-000000000005}";
  w.proc("WS1", g, "", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Windows\\explorer.exe");
  w.conn("WS1", g, "10.0.0.1", "203.0.113.99", 443, w.t0, kMin, 3 * kMB, 10'000);
  const auto r = w.hunt();
  EXPECT_EQ(r.org_hosts, 7u);
  const Finding* f = w.find(r, g);
  ASSERT_NE(World::factor(f, "rare_destination"), nullptr);
  EXPECT_EQ(World::factor(f, "rare_destination")->observed, "1 of 7 hosts");
  // The common destination is not rare.
  const Finding* b = w.find(r, "{bbbbbbbb-0000-0000-0000-100000000000}");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(World::factor(b, "rare_destination"), nullptr);
  EXPECT_EQ(b->dests[0].hosts_in_org, 6u);

  World small;  // two hosts: rarity cannot be judged
  small.background_hosts(1);
  small.proc("WS1", g, "", "C:\\x\\a.exe", "");
  small.conn("WS1", g, "10.0.0.1", "203.0.113.99", 443, small.t0, kMin, 3 * kMB, 10'000);
  const auto r2 = small.hunt();
  EXPECT_EQ(World::factor(small.find(r2, g), "rare_destination"), nullptr);
}

TEST(Hunt, FanOutAndDirectDns) {
  World w;
  const std::string scan = "{10000000-0000-0000-0000-000000000006}", dns = "{10000000-0000-0000-0000-000000000007}";
  w.proc("WS1", scan, "", "C:\\Users\\bob\\AppData\\Roaming\\x\\bot.exe", "C:\\Windows\\explorer.exe", "CORP\\bob");
  for (int i = 0; i < 60; ++i) {
    const std::string d = "198.18.0." + std::to_string(i + 1);
    w.conn("WS1", scan, "10.0.0.1", d.c_str(), 445, w.t0 + i * kNsPerSec, kNsPerSec, 100, 0);
  }
  w.proc("WS2", dns, "", "C:\\Users\\eve\\Downloads\\dnscat.exe", "C:\\Windows\\explorer.exe", "CORP\\eve");
  for (int i = 0; i < 20; ++i)
    w.conn("WS2", dns, "10.0.0.2", "8.8.4.4", 53, w.t0 + i * kMin, kNsPerSec, 200, 300, kProtoUdp);
  const auto r = w.hunt();
  const Finding* f = w.find(r, scan);
  ASSERT_NE(World::factor(f, "fan_out"), nullptr);
  EXPECT_EQ(World::factor(f, "fan_out")->contribution, 12);
  EXPECT_EQ(World::factor(f, "fan_out")->observed, "60 addresses");
  ASSERT_NE(World::factor(f, "internal_protocol_outbound"), nullptr);  // SMB to the internet
  EXPECT_EQ(World::factor(f, "internal_protocol_outbound")->observed.substr(0, 7), "smb to ");
  ASSERT_NE(World::factor(f, "scan_pattern"), nullptr);
  EXPECT_EQ(World::factor(f, "scan_pattern")->observed, "60 of 60 destinations probed");
  EXPECT_NE(std::find(f->techniques.begin(), f->techniques.end(), "T1046"), f->techniques.end());
  const Finding* d = w.find(r, dns);
  ASSERT_NE(World::factor(d, "direct_dns"), nullptr);
  EXPECT_NE(std::find(d->techniques.begin(), d->techniques.end(), "T1048"), d->techniques.end());
}

TEST(Hunt, ContextFactors) {
  World w;
  const std::string sys = "{20000000-0000-0000-0000-000000000001}", svc = "{20000000-0000-0000-0000-000000000002}",
                    masq = "{20000000-0000-0000-0000-000000000003}", other = "{20000000-0000-0000-0000-000000000004}",
                    renamed = "{20000000-0000-0000-0000-000000000005}", inj = "{20000000-0000-0000-0000-000000000006}";
  w.proc("WS1", sys, "", "C:\\ProgramData\\r\\rclone.exe", "C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\SYSTEM");
  w.proc("WS1", svc, "", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\services.exe", "NT AUTHORITY\\SYSTEM");
  w.proc("WS1", masq, "", "C:\\Users\\Public\\svchost.exe", "C:\\Windows\\explorer.exe", "CORP\\alice");
  w.proc("WS1", other, "", "C:\\Users\\bob\\AppData\\Local\\t.exe", "C:\\Windows\\explorer.exe", "CORP\\alice");
  w.proc("WS1", renamed, "", "C:\\Tools\\OneDrive.exe", "C:\\Windows\\explorer.exe", "CORP\\alice", "", "rclone.exe");
  w.proc("WS1", inj, "", "C:\\Windows\\System32\\notepad.exe", "C:\\Windows\\explorer.exe", "NT AUTHORITY\\NETWORK SERVICE");
  int i = 0;
  for (const auto& g : {sys, svc, masq, other, renamed, inj})
    w.conn("WS1", g, "10.0.0.1", "203.0.113.20", 443, w.t0 + (++i) * kMin, kMin, 2 * kMB, 10'000);
  const auto r = w.hunt();
  EXPECT_NE(World::factor(w.find(r, sys), "service_context"), nullptr);
  EXPECT_NE(World::factor(w.find(r, sys), "transfer_tool"), nullptr);
  EXPECT_EQ(World::factor(w.find(r, svc), "service_context"), nullptr);  // svchost as SYSTEM is normal
  EXPECT_EQ(World::factor(w.find(r, svc), "masquerade"), nullptr);
  ASSERT_NE(World::factor(w.find(r, masq), "masquerade"), nullptr);
  EXPECT_EQ(World::factor(w.find(r, masq), "masquerade")->contribution, 25);
  EXPECT_NE(World::factor(w.find(r, masq), "user_writable_path"), nullptr);
  EXPECT_NE(World::factor(w.find(r, other), "other_users_profile"), nullptr);
  ASSERT_NE(World::factor(w.find(r, renamed), "renamed_binary"), nullptr);
  EXPECT_EQ(World::factor(w.find(r, renamed), "renamed_binary")->contribution, 20);  // renamed from a transfer tool
  EXPECT_NE(World::factor(w.find(r, inj), "unexpected_network_process"), nullptr);
  EXPECT_NE(World::factor(w.find(r, inj), "service_context"), nullptr);
  // The masquerading svchost outranks the real one.
  EXPECT_GT(w.find(r, masq)->score, w.find(r, svc)->score);
}

TEST(Hunt, RareUserRareParentUnusualPortElevationPeakWindow) {
  World w;
  w.background_hosts(6);
  // powershell runs as alice on six hosts (explorer -> powershell), and once as SYSTEM under
  // wmiprvse on WS1.
  for (int i = 0; i < 6; ++i) {
    const std::string h = "WSB" + std::to_string(i), g = "{90000000-0000-0000-0000-00000000000" + std::to_string(i) + "}";
    w.proc(h, g, "", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\explorer.exe");
  }
  const std::string odd = "{90000000-0000-0000-0000-000000000099}", parent = "{90000000-0000-0000-0000-000000000098}";
  w.proc("WS1", parent, "", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\System32\\svchost.exe",
         "NT AUTHORITY\\NETWORK SERVICE");
  w.proc("WS1", odd, parent, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
         "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "NT AUTHORITY\\SYSTEM", "", "", "", "System");
  const std::string elev = "{90000000-0000-0000-0000-000000000097}";
  w.proc("WS1", elev, "", "C:\\Users\\alice\\Downloads\\tool.exe", "C:\\Windows\\explorer.exe", "CORP\\alice", "", "", "", "High");
  w.conn("WS1", odd, "10.0.0.1", "203.0.113.80", 4444, w.t0 + kMin, 30 * kNsPerSec, 3 * kMB, 1000);
  w.conn("WS1", elev, "10.0.0.1", "203.0.113.81", 443, w.t0 + kMin, kNsPerSec, 100, 100);
  const auto r = w.hunt();
  const Finding* f = w.find(r, odd);
  ASSERT_NE(World::factor(f, "unusual_user"), nullptr);
  EXPECT_EQ(World::factor(f, "unusual_user")->baseline, "powershell.exe ran as system accounts 1 of 7 times");
  ASSERT_NE(World::factor(f, "rare_parent"), nullptr);
  EXPECT_EQ(World::factor(f, "rare_parent")->observed, "wmiprvse.exe -> powershell.exe");
  EXPECT_NE(World::factor(f, "unusual_port"), nullptr);
  EXPECT_NE(World::factor(f, "service_context"), nullptr);  // a tool as SYSTEM, even under a service
  ASSERT_NE(World::factor(f, "peak_window"), nullptr);
  EXPECT_EQ(World::factor(f, "peak_window")->observed, "3.0 MB in 15m 0s");
  EXPECT_NE(World::factor(w.find(r, elev), "elevated_from_writable"), nullptr);
  EXPECT_EQ(World::factor(w.find(r, "{90000000-0000-0000-0000-000000000001}"), "unusual_user"), nullptr);
}

TEST(Hunt, ServerSpawningAShellIsAFindingEvenWithLittleVolume) {
  // log4shell's shape: tomcat (LOCAL SERVICE) -> powershell -> a few KB out.
  World w;
  const std::string tomcat = "{30000000-0000-0000-0000-000000000001}", ps = "{30000000-0000-0000-0000-000000000002}";
  w.proc("WEB1", tomcat, "", "C:\\Program Files\\Apache\\Tomcat9\\bin\\tomcat9.exe", "C:\\Windows\\System32\\services.exe",
          "NT AUTHORITY\\LOCAL SERVICE");
  w.proc("WEB1", ps, tomcat, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
          "C:\\Program Files\\Apache\\Tomcat9\\bin\\tomcat9.exe", "NT AUTHORITY\\LOCAL SERVICE");
  w.conn("WEB1", ps, "10.0.0.5", "192.168.3.5", 443, w.t0 + kMin, 17 * kNsPerSec, 2'847, 57'662);
  const auto r = w.hunt();
  const Finding* f = w.find(r, ps);
  ASSERT_NE(f, nullptr);
  ASSERT_NE(World::factor(f, "suspicious_lineage"), nullptr);
  EXPECT_EQ(World::factor(f, "suspicious_lineage")->observed, "tomcat9.exe -> powershell.exe");
  EXPECT_NE(World::factor(f, "service_context"), nullptr);
  EXPECT_EQ(f->host_role, "server");
  EXPECT_GE(f->score, 40);
  EXPECT_GT(f->rank, 0);
}

TEST(Hunt, ContextAloneIsCapped) {
  World w;
  const std::string g = "{30000000-0000-0000-0000-000000000003}";
  w.proc("WS1", g, "", "C:\\Users\\Public\\svc\\a.exe", "C:\\Windows\\explorer.exe", "NT AUTHORITY\\SYSTEM", "", "", "", "High");
  w.conn("WS1", g, "10.0.0.1", "10.0.0.9", 8080, w.t0, kNsPerSec, 300, 300);
  const auto r = w.hunt();
  const Finding* f = w.find(r, g);
  EXPECT_GT(f->factors.size(), 2u);
  EXPECT_LE(f->score, 35);
}

TEST(Hunt, SuppressionChecksMoreThanTheName) {
  World w;
  const std::string real = "{40000000-0000-0000-0000-000000000001}", fake = "{40000000-0000-0000-0000-000000000002}";
  w.proc("WS1", real, "", "C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe", "C:\\Windows\\explorer.exe",
          "CORP\\alice", "", "OneDrive.exe", "Microsoft Corporation");
  w.proc("WS2", fake, "", "C:\\Users\\Public\\OneDrive.exe", "C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\SYSTEM", "",
          "rclone.exe", "");
  w.dns("WS1", "contoso-my.sharepoint.com", "203.0.113.30", w.t0);
  w.dns("WS2", "contoso-my.sharepoint.com", "203.0.113.30", w.t0);
  w.conn("WS1", real, "10.0.0.1", "203.0.113.30", 443, w.t0 + kMin, 10 * kMin, 800 * kMB, kMB);
  w.conn("WS2", fake, "10.0.0.2", "203.0.113.30", 443, w.t0 + kMin, 10 * kMin, 800 * kMB, kMB);
  const auto r = w.hunt();
  const Finding* a = w.find(r, real);
  const Finding* b = w.find(r, fake);
  EXPECT_EQ(a->suppressed_by, "onedrive-sync");
  EXPECT_EQ(a->rank, 0);
  EXPECT_EQ(b->suppressed_by, "");
  EXPECT_GT(b->rank, 0);
  EXPECT_NE(World::factor(b, "renamed_binary"), nullptr);
  EXPECT_EQ(r.suppressed, 1u);

  // The analytic's ProcessName knob: by name only, reported as such.
  World w2;
  w2.cfg.process_name_exclusions = {"OneDrive.exe"};
  w2.proc("WS2", fake, "", "C:\\Users\\Public\\OneDrive.exe", "", "NT AUTHORITY\\SYSTEM");
  w2.conn("WS2", fake, "10.0.0.2", "203.0.113.30", 443, w2.t0, kMin, 800 * kMB, kMB);
  const auto r2 = w2.hunt();
  EXPECT_EQ(w2.find(r2, fake)->suppressed_by, "process_name_exclusions");
}

TEST(Hunt, ExclusionRuleFieldsAllMustMatch) {
  ExclusionRule rule;
  rule.name = "x";
  rule.image = {"C:\\Program Files\\Veeam\\*"};
  rule.company = {"Veeam Software Group GmbH"};
  rule.hashes = {"SHA256=AABBCCDDEEFF00112233445566778899"};
  Process p;
  p.image = "C:\\Program Files\\Veeam\\Backup\\agent.exe";
  p.company = "Veeam Software Group GmbH";
  p.hashes = "SHA1=11,MD5=22,SHA256=aabbccddeeff00112233445566778899,IMPHASH=33";
  EXPECT_TRUE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), nullptr));
  p.hashes = "SHA256=aabbccddeeff0011223344556677889900";  // longer hash: not the listed one
  EXPECT_FALSE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), nullptr));
  p.hashes = "SHA256=AABBCCDDEEFF00112233445566778899";
  p.company = "";
  EXPECT_FALSE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), nullptr));
  rule.company.clear();
  rule.destination_domain = {"*.veeam.com"};
  EXPECT_FALSE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), nullptr));
  DestActivity d;
  d.domain = "repo.veeam.com.";
  d.port = 443;
  EXPECT_TRUE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), &d));
  // Name or network; and the port when listed.
  d.domain.clear();
  ASSERT_TRUE(IpAddr::parse("52.112.1.2", d.ip));
  EXPECT_FALSE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), &d));
  std::string err;
  ASSERT_TRUE(rule.destination_network.add("52.112.0.0/14", err));
  EXPECT_TRUE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), &d));
  rule.destination_port = {3478, 3479};
  EXPECT_FALSE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), &d));
  d.port = 3479;
  EXPECT_TRUE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), &d));
}

TEST(Hunt, LineageRollUpGivesTheParentItsChildrensVolume) {
  World w;
  const std::string word = "{50000000-0000-0000-0000-000000000001}";
  w.proc("WS1", word, "", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "C:\\Windows\\explorer.exe");
  for (int i = 0; i < 3; ++i) {
    const std::string g = "{50000000-0000-0000-0000-00000000001" + std::to_string(i) + "}";
    w.proc("WS1", g, word, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE");
    w.conn("WS1", g, "10.0.0.1", "203.0.113.40", 443, w.t0 + i * 10 * kMin, kMin, 5 * kMB, 1000);
  }
  const auto r = w.hunt();
  const Finding* parent = w.find(r, word);
  ASSERT_NE(parent, nullptr);
  EXPECT_TRUE(parent->rollup_only);
  EXPECT_EQ(parent->invoked_out, 15 * kMB);
  EXPECT_EQ(parent->invoked_children, 3u);
  ASSERT_NE(World::factor(parent, "invoked_volume"), nullptr);
  EXPECT_EQ(parent->act->bytes_out, 15 * kMB);
  const Finding* child = w.find(r, "{50000000-0000-0000-0000-000000000010}");
  ASSERT_NE(World::factor(child, "suspicious_lineage"), nullptr);
  EXPECT_EQ(World::factor(child, "suspicious_lineage")->observed, "winword.exe -> powershell.exe");
}

TEST(Hunt, VolumeAgainstTheBaselineOfTheSameExecutable) {
  World w;
  for (int i = 0; i < 8; ++i) {
    const std::string h = "WS" + std::to_string(i), g = "{60000000-0000-0000-0000-00000000000" + std::to_string(i) + "}";
    const std::string a = "10.0.1." + std::to_string(i + 1);
    w.proc(h, g, "", "C:\\Program Files\\Corp\\agent.exe", "C:\\Windows\\System32\\services.exe");
    w.conn(h, g, a.c_str(), "203.0.113.50", 443, w.t0, kMin, i == 7 ? 500 * kMB : 2 * kMB, 10'000);
  }
  const auto r = w.hunt();
  const Factor* x = World::factor(w.find(r, "{60000000-0000-0000-0000-000000000007}"), "volume_vs_baseline");
  ASSERT_NE(x, nullptr);
  EXPECT_NE(x->baseline.find("agent.exe: median"), std::string::npos);
  EXPECT_EQ(World::factor(w.find(r, "{60000000-0000-0000-0000-000000000003}"), "volume_vs_baseline"), nullptr);
}

TEST(Hunt, StateMakesDestinationsNewOrKnown) {
  World w;
  const std::string g = "{70000000-0000-0000-0000-000000000001}";
  w.proc("WS1", g, "", "C:\\Program Files\\App\\a.exe", "");
  w.conn("WS1", g, "10.0.0.1", "203.0.113.60", 443, w.t0, kMin, 2 * kMB, 1000);
  w.hunt();
  Baselines state = w.observe();
  // The same destination again: known. Another one: new.
  World w2;
  w2.proc("WS1", g, "", "C:\\Program Files\\App\\a.exe", "");
  w2.conn("WS1", g, "10.0.0.1", "203.0.113.60", 443, w2.t0, kMin, 2 * kMB, 1000);
  w2.conn("WS1", "{70000000-0000-0000-0000-000000000001}", "10.0.0.1", "203.0.113.61", 443, w2.t0 + kMin, kMin, 9 * kMB, 1000);
  const auto r = w2.hunt(&state);
  EXPECT_TRUE(r.had_state);
  const Finding* f = w2.find(r, g);
  ASSERT_EQ(f->dests.size(), 2u);
  EXPECT_EQ(f->dests[0].key, "203.0.113.61");
  EXPECT_TRUE(f->dests[0].new_for_org);
  EXPECT_FALSE(f->dests[1].new_for_org);
  EXPECT_NE(World::factor(f, "new_destination"), nullptr);
  EXPECT_FALSE(f->dests[1].new_for_host);

  // Known to the organisation, new for another host.
  World w3;
  const std::string g2 = "{70000000-0000-0000-0000-000000000002}";
  w3.proc("WS2", g2, "", "C:\\Program Files\\App\\a.exe", "", "CORP\\bob");
  w3.conn("WS2", g2, "10.0.0.2", "203.0.113.60", 443, w3.t0, kMin, 2 * kMB, 1000);
  const auto r3 = w3.hunt(&state);
  const Finding* f3 = w3.find(r3, g2);
  EXPECT_FALSE(f3->dests[0].new_for_org);
  EXPECT_TRUE(f3->dests[0].new_for_host);
  EXPECT_TRUE(f3->dests[0].new_for_user);
  EXPECT_EQ(World::factor(f3, "new_destination")->contribution, 2);
}

TEST(Hunt, DeterministicRanking) {
  auto build = [](World& w) {
    w.background_hosts(6);
    for (int i = 0; i < 5; ++i) {
      const std::string g = "{80000000-0000-0000-0000-00000000000" + std::to_string(i) + "}";
      w.proc("WS1", g, "", "C:\\ProgramData\\x" + std::to_string(i) + ".exe", "", "NT AUTHORITY\\SYSTEM");
      w.conn("WS1", g, "10.0.0.1", "203.0.113.70", 443, w.t0, kMin, 3 * kMB, 1000);  // identical scores
    }
  };
  World a, b;
  build(a);
  build(b);
  const auto ra = a.hunt(), rb = b.hunt();
  ASSERT_EQ(ra.findings.size(), rb.findings.size());
  for (size_t i = 0; i < ra.findings.size(); ++i) {
    EXPECT_EQ(ra.findings[i].finding_id, rb.findings[i].finding_id);
    EXPECT_EQ(ra.findings[i].score, rb.findings[i].score);
    EXPECT_EQ(ra.findings[i].rank, rb.findings[i].rank);
  }
}

TEST(Hunt, AmbiguityBetweenInstancesOfOneExecutableGoesToTheLatest) {
  // Two Zoom windows of one user reach the same media relay; later sessions have no Sysmon 3 and
  // fit both. The join says ambiguous; the hunt counts them for the latest-started instance.
  World w;
  const std::string a = "{a0000000-0000-0000-0000-000000000001}", b = "{a0000000-0000-0000-0000-000000000002}";
  w.proc("WS1", a, "", "C:\\Users\\bob\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe", "", "CORP\\bob", "", "", "", "Medium", w.t0);
  w.proc("WS1", b, "", "C:\\Users\\bob\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe", "", "CORP\\bob", "", "", "", "Medium",
         w.t0 + kMin);
  w.conn("WS1", a, "10.0.0.1", "203.0.113.90", 8801, w.t0 + 2 * kMin, kMin, 1000, 1000, kProtoUdp);
  w.conn("WS1", b, "10.0.0.1", "203.0.113.90", 8801, w.t0 + 3 * kMin, kMin, 1000, 1000, kProtoUdp);
  w.conn("WS1", "", "10.0.0.1", "203.0.113.90", 8801, w.t0 + 10 * kMin, kMin, 5 * kMB, 1000, kProtoUdp, false);
  const auto r = w.hunt();
  const Finding* fb = w.find(r, b);
  ASSERT_NE(fb, nullptr);
  EXPECT_EQ(fb->act->sessions, 2u);
  EXPECT_EQ(fb->act->sessions_inferred, 1u);
  EXPECT_EQ(w.find(r, a)->act->sessions, 1u);
  for (const auto& f : r.findings) EXPECT_NE(f.proc, kNoProc) << "no unattributed activity left";
}

TEST(Hunt, HumanUnits) {
  EXPECT_EQ(human_bytes(999), "999 B");
  EXPECT_EQ(human_bytes(1'500'000), "1.5 MB");
  EXPECT_EQ(human_duration(3 * kHour + 12 * kMin), "3h 12m");
  EXPECT_EQ(human_duration(-5), "0s");
  EXPECT_STREQ(severity_for(85), "critical");
  EXPECT_STREQ(severity_for(39.9), "low");
}

}  // namespace
}  // namespace outflow

namespace outflow {
namespace {

// Issue 14: a sensor that lost a host's outgoing packets. The upload volume is unknown, not zero:
// the beacon is still scored on what can be seen, said to be unmeasured, and not taken for a
// download.
TEST(Hunt, UnknownUploadVolumeIsNotZero) {
  const std::string g = "{10000000-0000-0000-0000-0000000000a1}";
  auto build = [&](World& w) {
    w.proc("WS1", g, "", "C:\\Users\\Public\\rclone.exe", "C:\\Windows\\System32\\svchost.exe", "NT AUTHORITY\\SYSTEM");
    for (int i = 0; i < 20; ++i)
      w.conn("WS1", g, "10.0.0.1", "198.51.100.77", 4444, w.t0 + i * 15 * kMin, 30 * kNsPerSec, 40'000, 2'000, kProtoTcp, i == 0);
  };
  World seen, lost;
  build(seen);
  build(lost);
  lost.sensor_lost_outgoing("10.0.0.1");
  const auto rs = seen.hunt(), rl = lost.hunt();
  const Finding* fs = seen.find(rs, g);
  const Finding* fl = lost.find(rl, g);
  ASSERT_NE(fs, nullptr);
  ASSERT_NE(fl, nullptr);
  // Seen: an upload; no caveat.
  EXPECT_EQ(World::factor(fs, "volume_unknown"), nullptr);
  for (const auto& c : fs->caveats) EXPECT_EQ(c.find("upload volume"), std::string::npos) << c;
  // Lost: every session's bytes out unknown, said as a factor and a caveat.
  ASSERT_NE(World::factor(fl, "volume_unknown"), nullptr);
  EXPECT_EQ(World::factor(fl, "volume_unknown")->observed, "20 of 20 sessions");
  EXPECT_EQ(fl->act->sessions_out_unknown, 20u);
  EXPECT_EQ(fl->act->bytes_out, 0u);
  ASSERT_FALSE(fl->caveats.empty());
  EXPECT_NE(fl->caveats[0].find("upload volume not measured for 20 of 20 sessions"), std::string::npos);
  // Not a download (2 KB in, 0 seen out): the beacon counts in full; its data size, unseen, is
  // left out of the score (not scored as a constant 0), the other sub-scores say it as well.
  ASSERT_NE(World::factor(fl, "beacon"), nullptr);
  EXPECT_NE(World::factor(fl, "beacon")->observed.find("data size unknown"), std::string::npos);
  ASSERT_NE(World::factor(fs, "beacon"), nullptr);
  EXPECT_EQ(World::factor(fl, "beacon")->contribution, World::factor(fs, "beacon")->contribution);
  EXPECT_EQ(World::factor(fl, "upload_ratio"), nullptr);  // no ratio on a lower bound
  // An odd port counts as much with the bytes unseen.
  ASSERT_NE(World::factor(fs, "unusual_port"), nullptr);
  ASSERT_NE(World::factor(fl, "unusual_port"), nullptr);
  // Still reported, as high as when the bytes were seen (they were too few to score here): what
  // can be seen (regularity, port, tool, account, path) is a command channel.
  EXPECT_GE(fs->score, 40);
  EXPECT_GE(fl->score, fs->score);
  EXPECT_GE(fl->rank, 1);
}

}  // namespace
}  // namespace outflow
