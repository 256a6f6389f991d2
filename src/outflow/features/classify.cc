#include "outflow/features/classify.h"

#include <array>
#include <utility>

#include "outflow/core/win_path.h"
#include "outflow/model/events.h"

namespace outflow {

std::string ascii_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

namespace {

char fold(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c == '/' ? '\\' : c;
}

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// The part after the drive ("c:\windows\x" -> "\windows\x").
std::string_view after_drive(std::string_view p) {
  if (p.size() >= 2 && p[1] == ':') return p.substr(2);
  return p;
}

}  // namespace

bool path_glob_match(std::string_view pat, std::string_view text) {
  // Iterative glob with single-star backtracking: linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pat.size() && (pat[p] == '?' || fold(pat[p]) == fold(text[t]))) {
      ++p, ++t;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

const char* user_class_name(UserClass c) {
  switch (c) {
    case UserClass::unknown: return "unknown";
    case UserClass::system: return "system";
    case UserClass::local_service: return "local_service";
    case UserClass::network_service: return "network_service";
    case UserClass::service_account: return "service_account";
    case UserClass::admin: return "admin";
    case UserClass::interactive: return "interactive";
  }
  return "unknown";
}

UserClass builtin_user_class(std::string_view user) {
  if (user.empty() || user == "-") return UserClass::unknown;
  const std::string u = ascii_lower(user);
  const size_t bs = u.find('\\');
  const std::string_view name = bs == std::string::npos ? std::string_view(u) : std::string_view(u).substr(bs + 1);
  if (name == "system" || u == "s-1-5-18") return UserClass::system;
  if (name == "local service" || name == "localservice" || u == "s-1-5-19") return UserClass::local_service;
  if (name == "network service" || name == "networkservice" || u == "s-1-5-20") return UserClass::network_service;
  // Machine accounts (HOST$) act as SYSTEM on the network.
  if (!name.empty() && name.back() == '$') return UserClass::system;
  return UserClass::unknown;
}

bool is_non_interactive(UserClass c) {
  return c == UserClass::system || c == UserClass::local_service || c == UserClass::network_service ||
         c == UserClass::service_account;
}

const char* path_class_name(PathClass c) {
  switch (c) {
    case PathClass::unknown: return "unknown";
    case PathClass::system: return "system";
    case PathClass::program_files: return "program_files";
    case PathClass::user_writable: return "user_writable";
    case PathClass::user_profile: return "user_profile";
    case PathClass::other: return "other";
  }
  return "unknown";
}

PathClass classify_path(std::string_view n) {
  if (n.empty()) return PathClass::unknown;
  const std::string_view p = after_drive(n);
  if (p.find('\\') == std::string_view::npos) return PathClass::unknown;  // bare name: no folder known
  if (contains(p, "\\appdata\\") || contains(p, "\\temp\\") || contains(p, "\\tmp\\") ||
      contains(p, "\\downloads\\") || contains(p, "\\desktop\\") || contains(p, "\\documents\\") ||
      p.starts_with("\\users\\public\\") || p.starts_with("\\programdata\\") || p.starts_with("\\perflogs\\") ||
      p.starts_with("\\$recycle.bin\\") || p.starts_with("\\windows\\temp\\") || p.starts_with("\\windows\\tasks\\") ||
      p.starts_with("\\windows\\debug\\") || p.starts_with("\\windows\\tracing\\"))
    return PathClass::user_writable;
  if (p.starts_with("\\windows\\")) return PathClass::system;
  if (p.starts_with("\\program files\\") || p.starts_with("\\program files (x86)\\")) return PathClass::program_files;
  if (p.starts_with("\\users\\")) return PathClass::user_profile;
  return PathClass::other;
}

std::string user_profile_dir(std::string_view user) {
  switch (builtin_user_class(user)) {
    case UserClass::system: return "c:\\windows\\system32\\config\\systemprofile";
    case UserClass::local_service: return "c:\\windows\\serviceprofiles\\localservice";
    case UserClass::network_service: return "c:\\windows\\serviceprofiles\\networkservice";
    default: break;
  }
  if (user.empty() || user == "-") return {};
  const size_t bs = user.find('\\');
  return "c:\\users\\" + ascii_lower(bs == std::string_view::npos ? user : user.substr(bs + 1));
}

bool profile_belongs_to(std::string_view owner_any_case, std::string_view user) {
  const size_t bs = user.find('\\');
  const std::string uname = ascii_lower(bs == std::string_view::npos ? user : user.substr(bs + 1));
  const std::string owner = ascii_lower(owner_any_case);
  if (uname.empty() || owner.empty()) return false;
  if (owner == uname || owner.starts_with(uname + ".") || uname.starts_with(owner + ".")) return true;
  if (owner.find('~') == std::string::npos) return false;
  // Its 8.3 short name, or that of the suffixed profile Windows makes when the folder name is
  // taken ("bob.CORP" -> BOB~1.COR, "bob.000"): the suffix is the user's domain or a number.
  const std::string domain = bs == std::string_view::npos ? std::string() : ascii_lower(user.substr(0, bs));
  return short_name_matches(owner, uname) || (!domain.empty() && short_name_matches(owner, uname + "." + domain)) ||
         short_name_matches(owner, uname + ".000");
}

std::string profile_owner(std::string_view n) {
  const std::string_view p = after_drive(n);
  if (!p.starts_with("\\users\\")) return {};
  const std::string_view rest = p.substr(7);
  const size_t e = rest.find('\\');
  if (e == std::string_view::npos) return {};
  const std::string_view owner = rest.substr(0, e);
  if (owner == "public" || owner == "default" || owner == "all users" || owner == "default user" || owner.starts_with('%'))
    return {};
  return std::string(owner);
}

bool system_name_outside_home(std::string_view n, std::string* home) {
  // Binaries that only ever live in System32 (and SysWOW64 for the 32-bit copies). Explorer
  // lives in \Windows itself.
  static constexpr std::array<std::string_view, 26> kSystem32 = {
      "svchost.exe", "lsass.exe", "services.exe", "smss.exe", "csrss.exe", "wininit.exe", "winlogon.exe",
      "spoolsv.exe", "taskhostw.exe", "rundll32.exe", "regsvr32.exe", "dllhost.exe", "conhost.exe",
      "lsm.exe", "taskhost.exe", "wmiprvse.exe", "searchindexer.exe", "sihost.exe", "ctfmon.exe",
      "cmd.exe", "certutil.exe", "bitsadmin.exe", "mshta.exe", "wscript.exe", "cscript.exe", "msiexec.exe"};
  const size_t slash = n.rfind('\\');
  if (slash == std::string::npos) return false;  // no folder recorded: cannot tell
  const std::string_view name = std::string_view(n).substr(slash + 1);
  const std::string_view dir = after_drive(std::string_view(n).substr(0, slash + 1));
  bool known = false;
  for (auto s : kSystem32) known |= s == name;
  if (known) {
    if (dir == "\\windows\\system32\\" || dir == "\\windows\\syswow64\\" || dir.starts_with("\\windows\\winsxs\\"))
      return false;
    if (home) *home = "C:\\Windows\\System32\\";
    return true;
  }
  if (name == "explorer.exe") {
    if (dir == "\\windows\\" || dir == "\\windows\\syswow64\\") return false;
    if (home) *home = "C:\\Windows\\";
    return true;
  }
  if (name == "powershell.exe") {
    if (dir.starts_with("\\windows\\system32\\windowspowershell\\") || dir.starts_with("\\windows\\syswow64\\windowspowershell\\") ||
        dir.starts_with("\\windows\\winsxs\\"))
      return false;
    if (home) *home = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\";
    return true;
  }
  return false;
}

const char* tool_class_name(ToolClass c) {
  switch (c) {
    case ToolClass::none: return "none";
    case ToolClass::script_host: return "script_host";
    case ToolClass::lolbin: return "lolbin";
    case ToolClass::transfer_tool: return "transfer_tool";
    case ToolClass::office: return "office";
    case ToolClass::server_app: return "server_app";
    case ToolClass::no_network: return "no_network";
  }
  return "none";
}

ToolClass classify_tool(std::string_view n) {
  using P = std::pair<std::string_view, ToolClass>;
  static constexpr std::array<P, 56> kTools = {{
      {"powershell.exe", ToolClass::script_host}, {"pwsh.exe", ToolClass::script_host},
      {"powershell_ise.exe", ToolClass::script_host}, {"cmd.exe", ToolClass::script_host},
      {"wscript.exe", ToolClass::script_host}, {"cscript.exe", ToolClass::script_host},
      {"mshta.exe", ToolClass::script_host}, {"python.exe", ToolClass::script_host},
      {"rundll32.exe", ToolClass::lolbin}, {"regsvr32.exe", ToolClass::lolbin},
      {"certutil.exe", ToolClass::lolbin}, {"bitsadmin.exe", ToolClass::lolbin},
      {"msiexec.exe", ToolClass::lolbin}, {"installutil.exe", ToolClass::lolbin},
      {"msbuild.exe", ToolClass::lolbin}, {"regasm.exe", ToolClass::lolbin},
      {"regsvcs.exe", ToolClass::lolbin}, {"wmic.exe", ToolClass::lolbin},
      {"rclone.exe", ToolClass::transfer_tool}, {"curl.exe", ToolClass::transfer_tool},
      {"wget.exe", ToolClass::transfer_tool}, {"megacmd.exe", ToolClass::transfer_tool},
      {"megacmdclient.exe", ToolClass::transfer_tool}, {"winscp.exe", ToolClass::transfer_tool},
      {"pscp.exe", ToolClass::transfer_tool}, {"psftp.exe", ToolClass::transfer_tool},
      {"ftp.exe", ToolClass::transfer_tool}, {"scp.exe", ToolClass::transfer_tool},
      {"sftp.exe", ToolClass::transfer_tool}, {"nc.exe", ToolClass::transfer_tool},
      {"ncat.exe", ToolClass::transfer_tool}, {"socat.exe", ToolClass::transfer_tool},
      {"restic.exe", ToolClass::transfer_tool},
      {"winword.exe", ToolClass::office}, {"excel.exe", ToolClass::office},
      {"powerpnt.exe", ToolClass::office}, {"outlook.exe", ToolClass::office},
      {"onenote.exe", ToolClass::office}, {"msaccess.exe", ToolClass::office},
      {"mspub.exe", ToolClass::office},
      {"w3wp.exe", ToolClass::server_app}, {"sqlservr.exe", ToolClass::server_app},
      {"java.exe", ToolClass::server_app}, {"javaw.exe", ToolClass::server_app},
      {"httpd.exe", ToolClass::server_app}, {"nginx.exe", ToolClass::server_app},
      {"php-cgi.exe", ToolClass::server_app},
      {"notepad.exe", ToolClass::no_network}, {"calc.exe", ToolClass::no_network},
      {"mspaint.exe", ToolClass::no_network}, {"write.exe", ToolClass::no_network},
      {"wordpad.exe", ToolClass::no_network}, {"charmap.exe", ToolClass::no_network},
      {"scrcons.exe", ToolClass::no_network}, {"regedit.exe", ToolClass::no_network},
      {"taskmgr.exe", ToolClass::no_network},
  }};
  for (const auto& [name, cls] : kTools)
    if (name == n) return cls;
  if (n.starts_with("tomcat")) return ToolClass::server_app;  // tomcat9.exe, tomcat8.exe...
  return ToolClass::none;
}

std::string_view port_service(uint16_t port, uint8_t proto) {
  const bool udp = proto == kProtoUdp;
  switch (port) {
    case 20: case 21: return "ftp";
    case 22: return "ssh";
    case 25: case 465: case 587: return "smtp";
    case 53: return "dns";
    case 67: case 68: return udp ? "dhcp" : "";
    case 80: case 8080: return "http";
    case 88: return "kerberos";
    case 123: return udp ? "ntp" : "";
    case 135: return "rpc";
    case 137: case 138: case 139: return "netbios";
    case 143: case 993: return "imap";
    case 389: case 636: case 3268: case 3269: return "ldap";
    case 443: case 8443: return udp ? "quic" : "https";
    case 445: return "smb";
    case 1433: return "mssql";
    case 1194: return "openvpn";
    case 3389: return "rdp";
    case 3478: case 3479: case 3480: case 3481: return udp ? "stun" : "";
    case 5985: case 5986: return "winrm";
    case 500: case 4500: return udp ? "ipsec" : "";
    default: return "";
  }
}

}  // namespace outflow
