// Windows paths as logs spell them, turned into one canonical form for comparison. The same
// file reaches us as "C:\Windows\System32\svchost.exe", "\Device\HarddiskVolume3\Windows\...",
// "\\?\C:\...", "\??\C:\...", "%SystemRoot%\system32\...", "\SystemRoot\System32\..." (service
// image paths), "c:/windows/...", "C:\\Windows\\..." (escaped twice), quoted, in any case, and
// with 8.3 short components ("C:\PROGRA~1\...", "C:\Users\FIRSTN~1.LAS\..."). Every classifier
// that looks at a path compares canonical forms; the original string is what is displayed.
//
// The canonical form: ASCII lower case, '\' separators, no doubled separators (a leading "\\"
// of a UNC path stays), no surrounding quotes or blanks, "." and ".." components resolved,
// a drive letter "x:" in front (or "\\server\share" for UNC).
//
// Assumptions (documented, not certain):
//  - "\Device\HarddiskVolumeN\" (and "\\?\Volume{GUID}\") is read as "c:\". A volume cannot
//    be mapped to a drive letter from the path alone (HarddiskVolume1-2 are often boot or
//    recovery partitions and the Windows volume is 2, 3 or 4), and Windows' own folders (the
//    only ones the classifiers single out by location) are on the system drive, which is C: on
//    nearly every machine. A wrong guess only means that "D:\Windows\System32" on a second
//    volume reads as the system folder, or a C: exclusion pattern matches a second volume.
//  - %SystemRoot%, %windir% and \SystemRoot are "c:\windows"; %SystemDrive% and %HomeDrive% "c:";
//    %ProgramFiles% "c:\program files" (and its x86 / common variants), %ProgramData% and
//    %AllUsersProfile% "c:\programdata", %Public% "c:\users\public".
//  - The well-known 8.3 names of the system drive's root: "c:\progra~1" is "c:\program files",
//    "c:\progra~2" "c:\program files (x86)", "c:\progra~3" "c:\programdata" (the order Windows
//    setup creates them on 64-bit Windows). Other short components stay as they are (ShortNameMap
//    resolves those the same data spells out in full; short_name_matches() compares by rule).
//  - %UserProfile%, %LocalAppData%, %AppData%, %Temp% / %Tmp% and %HomePath% resolve against
//    the profile folder the caller passes (the process's user's; see user_profile_dir() in
//    features/classify.h). Without one they become "c:\users\%username%\...": still recognisably
//    a profile's AppData or Temp, with no owner (profile_owner() gives "" for it).
//  - A path starting with "system32\" (relative to SystemRoot, as in service image paths) is
//    "c:\windows\system32\...".
// Unknown %variables% are kept (lower-cased).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace outflow {

// The canonical form of `path` (see above). `profile_dir` is the canonical profile folder of the
// process's user ("c:\users\bob"), or empty when unknown.
std::string canonical_win_path(std::string_view path, std::string_view profile_dir = {});

// Lower-cased last component of a Windows or POSIX path, without surrounding quotes or blanks:
// "C:\Windows\cmd.exe" -> "cmd.exe", "\"C:/x/Curl.EXE\"" -> "curl.exe". Does not allocate more
// than the result (it runs per event on some paths).
std::string image_basename(std::string_view path);

// Whether `short_name` (an 8.3 name such as "FIRSTN~1.LAS", any case) can be the short name
// Windows derives for `long_name` ("firstname.lastname"): the long name's base (before its
// last dot) without spaces and dots, "+,;=[]" read as '_', upper-cased, its first 6 characters
// (5 for ~10 to ~99, 4 for ~100 up: the tail grows), "~N", then '.' and the first 3 characters
// of the extension when there is one. A long name that is a valid 8.3 name already is its own
// short name (equal ignoring case). Windows' hashed short names (after ~4 collisions: two
// characters, four hex digits of an undocumented hash, "~N") are not matched.
bool short_name_matches(std::string_view short_name, std::string_view long_name);

// 8.3 short components resolved from long forms seen in the same data, per host and folder:
// once "C:\Users\firstname.lastname\..." has been seen on a host, "C:\Users\FIRSTN~1.LAS\..."
// of that host reads as it. Only "~1" is resolved, and only when exactly one long name with that
// short stem was seen in that folder (two candidates, or "~2", leave the component as written:
// which one Windows numbered first is not in the data). A name not seen in long form is not
// known: a different, unseen folder may own the "~1". Only names that get a short name of their
// own (not valid 8.3 names) are kept. Bounded (`max_entries` names and as many distinct paths;
// about 2 MB at the default): past it nothing more is learned. Not thread-safe.
class ShortNameMap {
 public:
  explicit ShortNameMap(size_t max_entries = 1 << 14) : max_(max_entries) {}
  // Learns the components of `path` (any spelling; canonicalised here, once per distinct path).
  void learn(uint32_t host, std::string_view path);
  // `canonical` (canonical_win_path's form) with its resolvable short components replaced.
  std::string expand(uint32_t host, std::string_view canonical) const;
  size_t size() const { return long_.size(); }

 private:
  std::string key(uint32_t host, std::string_view folder, std::string_view stem) const;
  std::unordered_map<std::string, std::string> long_;  // host|folder|stem -> long name ("" ambiguous)
  std::unordered_set<uint64_t> seen_;                  // hashes of the paths learned already
  size_t max_;
};

}  // namespace outflow
