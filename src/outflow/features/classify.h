// Context of a process, from its record alone: what kind of account runs it, where its
// executable lives, whether a system binary's name is used outside its home folder, what class
// of tool it is. Pure functions on strings; the detector's context factors are built on these.
// The path functions take the canonical form of core/win_path.h (canonical_win_path), computed
// once per process by the caller, so every spelling of a path is classified alike.
#pragma once
#include <string>
#include <string_view>

namespace outflow {

enum class UserClass : uint8_t {
  unknown,          // no user recorded
  system,           // NT AUTHORITY\SYSTEM (S-1-5-18)
  local_service,    // NT AUTHORITY\LOCAL SERVICE
  network_service,  // NT AUTHORITY\NETWORK SERVICE
  service_account,  // a named account matching the configured service-account patterns
  admin,            // a named account matching the configured admin patterns
  interactive,      // anyone else: a person
};
const char* user_class_name(UserClass c);
// The built-in accounts are recognised by name (any language Sysmon writes them in English);
// named accounts are classified by the caller's patterns (see DetectConfig::user_roles).
UserClass builtin_user_class(std::string_view user);  // unknown if not a built-in account
bool is_non_interactive(UserClass c);

enum class PathClass : uint8_t {
  unknown,
  system,         // under \Windows (System32, SysWOW64, WinSxS...)
  program_files,  // \Program Files, \Program Files (x86)
  user_writable,  // Downloads, Desktop, Documents, AppData, Temp, \Users\Public, \ProgramData, \PerfLogs, recycle bin
  user_profile,   // elsewhere under \Users\<name>\ (still writable by that user)
  other,          // another folder or drive
};
const char* path_class_name(PathClass c);
PathClass classify_path(std::string_view canonical_image);

// The profile folder of a user ("DOMAIN\bob" -> "c:\users\bob"; SYSTEM, LOCAL SERVICE and
// NETWORK SERVICE have theirs under c:\windows), canonical, for resolving %UserProfile% and
// friends; "" when no user is recorded. Windows' default: a profile made when another folder
// had the name already is "bob.DOMAIN" or "bob.000", which profile_belongs_to() accepts.
std::string user_profile_dir(std::string_view user);

// The profile owner when the image sits under c:\users\<name>\ ("" otherwise, "" for Public
// and Default, and "" for an unresolved "%username%"). As written: possibly an 8.3 short name.
std::string profile_owner(std::string_view canonical_image);

// Whether the profile folder `owner` (from profile_owner) is `user`'s own ("DOMAIN\name" or
// "name", any case): the same name, the name with a ".DOMAIN" or ".000" suffix, or the 8.3
// short name Windows derives for either (FIRSTN~1.LAS for firstname.lastname, FIRSTN~1.COR for
// firstname.lastname.CORP when the user is CORP\firstname.lastname). A short name keeps only six
// characters: FIRSTN~1.LAS is also firstname.lastly's, which is accepted.
bool profile_belongs_to(std::string_view owner, std::string_view user);

// A Windows system binary name (svchost.exe, lsass.exe, rundll32.exe...) whose image is not in
// its home folder: masquerading (T1036.005). Returns the expected folder in `home` when it is.
bool system_name_outside_home(std::string_view canonical_image, std::string* home = nullptr);

enum class ToolClass : uint8_t {
  none,
  script_host,    // powershell, pwsh, cmd, wscript, cscript, mshta
  lolbin,         // rundll32, regsvr32, certutil, bitsadmin, msiexec, installutil...
  transfer_tool,  // rclone, curl, wget, megacmd, winscp, pscp, ftp, scp, sftp, nc, ncat, socat
  office,         // winword, excel, powerpnt, outlook, onenote, msaccess...
  server_app,     // w3wp, sqlservr, tomcat*, java, httpd, nginx, php-cgi, node, exchange workers
  no_network,     // notepad, calc, mspaint, scrcons...: network traffic from them means injected code
};
const char* tool_class_name(ToolClass c);
ToolClass classify_tool(std::string_view image_basename_lower);

// Well-known ports: the service a destination port usually means ("" if none).
std::string_view port_service(uint16_t port, uint8_t proto);

// Lower-case ASCII copy.
std::string ascii_lower(std::string_view s);
// Case-insensitive glob on Windows paths: '*' any run, '?' one character; '\' and '/' equal.
bool path_glob_match(std::string_view pattern, std::string_view text);

}  // namespace outflow
