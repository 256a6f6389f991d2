// Static tables for outflow_bench_gen: programs, DLLs, registry keys, destinations.
// Strings are written here in plain form and JSON-escaped once at start-up.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_gen_io.h"

namespace bench {

// Who usually starts a program. Used to pick a plausible parent.
enum class Parent : std::uint8_t { kBoot, kServices, kExplorer, kShell, kSvchost, kAny };

struct ProgramSpec {
  const char* image;
  const char* cmdline;
  const char* description;
  const char* company;
  const char* file_version;
  const char* original;
  Parent parent;
  int net_weight;  // relative chance this program makes a network connection
  bool system_user;
};

// Boot tree (indices 0..7), then programs started at run time.
inline constexpr ProgramSpec kPrograms[] = {
    {"C:\\Windows\\System32\\smss.exe", "\\SystemRoot\\System32\\smss.exe", "Windows Session Manager",
     "Microsoft Corporation", "10.0.19041.1", "smss.exe", Parent::kBoot, 0, true},
    {"C:\\Windows\\System32\\wininit.exe", "wininit.exe", "Windows Start-Up Application", "Microsoft Corporation",
     "10.0.19041.1", "wininit.exe", Parent::kBoot, 0, true},
    {"C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\services.exe", "Services and Controller app",
     "Microsoft Corporation", "10.0.19041.1", "services.exe", Parent::kBoot, 0, true},
    {"C:\\Windows\\System32\\lsass.exe", "C:\\Windows\\system32\\lsass.exe", "Local Security Authority Process",
     "Microsoft Corporation", "10.0.19041.1", "lsass.exe", Parent::kBoot, 2, true},
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
     "Host Process for Windows Services", "Microsoft Corporation", "10.0.19041.1", "svchost.exe", Parent::kServices,
     6, true},
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\svchost.exe -k NetworkService -p -s Dnscache",
     "Host Process for Windows Services", "Microsoft Corporation", "10.0.19041.1", "svchost.exe", Parent::kServices,
     8, true},
    {"C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", "Windows Explorer", "Microsoft Corporation",
     "10.0.19041.1023", "EXPLORER.EXE", Parent::kBoot, 1, false},
    {"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2104.14-0\\MsMpEng.exe",
     "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2104.14-0\\MsMpEng.exe\"",
     "Antimalware Service Executable", "Microsoft Corporation", "4.18.2104.14", "MsMpEng.exe", Parent::kServices, 3,
     true},
    // Run-time programs.
    {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
     "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=utility --utility-sub-type=network.mojom."
     "NetworkService --lang=en-US --service-sandbox-type=network --mojo-platform-channel-handle=2048",
     "Google Chrome", "Google LLC", "112.0.5615.138", "chrome.exe", Parent::kExplorer, 30, false},
    {"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
     "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --profile-directory=Default",
     "Microsoft Edge", "Microsoft Corporation", "112.0.1722.64", "msedge.exe", Parent::kExplorer, 25, false},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
     "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" ", "Microsoft Outlook",
     "Microsoft Corporation", "16.0.13127.20376", "Outlook.exe", Parent::kExplorer, 15, false},
    {"C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
     "\"C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe\" --system-initiated",
     "Microsoft Teams", "Microsoft Corporation", "1.6.0.11166", "Teams.exe", Parent::kExplorer, 20, false},
    {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
     "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -ExecutionPolicy Bypass -File "
     "C:\\ProgramData\\scripts\\inventory.ps1",
     "Windows PowerShell", "Microsoft Corporation", "10.0.19041.546", "PowerShell.EXE", Parent::kShell, 6, false},
    {"C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\" /c \"echo %PROCESSOR_ARCHITECTURE%\"",
     "Windows Command Processor", "Microsoft Corporation", "10.0.19041.746", "Cmd.Exe", Parent::kShell, 0, false},
    {"C:\\Windows\\System32\\conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
     "Console Window Host", "Microsoft Corporation", "10.0.19041.1", "CONHOST.EXE", Parent::kShell, 0, false},
    {"C:\\Windows\\System32\\RuntimeBroker.exe", "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding",
     "Runtime Broker", "Microsoft Corporation", "10.0.19041.1", "RuntimeBroker.exe", Parent::kSvchost, 1, false},
    {"C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}",
     "Host Process for Windows Tasks", "Microsoft Corporation", "10.0.19041.1", "taskhostw.exe", Parent::kSvchost, 1,
     false},
    {"C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeC2RClient.exe",
     "\"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeC2RClient.exe\" /frequentupdate "
     "SCHEDULEDTASK displaylevel=False",
     "Microsoft Office Click-to-Run Client", "Microsoft Corporation", "16.0.13127.20376", "OfficeC2RClient.exe",
     Parent::kSvchost, 10, true},
    {"C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding",
     "WMI Provider Host", "Microsoft Corporation", "10.0.19041.546", "Wmiprvse.exe", Parent::kSvchost, 2, true},
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k wsappx -p -s ClipSVC",
     "Host Process for Windows Services", "Microsoft Corporation", "10.0.19041.1", "svchost.exe", Parent::kServices,
     4, true},
    {"C:\\Windows\\System32\\backgroundTaskHost.exe",
     "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider",
     "Background Task Host", "Microsoft Corporation", "10.0.19041.1", "backgroundTaskHost.exe", Parent::kSvchost, 4,
     false},
    {"C:\\Windows\\System32\\curl.exe", "curl.exe -s -o NUL https://updates.example-cdn.net/check",
     "The curl executable", "curl, https://curl.se/", "7.79.1", "curl.exe", Parent::kShell, 12, false},
    {"C:\\Windows\\System32\\net.exe", "net use \\\\fileserver01\\share /persistent:no", "Net Command",
     "Microsoft Corporation", "10.0.19041.1", "net.exe", Parent::kShell, 4, false},
    {"C:\\Program Files\\OneDrive\\OneDrive.exe", "\"C:\\Program Files\\OneDrive\\OneDrive.exe\" /background",
     "Microsoft OneDrive", "Microsoft Corporation", "23.076.0409.0001", "OneDrive.exe", Parent::kExplorer, 15, false},
};
inline constexpr int kBootPrograms = 8;
inline constexpr int kSmss = 0, kWininit = 1, kServices = 2, kLsass = 3, kSvcSchedule = 4, kSvcDns = 5,
                     kExplorer = 6, kDefender = 7;

