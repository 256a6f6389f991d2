#include "outflow/simulate/sysmon_format.h"

#include <fmt/format.h>

#include "outflow/simulate/rng.h"
#include "outflow/write/json_out.h"

namespace outflow::sim {

namespace {

void append_2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void append_time(std::string& out, TimeNs t, char sep, bool zulu) {
  const int64_t secs = t >= 0 ? t / kNsPerSec : (t - kNsPerSec + 1) / kNsPerSec;
  const auto ms = static_cast<unsigned>((t - secs * kNsPerSec) / 1'000'000);
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const auto sod = static_cast<unsigned>(secs - days * 86400);
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  out += std::to_string(y);
  out.push_back('-');
  append_2(out, m);
  out.push_back('-');
  append_2(out, d);
  out.push_back(sep);
  append_2(out, sod / 3600);
  out.push_back(':');
  append_2(out, sod / 60 % 60);
  out.push_back(':');
  append_2(out, sod % 60);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + ms / 100));
  append_2(out, ms % 100);
  if (zulu) out.push_back('Z');
}

void json_str(std::string& out, std::string_view s) { JsonOut::escape_into(out, s); }  // with its quotes

// Sysmon writes "-" for an empty field.
std::string_view or_dash(std::string_view v) { return v.empty() ? std::string_view("-") : v; }

constexpr std::string_view kProviderGuid = "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}";

}  // namespace

void append_sysmon_time(std::string& out, TimeNs t) { append_time(out, t, ' ', false); }
void append_iso_time(std::string& out, TimeNs t) { append_time(out, t, 'T', true); }

std::string hashes_for(std::string_view image) {
  uint64_t s = stream_id(image);
  auto hex = [&](int n) {
    std::string h;
    while (static_cast<int>(h.size()) < n) h += fmt::format("{:016X}", splitmix64(s));
    h.resize(static_cast<size_t>(n));
    return h;
  };
  return "SHA1=" + hex(40) + ",MD5=" + hex(32) + ",SHA256=" + hex(64) + ",IMPHASH=" + hex(32);
}

SysmonFormatter::SysmonFormatter(const Host& host) : host_(host) {
  sysmon_pid_ = 2000 + static_cast<uint32_t>(stream_id(host.name) % 3000) * 4;
}

