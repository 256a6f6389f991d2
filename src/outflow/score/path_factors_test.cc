// The path factors (other_users_profile, masquerade, user_writable_path, exclusions) on the
// spellings of paths Windows logs use, through the real pipeline (issue 14).
#include <gtest/gtest.h>

#include "outflow/score/context.h"
#include "outflow/score/hunter.h"
#include "outflow/testing/world.h"

namespace outflow {
namespace {

using testing::World;
constexpr TimeNs kMin = 60 * kNsPerSec;
constexpr uint64_t kMB = 1'000'000;

TEST(PathFactors, OwnProfileByItsShortNameIsNotAnotherUsers) {
  World w;
  const std::string own = "{30000000-0000-0000-0000-000000000001}", other = "{30000000-0000-0000-0000-000000000002}",
                    own_long = "{30000000-0000-0000-0000-000000000003}", env = "{30000000-0000-0000-0000-000000000004}",
                    short_other = "{30000000-0000-0000-0000-000000000005}";
  w.proc("WS1", own, "", "C:\\Users\\FIRSTN~1.LAS\\AppData\\Local\\Temp\\x.exe", "C:\\Windows\\explorer.exe",
         "CORP\\firstname.lastname");
  w.proc("WS1", other, "", "C:\\Users\\alice\\AppData\\Local\\Temp\\x.exe", "C:\\Windows\\explorer.exe", "CORP\\bob");
  // Another host spells the profile out in full: this host's short name is judged by Windows' rule.
  w.proc("WS2", own_long, "", "c:/users/Firstname.Lastname/AppData/Local/Temp/y.exe", "C:\\Windows\\explorer.exe",
         "CORP\\firstname.lastname");
  w.proc("WS1", env, "", "%LOCALAPPDATA%\\Temp\\z.exe", "C:\\Windows\\explorer.exe", "CORP\\bob");
  w.proc("WS1", short_other, "", "C:\\Users\\FIRSTN~1.LAS\\AppData\\Local\\Temp\\v.exe", "C:\\Windows\\explorer.exe",
         "CORP\\bob");
  int i = 0;
  for (const auto& g : {own, other, own_long, env, short_other})
    w.conn(g == own_long ? "WS2" : "WS1", g, g == own_long ? "10.0.0.2" : "10.0.0.1", "203.0.113.40", 443,
           w.t0 + (++i) * kMin, kMin, 2 * kMB, 10'000);
  const auto r = w.hunt();
  EXPECT_EQ(World::factor(w.find(r, own), "other_users_profile"), nullptr);
  EXPECT_EQ(w.find(r, own)->image_canon, "c:\\users\\firstn~1.las\\appdata\\local\\temp\\x.exe");  // not resolved: by rule
  EXPECT_NE(World::factor(w.find(r, own), "user_writable_path"), nullptr);
  ASSERT_NE(World::factor(w.find(r, other), "other_users_profile"), nullptr);
  // The factor shows the path as the log wrote it.
  EXPECT_EQ(World::factor(w.find(r, other), "other_users_profile")->observed, "C:\\Users\\alice\\AppData\\Local\\Temp\\x.exe");
  EXPECT_EQ(World::factor(w.find(r, own_long), "other_users_profile"), nullptr);
  EXPECT_EQ(World::factor(w.find(r, env), "other_users_profile"), nullptr);
  EXPECT_NE(World::factor(w.find(r, env), "user_writable_path"), nullptr);
  EXPECT_EQ(w.find(r, env)->image_canon, "c:\\users\\bob\\appdata\\local\\temp\\z.exe");
  EXPECT_NE(World::factor(w.find(r, short_other), "other_users_profile"), nullptr);  // bob in firstname.lastname's
}

TEST(PathFactors, MasqueradeAndElevationAcrossSpellings) {
  World w;
  const std::string dev = "{30000000-0000-0000-0000-000000000011}", env = "{30000000-0000-0000-0000-000000000012}",
                    pub = "{30000000-0000-0000-0000-000000000013}", nt = "{30000000-0000-0000-0000-000000000014}",
                    quoted = "{30000000-0000-0000-0000-000000000015}";
  w.proc("WS1", dev, "", "\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\services.exe",
         "NT AUTHORITY\\SYSTEM");
  w.proc("WS1", env, "", "%SystemRoot%\\system32\\svchost.exe", "C:\\Windows\\System32\\services.exe", "NT AUTHORITY\\SYSTEM");
  w.proc("WS1", pub, "", "C:\\Users\\Public\\svchost.exe", "C:\\Windows\\explorer.exe", "CORP\\alice");
  w.proc("WS1", nt, "", "\\??\\C:\\ProgramData\\x\\up.exe", "C:\\Windows\\explorer.exe", "CORP\\alice", "", "", "", "High");
  w.proc("WS1", quoted, "", "\"C:\\Users\\Public\\svchost.exe\"", "C:\\Windows\\explorer.exe", "CORP\\alice");
  int i = 0;
  for (const auto& g : {dev, env, pub, nt, quoted})
    w.conn("WS1", g, "10.0.0.1", "203.0.113.41", 443, w.t0 + (++i) * kMin, kMin, 2 * kMB, 10'000);
  const auto r = w.hunt();
  for (const auto& g : {dev, env}) {
    EXPECT_EQ(World::factor(w.find(r, g), "masquerade"), nullptr) << g;
    EXPECT_EQ(World::factor(w.find(r, g), "service_context"), nullptr) << g;  // svchost in System32 as SYSTEM
    EXPECT_EQ(w.find(r, g)->path_class, PathClass::system) << g;
  }
  for (const auto& g : {pub, quoted}) {
    ASSERT_NE(World::factor(w.find(r, g), "masquerade"), nullptr) << g;
    EXPECT_NE(World::factor(w.find(r, g), "user_writable_path"), nullptr) << g;
  }
  EXPECT_EQ(World::factor(w.find(r, quoted), "masquerade")->observed, "\"C:\\Users\\Public\\svchost.exe\"");
  EXPECT_NE(World::factor(w.find(r, nt), "user_writable_path"), nullptr);
  EXPECT_NE(World::factor(w.find(r, nt), "elevated_from_writable"), nullptr);
}

// A short path resolves through the long form of another process of the same host: Defender
// started as C:\PROGRA~1\WINDOW~1\MsMpEng.exe is the expected system service it is.
TEST(PathFactors, ShortPathsResolvedFromTheSameHostsLongForms) {
  for (const bool long_form_seen : {false, true}) {
    World w;
    const std::string mp = "{30000000-0000-0000-0000-000000000021}", cmd = "{30000000-0000-0000-0000-000000000022}";
    if (long_form_seen)
      w.proc("WS1", cmd, "", "C:\\Program Files\\Windows Defender\\MpCmdRun.exe", "C:\\Windows\\System32\\svchost.exe",
             "NT AUTHORITY\\SYSTEM");
    w.proc("WS1", mp, "", "C:\\PROGRA~1\\WINDOW~1\\MsMpEng.exe", "C:\\Windows\\System32\\services.exe", "NT AUTHORITY\\SYSTEM");
    w.conn("WS1", mp, "10.0.0.1", "203.0.113.42", 443, w.t0 + kMin, kMin, 2 * kMB, 10'000);
    const auto r = w.hunt();
    const Finding* f = w.find(r, mp);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(World::factor(f, "service_context") == nullptr, long_form_seen);
    EXPECT_EQ(f->image_canon, long_form_seen ? "c:\\program files\\windows defender\\msmpeng.exe"
                                             : "c:\\program files\\window~1\\msmpeng.exe");
  }
}

// The join's ambiguity between instances of one executable holds across spellings: one Zoom
// logged with a drive letter, the other with a device path, is still one program.
TEST(PathFactors, AmbiguityBetweenInstancesIgnoresTheSpelling) {
  World w;
  const std::string a = "{30000000-0000-0000-0000-000000000031}", b = "{30000000-0000-0000-0000-000000000032}";
  w.proc("WS1", a, "", "C:\\Users\\bob\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe", "", "CORP\\bob", "", "", "", "Medium", w.t0);
  w.proc("WS1", b, "", "\\Device\\HarddiskVolume3\\Users\\bob\\AppData\\Roaming\\Zoom\\bin\\zoom.exe", "", "CORP\\bob", "",
         "", "", "Medium", w.t0 + kMin);
  w.conn("WS1", a, "10.0.0.1", "203.0.113.90", 8801, w.t0 + 2 * kMin, kMin, 1000, 1000, kProtoUdp);
  w.conn("WS1", b, "10.0.0.1", "203.0.113.90", 8801, w.t0 + 3 * kMin, kMin, 1000, 1000, kProtoUdp);
  w.conn("WS1", "", "10.0.0.1", "203.0.113.90", 8801, w.t0 + 10 * kMin, kMin, 5 * kMB, 1000, kProtoUdp, false);
  const auto r = w.hunt();
  ASSERT_NE(w.find(r, b), nullptr);
  EXPECT_EQ(w.find(r, b)->act->sessions, 2u);  // the ambiguous session went to the latest instance
  for (const auto& f : r.findings) EXPECT_NE(f.proc, kNoProc) << "no unattributed activity left";
}

TEST(PathFactors, ExclusionsMatchEverySpelling) {
  ExclusionRule rule;
  rule.name = "veeam";
  rule.image = {canonical_win_path("%ProgramFiles%\\Veeam\\*")};  // as the config reader stores it
  Process p;
  for (const char* img : {"C:\\Program Files\\Veeam\\agent.exe", "C:\\PROGRA~1\\Veeam\\agent.exe",
                          "\\Device\\HarddiskVolume2\\Program Files\\Veeam\\agent.exe", "\"c:/program files/veeam/agent.exe\""}) {
    p.image = img;
    EXPECT_TRUE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), nullptr)) << img;
  }
  p.image = "C:\\Users\\Public\\Veeam\\agent.exe";
  EXPECT_FALSE(ContextRules::rule_matches(rule, p, canonical_win_path(p.image), nullptr));

  // Through the config reader: patterns written in any spelling are canonical.
  DetectConfig c = default_config();
  std::string err;
  ASSERT_TRUE(apply_config_yaml("system_context_images: ['%SystemRoot%/System32/svchost.exe']\n"
                                "exclusions:\n  - {name: x, image: ['%ProgramFiles(x86)%\\Zoom\\*']}\n", c, err)) << err;
  ASSERT_EQ(c.system_context_images.size(), 1u);
  EXPECT_EQ(c.system_context_images[0], "c:\\windows\\system32\\svchost.exe");
  EXPECT_EQ(c.exclusions.at(0).image.at(0), "c:\\program files (x86)\\zoom\\*");
  ContextRules rules(c);
  EXPECT_TRUE(rules.expected_system_context(canonical_win_path("\\SystemRoot\\System32\\svchost.exe")));
  EXPECT_FALSE(rules.expected_system_context(canonical_win_path("C:\\Users\\Public\\svchost.exe")));
}

}  // namespace
}  // namespace outflow