inline constexpr const char* kDlls[] = {
    "C:\\Windows\\System32\\ntdll.dll",        "C:\\Windows\\System32\\kernel32.dll",
    "C:\\Windows\\System32\\KernelBase.dll",   "C:\\Windows\\System32\\advapi32.dll",
    "C:\\Windows\\System32\\msvcrt.dll",       "C:\\Windows\\System32\\sechost.dll",
    "C:\\Windows\\System32\\rpcrt4.dll",       "C:\\Windows\\System32\\combase.dll",
    "C:\\Windows\\System32\\ws2_32.dll",       "C:\\Windows\\System32\\crypt32.dll",
    "C:\\Windows\\System32\\bcryptprimitives.dll", "C:\\Windows\\System32\\winhttp.dll",
    "C:\\Windows\\System32\\dnsapi.dll",       "C:\\Windows\\System32\\mswsock.dll",
    "C:\\Windows\\System32\\amsi.dll",         "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll",
};
inline constexpr const char* kDllDescriptions[] = {
    "NT Layer DLL", "Windows NT BASE API Client DLL", "Windows NT BASE API Client DLL", "Advanced Windows 32 Base API",
    "Windows NT CRT DLL", "Host for SCM/SDDL/LSA Lookup APIs", "Remote Procedure Call Runtime",
    "Microsoft COM for Windows", "Windows Socket 2.0 32-Bit DLL", "Crypto API32", "Windows Cryptographic Primitives Library",
    "Windows HTTP Services", "DNS Client API DLL", "Microsoft Windows Sockets 2.0 Service Provider",
    "Anti-Malware Scan Interface", "Microsoft .NET Runtime Common Language Runtime - WorkStation",
};

inline constexpr const char* kRegKeys[] = {
    "HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\%SID%\\\\Device\\HarddiskVolume2\\Windows\\System32\\cmd.exe",
    "HKU\\%SID%\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections",
    "HKU\\%SID%\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\UserAssist\\{CEBFF5CD-ACE2-4F4F-9178-9926F41749EA}\\Count",
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Office\\Office Automatic Updates 2.0\\Index",
    "HKU\\S-1-5-20\\Software\\Microsoft\\Windows\\CurrentVersion\\DeliveryOptimization\\Config\\DownloadMode_BackCompat",
    "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated",
    "HKLM\\System\\CurrentControlSet\\Services\\W32Time\\Config\\LastKnownGoodTime",
    "HKU\\%SID%\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming\\Identities\\Anonymous\\Settings\\1272\\{00000000-0000-0000-0000-000000000000}\\ListItems",
    "HKLM\\SOFTWARE\\Microsoft\\Tracing\\powershell_RASAPI32\\EnableFileTracing",
    "HKU\\%SID%\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.docx",
};
inline constexpr const char* kRegDetails[] = {
    "DWORD (0x00000001)", "DWORD (0x00000000)", "Binary Data", "QWORD (0x01d97b17-0x5e0e3f40)",
    "C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeC2RClient.exe",
};