void SysmonFormatter::emit(std::string& out, int id, const char* title, const char* task, TimeNs true_time,
                           const Kv* kv, size_t n) {
  const TimeNs t = true_time + host_.clock_offset;
  const TimeNs shipped = t + host_.skew.shipper;  // the shipper's own time (a fault, off by default)
  ++record_;
  const uint32_t thread = sysmon_pid_ + 4 + static_cast<uint32_t>(record_ % 7) * 4;
  // The rendered message, as both shapes carry it.
  scratch_.clear();
  scratch_ += title;
  scratch_ += ":\r\n";
  for (size_t i = 0; i < n; ++i) {
    scratch_ += kv[i].key;
    scratch_ += ": ";
    scratch_ += kv[i].value;
    if (i + 1 < n) scratch_ += "\r\n";
  }
  time_.clear();
  append_iso_time(time_, t + 1'500'000'000);  // shipped a moment after the event
  if (host_.shape == SysmonShape::flat) {
    // NXLog im_msvistalog: EventTime is the host's local time without a zone (this
    // organisation's clocks are on UTC+1), event data at the top level.
    std::string local;
    append_sysmon_time(local, shipped + 3600 * kNsPerSec);
    local.resize(19);
    out += "{\"EventTime\":\"" + local + "\",\"Hostname\":";
    json_str(out, host_.fqdn);
    out += fmt::format(
        ",\"Keywords\":-9223372036854775808,\"EventType\":\"INFO\",\"SeverityValue\":2,\"Severity\":\"INFO\","
        "\"EventID\":{},\"SourceName\":\"Microsoft-Windows-Sysmon\",\"ProviderGuid\":\"{}\",\"Version\":5,\"Task\":{},"
        "\"OpcodeValue\":0,\"RecordNumber\":{},\"ExecutionProcessID\":{},\"ThreadID\":{},"
        "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Domain\":\"NT AUTHORITY\",\"AccountName\":\"SYSTEM\","
        "\"UserID\":\"S-1-5-18\",\"AccountType\":\"User\",\"Message\":",
        id, kProviderGuid, id, record_, sysmon_pid_, thread);
    json_str(out, scratch_);
    out += ",\"Category\":";
    json_str(out, task);
    out += ",\"Opcode\":\"Info\"";
    for (size_t i = 0; i < n; ++i) {
      out += ",\"";
      out += kv[i].key;
      out += "\":";
      json_str(out, kv[i].value);
    }
    out += ",\"EventReceivedTime\":\"" + local + "\",\"SourceModuleName\":\"eventlog\",\"SourceModuleType\":\"im_msvistalog\"}\n";
    return;
  }
  // Winlogbeat 7 through a Windows Event Collector: host.name is the collector.
  out += "{\"@timestamp\":\"";
  append_iso_time(out, shipped);
  out += "\",\"agent\":{\"hostname\":\"WEC01\",\"type\":\"winlogbeat\",\"version\":\"7.17.9\"},\"winlog\":{\"api\":\"wineventlog\","
         "\"channel\":\"Microsoft-Windows-Sysmon/Operational\",\"computer_name\":";
  json_str(out, host_.fqdn);
  out += ",\"event_data\":{";
  for (size_t i = 0; i < n; ++i) {
    if (i) out.push_back(',');
    json_str(out, kv[i].key);
    out.push_back(':');
    json_str(out, kv[i].value);
  }
  out += fmt::format(
      "}},\"event_id\":{},\"opcode\":\"Info\",\"process\":{{\"pid\":{},\"thread\":{{\"id\":{}}}}},\"provider_guid\":\"{}\","
      "\"provider_name\":\"Microsoft-Windows-Sysmon\",\"record_id\":{},\"task\":",
      id, sysmon_pid_, thread, kProviderGuid, record_);
  json_str(out, task);
  out += ",\"user\":{\"domain\":\"NT AUTHORITY\",\"identifier\":\"S-1-5-18\",\"name\":\"SYSTEM\",\"type\":\"User\"},"
         "\"version\":5},\"event\":{\"action\":";
  json_str(out, task);
  out += fmt::format(",\"code\":{},\"created\":\"{}\",\"kind\":\"event\",\"module\":\"sysmon\","
                     "\"provider\":\"Microsoft-Windows-Sysmon\"}},\"host\":{{\"name\":\"WEC01\"}},"
                     "\"log\":{{\"level\":\"information\"}},\"ecs\":{{\"version\":\"1.12.0\"}},\"message\":",
                     id, time_);
  json_str(out, scratch_);
  out += "}\n";
}

void SysmonFormatter::process_start(std::string& out, const SimProcess& p, TimeNs t) {
  std::string utc, pid = std::to_string(p.pid), ppid = std::to_string(p.parent_pid);
  append_sysmon_time(utc, t + host_.clock_offset + host_.skew.process_create);
  const std::string logon_guid = "{" + host_.guid_prefix + "-0000-0000-0000-0000e7030000}";
  const std::string_view logon_id = p.user.starts_with("NT AUTHORITY") ? "0x3e7" : "0x2c4f1a";
  const std::string_view current_dir = p.current_directory.empty() ? std::string_view("C:\\Windows\\system32\\") : std::string_view(p.current_directory);
  const Kv kv[] = {{"RuleName", "-"},
                   {"UtcTime", utc},
                   {"ProcessGuid", p.guid},
                   {"ProcessId", pid},
                   {"Image", p.image},
                   {"FileVersion", p.company.empty() ? std::string_view("-") : "10.0.19041.3636 (WinBuild.160101.0800)"},
                   {"Description", or_dash(p.description)},
                   {"Product", or_dash(p.description)},
                   {"Company", or_dash(p.company)},
                   {"OriginalFileName", or_dash(p.original_file_name)},
                   {"CommandLine", p.command_line},
                   {"CurrentDirectory", current_dir},
                   {"User", p.user},
                   {"LogonGuid", logon_guid},
                   {"LogonId", logon_id},
                   {"TerminalSessionId", logon_id == "0x3e7" ? "0" : "1"},
                   {"IntegrityLevel", p.integrity},
                   {"Hashes", p.hashes},
                   {"ParentProcessGuid", p.parent_guid},
                   {"ParentProcessId", ppid},
                   {"ParentImage", p.parent_image},
                   {"ParentCommandLine", p.parent_command_line},
                   {"ParentUser", p.user}};
  emit(out, 1, "Process Create", "Process Create (rule: ProcessCreate)", t, kv, std::size(kv));
}

void SysmonFormatter::process_end(std::string& out, const SimProcess& p, TimeNs t) {
  std::string utc, pid = std::to_string(p.pid);
  append_sysmon_time(utc, t + host_.clock_offset + host_.skew.process_terminate);
  const Kv kv[] = {{"RuleName", "-"}, {"UtcTime", utc}, {"ProcessGuid", p.guid}, {"ProcessId", pid},
                   {"Image", p.image}, {"User", p.user}};
  emit(out, 5, "Process terminated", "Process terminated (rule: ProcessTerminate)", t, kv, std::size(kv));
}

void SysmonFormatter::network_connect(std::string& out, const SimProcess& p, const SimConn& c, TimeNs t) {
  std::string utc, pid = std::to_string(p.pid), src = c.src.to_string(), dst = c.dst.to_string(),
                   sport = std::to_string(c.sport), dport = std::to_string(c.dport);
  append_sysmon_time(utc, t + host_.clock_offset + host_.skew.network_connect);
  const bool inbound = !(c.src == host_.ip);
  std::string_view dport_name = "-";
  if (c.dport == 443) dport_name = "https";
  else if (c.dport == 80) dport_name = "http";
  else if (c.dport == 53) dport_name = "domain";
  else if (c.dport == 445) dport_name = "microsoft-ds";
  else if (c.dport == 3389) dport_name = "ms-wbt-server";
  const Kv kv[] = {{"RuleName", "-"},
                   {"UtcTime", utc},
                   {"ProcessGuid", p.guid},
                   {"ProcessId", pid},
                   {"Image", p.image},
                   {"User", p.user},
                   {"Protocol", c.proto == kProtoUdp ? "udp" : "tcp"},
                   {"Initiated", inbound ? "false" : "true"},
                   {"SourceIsIpv6", "false"},
                   {"SourceIp", src},
                   {"SourceHostname", inbound ? std::string_view("-") : std::string_view(host_.fqdn)},
                   {"SourcePort", sport},
                   {"SourcePortName", "-"},
                   {"DestinationIsIpv6", "false"},
                   {"DestinationIp", dst},
                   {"DestinationHostname", inbound ? std::string_view(host_.fqdn) : std::string_view("-")},
                   {"DestinationPort", dport},
                   {"DestinationPortName", dport_name}};
  emit(out, 3, "Network connection detected", "Network connection detected (rule: NetworkConnect)", t, kv, std::size(kv));
}

void SysmonFormatter::dns_query(std::string& out, const SimProcess& p, std::string_view name, std::string_view results,
                                TimeNs t) {
  std::string utc, pid = std::to_string(p.pid);
  append_sysmon_time(utc, t + host_.clock_offset + host_.skew.dns_query);
  const Kv kv[] = {{"RuleName", "-"},      {"UtcTime", utc},   {"ProcessGuid", p.guid},   {"ProcessId", pid},
                   {"QueryName", name},    {"QueryStatus", "0"}, {"QueryResults", results}, {"Image", p.image},
                   {"User", p.user}};
  emit(out, 22, "Dns query", "Dns query (rule: DnsQuery)", t, kv, std::size(kv));
}

void SysmonFormatter::other_event(std::string& out, const SimProcess& p, double pick, TimeNs t) {
  static constexpr std::string_view kDlls[] = {"C:\\Windows\\System32\\ntdll.dll", "C:\\Windows\\System32\\kernel32.dll",
                                               "C:\\Windows\\System32\\ws2_32.dll", "C:\\Windows\\System32\\crypt32.dll",
                                               "C:\\Windows\\System32\\winhttp.dll", "C:\\Windows\\System32\\bcrypt.dll"};
  static constexpr std::string_view kKeys[] = {
      "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\LastOnlineScanTimeForAppCategory",
      "HKU\\S-1-5-21-1004336348-1177238915-682003330-1106\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming\\LastSync",
      "HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\LastRun"};
  std::string utc, pid = std::to_string(p.pid);
  append_sysmon_time(utc, t + host_.clock_offset);
  const auto k = static_cast<size_t>(pick * 1000);
  if (pick < 0.40) {
    const std::string_view dll = kDlls[k % std::size(kDlls)];
    const std::string h = hashes_for(dll);
    const Kv kv[] = {{"RuleName", "-"}, {"UtcTime", utc}, {"ProcessGuid", p.guid}, {"ProcessId", pid}, {"Image", p.image},
                     {"ImageLoaded", dll}, {"FileVersion", "10.0.19041.3636 (WinBuild.160101.0800)"},
                     {"Description", "Windows library"}, {"Product", "Microsoft\u00ae Windows\u00ae Operating System"},
                     {"Company", "Microsoft Corporation"}, {"OriginalFileName", dll.substr(dll.rfind('\\') + 1)},
                     {"Hashes", h}, {"Signed", "true"}, {"Signature", "Microsoft Windows"}, {"SignatureStatus", "Valid"},
                     {"User", p.user}};
    emit(out, 7, "Image loaded", "Image loaded (rule: ImageLoad)", t, kv, std::size(kv));
  } else if (pick < 0.65) {
    const std::string thread = std::to_string(p.pid + 4 + k % 40 * 4), target_pid = std::to_string(p.parent_pid);
    const Kv kv[] = {{"RuleName", "-"}, {"UtcTime", utc}, {"SourceProcessGUID", p.guid}, {"SourceProcessId", pid},
                     {"SourceThreadId", thread}, {"SourceImage", p.image},
                     {"TargetProcessGUID", p.parent_guid}, {"TargetProcessId", target_pid},
                     {"TargetImage", p.parent_image}, {"GrantedAccess", "0x1000"},
                     {"CallTrace", "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e"},
                     {"SourceUser", p.user}, {"TargetUser", p.user}};
    emit(out, 10, "Process accessed", "Process accessed (rule: ProcessAccess)", t, kv, std::size(kv));
  } else if (pick < 0.80) {
    const std::string target = "C:\\Windows\\Temp\\" + std::to_string(k * 7919 % 100000) + ".tmp";
    const Kv kv[] = {{"RuleName", "-"}, {"UtcTime", utc}, {"ProcessGuid", p.guid}, {"ProcessId", pid}, {"Image", p.image},
                     {"TargetFilename", target}, {"CreationUtcTime", utc}, {"User", p.user}};
    emit(out, 11, "File created", "File created (rule: FileCreate)", t, kv, std::size(kv));
  } else {
    const Kv kv[] = {{"RuleName", "-"}, {"EventType", "SetValue"}, {"UtcTime", utc}, {"ProcessGuid", p.guid},
                     {"ProcessId", pid}, {"Image", p.image}, {"TargetObject", kKeys[k % std::size(kKeys)]},
                     {"Details", "DWORD (0x00000001)"}, {"User", p.user}};
    emit(out, 13, "Registry value set", "Registry value set (rule: RegistryEvent)", t, kv, std::size(kv));
  }
}

}  // namespace outflow::sim
