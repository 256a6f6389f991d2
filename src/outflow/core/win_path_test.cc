#include "outflow/core/win_path.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

// Every spelling of one file gives one canonical form.
TEST(WinPath, SpellingsOfOneSystemFile) {
  const std::string want = "c:\\windows\\system32\\svchost.exe";
  for (const char* p : {
           "C:\\Windows\\System32\\svchost.exe",
           "c:\\windows\\system32\\SVCHOST.EXE",                           // case
           "C:/Windows/System32/svchost.exe",                              // forward slashes
           "C:\\\\Windows\\\\System32\\\\svchost.exe",                     // doubled backslashes (escaped twice)
           "\"C:\\Windows\\System32\\svchost.exe\"",                       // quoted
           "  \"C:\\Windows\\System32\\svchost.exe\" -k netsvcs",          // quoted, then arguments
           "\\\\?\\C:\\Windows\\System32\\svchost.exe",                    // Win32 file namespace
           "\\\\.\\C:\\Windows\\System32\\svchost.exe",                    // Win32 device namespace
           "\\??\\C:\\Windows\\System32\\svchost.exe",                     // NT object manager
           "\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe",    // kernel device path (5156)
           "\\device\\harddiskvolume12\\Windows\\System32\\svchost.exe",
           "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume2\\Windows\\System32\\svchost.exe",
           "\\\\?\\Volume{4c1b02c1-d990-11dc-99ae-806e6f6e6963}\\Windows\\System32\\svchost.exe",
           "%SystemRoot%\\System32\\svchost.exe",                          // environment variables
           "%systemroot%\\system32\\svchost.exe",
           "%windir%\\System32\\svchost.exe",
           "%SystemDrive%\\Windows\\System32\\svchost.exe",
           "\\SystemRoot\\System32\\svchost.exe",                          // service image paths
           "system32\\svchost.exe",                                        // relative to SystemRoot
           "C:\\Windows\\.\\System32\\drivers\\..\\svchost.exe",           // . and ..
       })
    EXPECT_EQ(canonical_win_path(p), want) << p;
}

// Each case: a spelling, the profile folder given (may be empty), the canonical form expected.
struct Case {
  const char* in;
  const char* profile;
  const char* want;
};
constexpr const char* kBob = "c:\\users\\bob";
void check(std::initializer_list<Case> cases) {
  for (const Case& c : cases) EXPECT_EQ(canonical_win_path(c.in, c.profile), c.want) << c.in;
}

TEST(WinPath, ProgramFilesAndProgramData) {
  check({
      {"%ProgramFiles%\\Veeam\\agent.exe", "", "c:\\program files\\veeam\\agent.exe"},
      {"%ProgramW6432%\\Veeam\\agent.exe", "", "c:\\program files\\veeam\\agent.exe"},
      {"%ProgramFiles(x86)%\\Zoom\\zoom.exe", "", "c:\\program files (x86)\\zoom\\zoom.exe"},
      {"C:\\PROGRA~1\\Veeam\\agent.exe", "", "c:\\program files\\veeam\\agent.exe"},
      {"C:\\PROGRA~2\\Zoom\\zoom.exe", "", "c:\\program files (x86)\\zoom\\zoom.exe"},
      {"C:\\PROGRA~3\\r\\rclone.exe", "", "c:\\programdata\\r\\rclone.exe"},
      {"%ProgramData%\\r\\rclone.exe", "", "c:\\programdata\\r\\rclone.exe"},
      {"%ALLUSERSPROFILE%\\r\\rclone.exe", "", "c:\\programdata\\r\\rclone.exe"},
      {"%Public%\\svchost.exe", "", "c:\\users\\public\\svchost.exe"},
      {"%CommonProgramFiles%\\x.exe", "", "c:\\program files\\common files\\x.exe"},
      // Only the system drive's root has the well-known short names.
      {"D:\\PROGRA~1\\x.exe", "", "d:\\progra~1\\x.exe"},
      {"C:\\Tools\\PROGRA~1\\x.exe", "", "c:\\tools\\progra~1\\x.exe"},
  });
}

TEST(WinPath, ProfileVariablesResolveAgainstTheUsersProfile) {
  check({
      {"%USERPROFILE%\\Downloads\\x.exe", kBob, "c:\\users\\bob\\downloads\\x.exe"},
      {"%LOCALAPPDATA%\\x.exe", kBob, "c:\\users\\bob\\appdata\\local\\x.exe"},
      {"%AppData%\\x.exe", kBob, "c:\\users\\bob\\appdata\\roaming\\x.exe"},
      {"%TEMP%\\x.exe", kBob, "c:\\users\\bob\\appdata\\local\\temp\\x.exe"},
      {"%tmp%\\x.exe", "C:\\Users\\Bob\\", "c:\\users\\bob\\appdata\\local\\temp\\x.exe"},
      {"%HOMEDRIVE%%HOMEPATH%\\x.exe", kBob, "c:\\users\\bob\\x.exe"},
      // Unknown profile: a recognisable placeholder, still under \users\ and AppData.
      {"%LOCALAPPDATA%\\x.exe", "", "c:\\users\\%username%\\appdata\\local\\x.exe"},
      {"%TEMP%\\x.exe", "", "c:\\users\\%username%\\appdata\\local\\temp\\x.exe"},
      // Unknown variables are kept.
      {"%MYAPP%\\x.exe", "", "%myapp%\\x.exe"},
      {"C:\\100%\\x.exe", "", "c:\\100%\\x.exe"},
  });
}

