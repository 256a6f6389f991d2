#include "outflow/features/classify.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "outflow/baseline/log_hist.h"
#include "outflow/core/win_path.h"
#include "outflow/features/activity.h"
#include "outflow/features/networks.h"

namespace outflow {
namespace {

TEST(Classify, PathClasses) {
  EXPECT_EQ(classify_path(canonical_win_path("C:\\Windows\\System32\\svchost.exe")), PathClass::system);
  EXPECT_EQ(classify_path(canonical_win_path("\\Device\\HarddiskVolume2\\Windows\\System32\\lsass.exe")), PathClass::system);
  EXPECT_EQ(classify_path(canonical_win_path("C:\\Program Files\\Veeam\\agent.exe")), PathClass::program_files);
  EXPECT_EQ(classify_path(canonical_win_path("C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe")), PathClass::user_writable);
  EXPECT_EQ(classify_path(canonical_win_path("C:\\Users\\Public\\svchost.exe")), PathClass::user_writable);
  EXPECT_EQ(classify_path(canonical_win_path("c:/programdata/rclone.exe")), PathClass::user_writable);
  EXPECT_EQ(classify_path(canonical_win_path("C:\\Users\\bob\\tools\\x.exe")), PathClass::user_profile);
  EXPECT_EQ(classify_path(canonical_win_path("D:\\apps\\x.exe")), PathClass::other);
  EXPECT_EQ(classify_path(canonical_win_path("System")), PathClass::unknown);
  EXPECT_EQ(classify_path(canonical_win_path("")), PathClass::unknown);
}

TEST(Classify, UsersAndProfiles) {
  EXPECT_EQ(builtin_user_class("NT AUTHORITY\\SYSTEM"), UserClass::system);
  EXPECT_EQ(builtin_user_class("NT AUTHORITY\\LOCAL SERVICE"), UserClass::local_service);
  EXPECT_EQ(builtin_user_class("NT AUTHORITY\\NETWORK SERVICE"), UserClass::network_service);
  EXPECT_EQ(builtin_user_class("THESHIRE\\WORKSTATION5$"), UserClass::system);
  EXPECT_EQ(builtin_user_class("THESHIRE\\pgustavo"), UserClass::unknown);
  EXPECT_EQ(profile_owner(canonical_win_path("C:\\Users\\Bob\\AppData\\x.exe")), "bob");
  EXPECT_EQ(profile_owner(canonical_win_path("C:\\Users\\Public\\x.exe")), "");
  EXPECT_EQ(profile_owner(canonical_win_path("C:\\Windows\\x.exe")), "");
}

TEST(Classify, SystemNamesOutsideHome) {
  std::string home;
  EXPECT_TRUE(system_name_outside_home(canonical_win_path("C:\\Users\\Public\\svchost.exe"), &home));
  EXPECT_EQ(home, "C:\\Windows\\System32\\");
  EXPECT_FALSE(system_name_outside_home(canonical_win_path("C:\\Windows\\System32\\svchost.exe")));
  EXPECT_FALSE(system_name_outside_home(canonical_win_path("C:\\Windows\\SysWOW64\\svchost.exe")));
  EXPECT_FALSE(system_name_outside_home(canonical_win_path("\\Device\\HarddiskVolume2\\Windows\\System32\\lsass.exe")));
  EXPECT_FALSE(system_name_outside_home(canonical_win_path("lsass.exe")));  // no folder: cannot tell
  EXPECT_TRUE(system_name_outside_home(canonical_win_path("C:\\Temp\\powershell.exe")));
  EXPECT_FALSE(system_name_outside_home(canonical_win_path("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")));
}

// Every spelling of a path is classified alike (the classifiers see canonical forms).
TEST(Classify, PathSpellingsClassifyAlike) {
  auto cls = [](std::string_view p, std::string_view prof = {}) { return classify_path(canonical_win_path(p, prof)); };
  for (const char* p : {"%SystemRoot%\\System32\\svchost.exe", "\\SystemRoot\\System32\\svchost.exe",
                        "\\??\\C:\\Windows\\System32\\svchost.exe", "\"C:/WINDOWS/system32/svchost.exe\""})
    EXPECT_EQ(cls(p), PathClass::system) << p;
  EXPECT_EQ(cls("C:\\PROGRA~2\\Zoom\\zoom.exe"), PathClass::program_files);
  EXPECT_EQ(cls("%ProgramFiles%\\Veeam\\agent.exe"), PathClass::program_files);
  EXPECT_EQ(cls("%TEMP%\\x.exe"), PathClass::user_writable);  // profile unknown: still Temp
  EXPECT_EQ(cls("%LOCALAPPDATA%\\x.exe", user_profile_dir("CORP\\bob")), PathClass::user_writable);
  EXPECT_EQ(cls("\\\\?\\C:\\ProgramData\\r\\rclone.exe"), PathClass::user_writable);
  EXPECT_EQ(cls("C:\\PROGRA~3\\r\\rclone.exe"), PathClass::user_writable);
  // Service image paths run as SYSTEM: their Temp is in the system profile, still writable.
  EXPECT_EQ(cls("%TEMP%\\x.exe", user_profile_dir("NT AUTHORITY\\SYSTEM")), PathClass::user_writable);
}

TEST(Classify, ProfilesAndShortNames) {
  EXPECT_EQ(user_profile_dir("CORP\\Firstname.Lastname"), "c:\\users\\firstname.lastname");
  EXPECT_EQ(user_profile_dir("bob"), "c:\\users\\bob");
  EXPECT_EQ(user_profile_dir("NT AUTHORITY\\SYSTEM"), "c:\\windows\\system32\\config\\systemprofile");
  EXPECT_EQ(user_profile_dir(""), "");
  const std::string own = canonical_win_path("C:\\Users\\FIRSTN~1.LAS\\AppData\\Local\\Temp\\x.exe");
  EXPECT_EQ(profile_owner(own), "firstn~1.las");
  EXPECT_TRUE(profile_belongs_to("firstn~1.las", "CORP\\firstname.lastname"));
  EXPECT_TRUE(profile_belongs_to("FIRSTN~1.LAS", "firstname.lastname"));
  EXPECT_FALSE(profile_belongs_to("firstn~1.las", "CORP\\firstname.other"));
  EXPECT_FALSE(profile_belongs_to("firstn~1.las", "CORP\\bob"));
  EXPECT_TRUE(profile_belongs_to("bob", "CORP\\Bob"));
  EXPECT_TRUE(profile_belongs_to("bob.corp", "CORP\\bob"));     // a second profile of the same name
  EXPECT_TRUE(profile_belongs_to("bob~1.cor", "CORP\\bob"));    // its short name
  EXPECT_TRUE(profile_belongs_to("firstn~1.cor", "CORP\\firstname.lastname"));  // firstname.lastname.CORP
  EXPECT_FALSE(profile_belongs_to("alice", "CORP\\bob"));
  EXPECT_FALSE(profile_belongs_to("alice~1.cor", "CORP\\bob"));
  // An unresolved %USERPROFILE% names no owner.
  EXPECT_EQ(profile_owner(canonical_win_path("%USERPROFILE%\\x.exe")), "");
  EXPECT_EQ(profile_owner(canonical_win_path("%USERPROFILE%\\x.exe", user_profile_dir("CORP\\bob"))), "bob");
}

TEST(Classify, MasqueradeAcrossSpellings) {
  for (const char* p : {"\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe", "%SystemRoot%\\system32\\svchost.exe",
                        "%windir%\\SysWOW64\\svchost.exe", "\\SystemRoot\\System32\\svchost.exe",
                        "\\\\?\\C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\\\svchost.exe",
                        "\"c:/windows/system32/svchost.exe\""})
    EXPECT_FALSE(system_name_outside_home(canonical_win_path(p))) << p;
  for (const char* p : {"C:\\Users\\Public\\svchost.exe", "%Public%\\svchost.exe", "%TEMP%\\svchost.exe",
                        "C:\\Windows\\System32\\..\\..\\Users\\Public\\svchost.exe", "\\\\?\\C:\\Users\\Public\\svchost.exe"})
    EXPECT_TRUE(system_name_outside_home(canonical_win_path(p))) << p;
}

TEST(Classify, Tools) {
  EXPECT_EQ(classify_tool("rclone.exe"), ToolClass::transfer_tool);
  EXPECT_EQ(classify_tool("powershell.exe"), ToolClass::script_host);
  EXPECT_EQ(classify_tool("tomcat9.exe"), ToolClass::server_app);
  EXPECT_EQ(classify_tool("winword.exe"), ToolClass::office);
  EXPECT_EQ(classify_tool("notepad.exe"), ToolClass::no_network);
  EXPECT_EQ(classify_tool("chrome.exe"), ToolClass::none);
}

TEST(Classify, Glob) {
  EXPECT_TRUE(path_glob_match("C:\\Users\\*\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe",
                              "c:/users/bob/appdata/local/microsoft/onedrive/onedrive.exe"));
  EXPECT_FALSE(path_glob_match("C:\\Users\\*\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe", "C:\\Users\\Public\\OneDrive.exe"));
  EXPECT_TRUE(path_glob_match("*.sharepoint.com", "contoso-my.SharePoint.com"));
  EXPECT_FALSE(path_glob_match("*.sharepoint.com", "sharepoint.com.evil.net"));
  EXPECT_TRUE(path_glob_match("a?c*", "abcdef"));
  EXPECT_TRUE(path_glob_match("*", ""));
  EXPECT_FALSE(path_glob_match("", "x"));
}

TEST(Classify, Ports) {
  EXPECT_EQ(port_service(443, 6), "https");
  EXPECT_EQ(port_service(443, 17), "quic");
  EXPECT_EQ(port_service(53, 17), "dns");
  EXPECT_EQ(port_service(4444, 6), "");
}

TEST(Networks, Cidr) {
  NetworkSet n;
  std::string err;
  ASSERT_TRUE(n.add("10.0.0.0/8", err));
  ASSERT_TRUE(n.add("fd00::/8", err));
  ASSERT_TRUE(n.add("192.0.2.7", err));
  IpAddr a;
  ASSERT_TRUE(IpAddr::parse("10.200.1.1", a));
  EXPECT_TRUE(n.contains(a));
  ASSERT_TRUE(IpAddr::parse("11.0.0.1", a));
  EXPECT_FALSE(n.contains(a));
  ASSERT_TRUE(IpAddr::parse("fd12::1", a));
  EXPECT_TRUE(n.contains(a));
  ASSERT_TRUE(IpAddr::parse("192.0.2.8", a));
  EXPECT_FALSE(n.contains(a));
  EXPECT_FALSE(n.add("10.0.0.0/33", err));
  EXPECT_NE(err.find("10.0.0.0/33"), std::string::npos);
  EXPECT_FALSE(n.add("bogus", err));
  Cidr c;
  ASSERT_TRUE(Cidr::parse("172.16.5.9/12", c));
  EXPECT_EQ(c.to_string(), "172.16.0.0/12");
}

TEST(Networks, CidrContainsAgreesWithAByteByByteMaskAtEveryPrefixLength) {
  std::mt19937_64 rng(3);
  for (unsigned bits = 0; bits <= 128; ++bits) {
    for (int k = 0; k < 200; ++k) {
      IpAddr a, base;
      for (auto& x : a.b) x = static_cast<uint8_t>(rng());
      base = a;
      if (k % 2) base.b[std::min<unsigned>(15, static_cast<unsigned>(rng() % 16))] ^= static_cast<uint8_t>(1u << (rng() % 8));
      Cidr c;
      c.bits = static_cast<uint8_t>(bits);
      c.base = base;
      bool same = true;  // the reference: compare the first `bits` bits one by one
      for (unsigned i = 0; i < bits; ++i) same &= ((a.b[i / 8] ^ base.b[i / 8]) >> (7 - i % 8) & 1) == 0;
      for (unsigned i = bits; i < 128; ++i) c.base.b[i / 8] &= static_cast<uint8_t>(~(1u << (7 - i % 8)));  // masked base
      ASSERT_EQ(c.contains(a), same) << bits;
    }
  }
}

TEST(LogHist, QuantilesWithinABucket) {
  LogHist h;
  for (uint64_t v = 1; v <= 1000; ++v) h.add(v * 1000);
  const double med = static_cast<double>(h.quantile(0.5));
  EXPECT_GT(med, 500'000 * 0.8);
  EXPECT_LT(med, 500'000 * 1.2);
  const double p95 = static_cast<double>(h.quantile(0.95));
  EXPECT_GT(p95, 950'000 * 0.8);
  EXPECT_LT(p95, 950'000 * 1.2);
  EXPECT_EQ(LogHist{}.quantile(0.5), 0u);
  LogHist a, b;
  a.add(10), b.add(1'000'000'000'000ULL);
  a.merge(b);
  EXPECT_EQ(a.n, 2u);
  EXPECT_GT(a.quantile(1.0), 800'000'000'000ULL);
  EXPECT_EQ(LogHist::bucket(~0ULL) < LogHist::kBuckets, true);
}

TEST(Activity, DestinationKeyIsTheRegistrableDomain) {
  DestActivity d;
  ASSERT_TRUE(IpAddr::parse("203.0.113.9", d.ip));
  EXPECT_EQ(destination_key(d), "203.0.113.9");
  d.domain = "a.b.Dropbox.com.";
  EXPECT_EQ(destination_key(d), "dropbox.com");
  d.domain = "www.bbc.co.uk";
  EXPECT_EQ(destination_key(d), "bbc.co.uk");
  d.domain = "localhost";
  EXPECT_EQ(destination_key(d), "localhost");
  d.domain = std::string("evil\x1f.com");
  EXPECT_EQ(destination_key(d), "evil?.com");
}

}  // namespace
}  // namespace outflow