inline constexpr const char* kCallTraces[] = {
    "C:\\Windows\\SYSTEM32\\ntdll.dll+9c534|C:\\Windows\\System32\\KERNELBASE.dll+2b87e|C:\\Windows\\system32\\"
    "lsasrv.dll+1c2e8|C:\\Windows\\System32\\RPCRT4.dll+7af53",
    "C:\\Windows\\SYSTEM32\\ntdll.dll+9c534|C:\\Windows\\SYSTEM32\\psmserviceexthost.dll+222a3|C:\\Windows\\SYSTEM32\\"
    "psmserviceexthost.dll+1a172|C:\\Windows\\System32\\KERNEL32.DLL+17bd4|C:\\Windows\\SYSTEM32\\ntdll.dll+6ce51",
    "C:\\Windows\\SYSTEM32\\ntdll.dll+9c534|C:\\Windows\\System32\\KERNELBASE.dll+6cbe9|C:\\ProgramData\\Microsoft\\"
    "Windows Defender\\Platform\\4.18.2104.14-0\\mpsvc.dll+2fd8a1",
    "C:\\Windows\\SYSTEM32\\ntdll.dll+9c534|C:\\Windows\\System32\\KERNELBASE.dll+2b87e|UNKNOWN(00007FFB2C1A3E5F)",
};
inline constexpr const char* kGrantedAccess[] = {"0x1000", "0x1400", "0x1410", "0x101541", "0x1fffff", "0x3000"};

struct Destination {
  const char* name;  // empty: no DNS name
  const char* ip;
  std::uint16_t port;
  bool udp;
  const char* service;  // Zeek service column
};
inline constexpr Destination kDestinations[] = {
    {"dc01.bench.local", "10.0.0.10", 445, false, "smb"},
    {"dc01.bench.local", "10.0.0.10", 389, false, "ldap"},
    {"dc01.bench.local", "10.0.0.10", 88, false, "krb_tcp"},
    {"dc01.bench.local", "10.0.0.10", 135, false, "dce_rpc"},
    {"fileserver01.bench.local", "10.0.0.20", 445, false, "smb"},
    {"proxy.bench.local", "10.0.0.30", 8080, false, "http"},
    {"www.google.com", "142.250.72.196", 443, false, "ssl"},
    {"outlook.office365.com", "52.96.165.18", 443, false, "ssl"},
    {"teams.microsoft.com", "52.113.194.132", 443, false, "ssl"},
    {"login.microsoftonline.com", "20.190.151.68", 443, false, "ssl"},
    {"officecdn.microsoft.com", "152.199.19.161", 443, false, "ssl"},
    {"onedrive.live.com", "13.107.42.13", 443, false, "ssl"},
    {"updates.example-cdn.net", "104.18.32.7", 443, false, "ssl"},
    {"ctldl.windowsupdate.com", "93.184.221.240", 80, false, "http"},
    {"time.windows.com", "168.61.215.74", 123, true, "ntp"},
    {"www.bing.com", "204.79.197.200", 443, false, "ssl"},
    {"github.com", "140.82.114.3", 443, false, "ssl"},
    {"", "198.51.100.77", 8443, false, "-"},
};


inline std::string hex_string(Rng& rng, int n) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s;
  for (int i = 0; i < n; ++i) s += kDigits[rng.below(16)];
  return s;
}

// Fake but stable hashes for a file, derived from its index only.
inline std::string make_hashes(std::uint64_t key) {
  Rng r(key * 7919 + 17);
  return "SHA1=" + hex_string(r, 40) + ",MD5=" + hex_string(r, 32) + ",SHA256=" + hex_string(r, 64) +
         ",IMPHASH=" + hex_string(r, 32);
}

struct Program {  // a kPrograms entry, JSON-escaped
  std::string image, cmdline, desc, company, version, original, product, hashes, device_path;
};
struct Dll {
  std::string image, desc, original, hashes;
};

// The tables above, JSON-escaped once so that writing an event is only copying bytes.
struct Catalog {
  std::vector<Program> programs;
  std::vector<Dll> dlls;
  std::vector<std::pair<std::string, std::string>> reg_keys;  // split around the user's SID
  std::vector<std::string> reg_details, call_traces;

  Catalog() {
    for (std::size_t i = 0; i < std::size(kPrograms); ++i) {
      const auto& p = kPrograms[i];
      const std::string_view image = p.image;
      const bool ms = std::string_view(p.company).starts_with("Microsoft");
      programs.push_back({json_escape(image), json_escape(p.cmdline), json_escape(p.description),
                          json_escape(p.company), p.file_version, p.original,
                          ms ? "Microsoft\u00ae Windows\u00ae Operating System" : p.description, make_hashes(i),
                          json_escape("\\device\\harddiskvolume2" + std::string(image.substr(2)))});
    }
    for (std::size_t i = 0; i < std::size(kDlls); ++i) {
      const std::string_view path = kDlls[i];
      dlls.push_back({json_escape(path), kDllDescriptions[i], std::string(path.substr(path.rfind('\\') + 1)),
                      make_hashes(1000 + i)});
    }
    for (const char* k : kRegKeys) {
      const std::string e = json_escape(k);
      const auto at = e.find("%SID%");
      reg_keys.emplace_back(e.substr(0, at), at == std::string::npos ? "" : e.substr(at + 5));
    }
    for (const char* d : kRegDetails) reg_details.push_back(json_escape(d));
    for (const char* t : kCallTraces) call_traces.push_back(json_escape(t));
  }
};

}  // namespace bench