TEST(WinPath, UncAndOtherRoots) {
  check({
      {"\\\\FileSrv\\Share\\tool.exe", "", "\\\\filesrv\\share\\tool.exe"},
      {"\\\\?\\UNC\\FileSrv\\Share\\tool.exe", "", "\\\\filesrv\\share\\tool.exe"},
      {"\\Device\\Mup\\FileSrv\\Share\\tool.exe", "", "\\\\filesrv\\share\\tool.exe"},
      {"\\\\FileSrv\\Share\\..\\..\\tool.exe", "", "\\\\filesrv\\share\\tool.exe"},
      {"C:\\..\\x.exe", "", "c:\\x.exe"},
      {"D:\\Apps\\", "", "d:\\apps\\"},
      {"C:\\", "", "c:\\"},
      {"System", "", "system"},
      {"", "", ""},
      {"\"\"", "", ""},
      {"/usr/bin/curl", "", "\\usr\\bin\\curl"},
      // Not a volume: kept as written (lower-cased).
      {"\\Device\\HarddiskVolumeX\\a.exe", "", "\\device\\harddiskvolumex\\a.exe"},
  });
}

TEST(WinPath, Basename) {
  EXPECT_EQ(image_basename("C:\\Windows\\System32\\SVCHOST.EXE"), "svchost.exe");
  EXPECT_EQ(image_basename("\"C:\\Program Files\\Curl\\Curl.exe\""), "curl.exe");
  EXPECT_EQ(image_basename("c:/tools/rclone.exe "), "rclone.exe");
  EXPECT_EQ(image_basename("/usr/bin/curl"), "curl");
  EXPECT_EQ(image_basename("System"), "system");
  EXPECT_EQ(image_basename(""), "");
}

TEST(WinPath, ShortNamesByWindowsRule) {
  EXPECT_TRUE(short_name_matches("FIRSTN~1.LAS", "firstname.lastname"));
  EXPECT_TRUE(short_name_matches("firstn~1.las", "FirstName.LastName"));
  EXPECT_TRUE(short_name_matches("FIRSTN~2.LAS", "firstname.lastname"));  // a second collision
  EXPECT_TRUE(short_name_matches("PROGRA~1", "Program Files"));
  EXPECT_TRUE(short_name_matches("PROGRA~2", "Program Files (x86)"));
  EXPECT_TRUE(short_name_matches("PROGRA~3", "ProgramData"));
  EXPECT_TRUE(short_name_matches("MICROS~1", "Microsoft Office"));
  EXPECT_TRUE(short_name_matches("DOCUME~1", "Documents and Settings"));
  EXPECT_TRUE(short_name_matches("LONGNA~1.HTM", "long.name.html"));  // dots of the base dropped
  EXPECT_TRUE(short_name_matches("A_BC_D~1", "a+b c[d]"));  // "+,;=[]" become '_', spaces go
  EXPECT_TRUE(short_name_matches("PROGR~10", "Program Files"));  // the tail grows, the base shrinks
  EXPECT_TRUE(short_name_matches("BOB", "bob"));                 // a valid 8.3 name is its own
  EXPECT_FALSE(short_name_matches("FIRSTN~1.LAS", "firstname.other"));
  EXPECT_FALSE(short_name_matches("FIRSTN~1", "firstname.lastname"));  // the extension is kept
  EXPECT_FALSE(short_name_matches("ALICE~1", "bob"));
  EXPECT_FALSE(short_name_matches("PROGRA~0", "Program Files"));
  EXPECT_FALSE(short_name_matches("PROGRA~X", "Program Files"));
  EXPECT_FALSE(short_name_matches("PROGRAM~1", "Program Files"));  // 9 characters: not 8.3
  EXPECT_FALSE(short_name_matches("~1", "x"));
}

TEST(WinPath, ShortNamesLearnedFromLongForms) {
  ShortNameMap m;
  const std::string shortp = canonical_win_path("C:\\Users\\FIRSTN~1.LAS\\AppData\\Local\\Temp\\x.exe");
  EXPECT_EQ(m.expand(1, shortp), shortp);  // nothing learned yet
  m.learn(1, "C:\\Users\\Firstname.Lastname\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe");
  m.learn(1, "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\"");
  EXPECT_EQ(m.expand(1, shortp), "c:\\users\\firstname.lastname\\appdata\\local\\temp\\x.exe");
  EXPECT_EQ(m.expand(2, shortp), shortp);  // another host's folders
  EXPECT_EQ(m.expand(1, canonical_win_path("C:\\PROGRA~1\\MICROS~1\\root\\Office16\\WINWORD.EXE")),
            "c:\\program files\\microsoft office\\root\\office16\\winword.exe");
  // ~2 is not resolved: which long name Windows numbered first is not in the data.
  EXPECT_EQ(m.expand(1, "c:\\users\\firstn~2.las\\x.exe"), "c:\\users\\firstn~2.las\\x.exe");
  // Another folder's names do not resolve this one's.
  EXPECT_EQ(m.expand(1, "d:\\users\\firstn~1.las\\x.exe"), "d:\\users\\firstn~1.las\\x.exe");
  // Two long names with the same stem in one folder: ambiguous, left as written.
  m.learn(1, "C:\\Users\\firstname.lastly\\x.exe");
  EXPECT_EQ(m.expand(1, shortp), shortp);
  // Bounded: past the cap nothing more is learned.
  ShortNameMap small(2);
  small.learn(1, "C:\\Alpha Folder\\Beta Folder\\Gamma Folder\\x.exe");
  EXPECT_EQ(small.size(), 3u);  // x.exe is a valid 8.3 name: it has no short name to resolve
  const size_t n = small.size();
  small.learn(1, "C:\\Delta Folder\\y.exe");
  EXPECT_EQ(small.size(), n);
}

}  // namespace
}  // namespace outflow
