// outflow_bench_gen: writes Sysmon-shaped flat NXLog JSON lines and a matching Zeek conn.log (TSV) for
// `make bench`. Deterministic for a given --seed; streams to disk with memory bounded by the number of
// hosts, not by the output size.
//
//   outflow_bench_gen --sysmon-bytes N --out-sysmon FILE --out-conn FILE --seed S [--hosts H]
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "bench_gen_catalog.h"
#include "bench_gen_conn.h"
#include "bench_gen_io.h"

namespace {

using bench::Rng;
using bench::Sink;
using bench::TimeFmt;
using bench::Conn;
using bench::Program;
using bench::hex_string;

constexpr std::string_view kVersion = "outflow_bench_gen 1";
constexpr std::int64_t kUs = 1000000;
constexpr std::int64_t kStartUs = 1714392000LL * kUs;  // 2024-04-29 12:00:00 UTC
constexpr std::int64_t kCollectorTzUs = -4 * 3600 * kUs;  // NXLog writes EventTime in the collector's local time
constexpr std::size_t kMaxProcs = 64;                    // live processes per host
constexpr double kEventsPerHostPerSec = 1.2;             // ~100k Sysmon events a day per workstation
constexpr int kNumPrograms = static_cast<int>(std::size(bench::kPrograms));

struct Proc {
  std::string guid;
  std::uint32_t pid;
  int prog;
};

struct Host {
  std::string fqdn, netbios, user, sid, logon_guid, guid_prefix;
  std::uint32_t ip = 0;
  std::int64_t offset_us = 0;  // host clock minus sensor clock
  std::int64_t sysmon_rec = 0, sec_rec = 0;
  std::uint32_t sysmon_pid = 0, sysmon_tid = 0, next_port = 49152, guid_counter = 0;
  std::vector<Proc> procs;  // procs[0..kBootPrograms) never exit
};

class Generator {
 public:
  Generator(std::uint64_t seed, int hosts, const char* sysmon_path, const char* conn_path)
      : rng_(seed), sysmon_(sysmon_path), conn_(conn_path) {
    for (const auto& d : bench::kDestinations) dest_ips_.push_back(bench::parse_ipv4(d.ip));
    for (int i = 0; i < hosts; ++i) add_host(i);
  }

  void run(std::uint64_t target_bytes) {
    now_ = kStartUs;
    bench::write_conn_header(conn_, zeek_time_.format(now_ / kUs));
    const double gap_us = 1e6 / (kEventsPerHostPerSec * static_cast<double>(hosts_.size()));
    for (auto& h : hosts_) boot(h, gap_us);
    while (sysmon_.bytes() < target_bytes) {
      now_ += 1 + static_cast<std::int64_t>(rng_.exponential(gap_us));
      flush_conns(now_);
      if (rng_.chance(0.05)) pending_.push(bench::background_conn(rng_, now_, dest_ips_));
      std::size_t hi = rng_.below(hosts_.size());
      if (rng_.chance(0.3)) hi = rng_.below(std::max<std::size_t>(1, hosts_.size() / 5));  // a few busy hosts
      one_event(hosts_[hi]);
    }
    flush_conns(INT64_MAX);
    conn_.put("#close\t");
    conn_.put(zeek_time_.format(std::max(now_, last_end_) / kUs));
    conn_.put('\n');
    sysmon_.close();
    conn_.close();
  }
  std::uint64_t sysmon_bytes() const { return sysmon_.bytes(); }
  std::uint64_t sysmon_lines() const { return sysmon_.lines(); }
  std::uint64_t conn_bytes() const { return conn_.bytes(); }
  std::uint64_t conn_records() const { return conn_records_; }

 private:
  void add_host(int i) {
    Host h;
    h.netbios = "WKS" + std::to_string(1000 + i);
    h.fqdn = h.netbios + ".bench.local";
    h.user = "BENCH\\\\u" + std::to_string(1104 + i);
    h.ip = (10u << 24) | static_cast<std::uint32_t>((1 + i / 250) << 8) | static_cast<std::uint32_t>(10 + i % 250);
    h.guid_prefix = hex_string(rng_, 8);
    for (auto& c : h.guid_prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    h.sid = "S-1-5-21-4228717743-1032521047-1810997296-" + std::to_string(1104 + i);
    h.logon_guid = "{" + h.guid_prefix + "-e865-5f64-e703-000000000000}";
    // Clock offset: log-uniform between 2 s and 10 min, either sign.
    const double mag = 2e6 * std::exp(rng_.unit() * std::log(300.0));
    h.offset_us = static_cast<std::int64_t>(rng_.chance(0.5) ? mag : -mag);
    h.sysmon_rec = rng_.range(100000, 5000000);
    h.sec_rec = rng_.range(100000, 2000000);
    h.sysmon_pid = static_cast<std::uint32_t>(rng_.range(500, 4000) * 4);
    h.sysmon_tid = static_cast<std::uint32_t>(rng_.range(500, 4000) * 4);
    hosts_.push_back(std::move(h));
  }

  Proc& spawn(Host& h, int prog, std::int64_t host_us) {
    std::uint32_t pid = 0;
    do {
      pid = static_cast<std::uint32_t>(rng_.range(50, 4000) * 4);  // PIDs are reused over time
    } while (std::any_of(h.procs.begin(), h.procs.end(), [&](const Proc& p) { return p.pid == pid; }));
    const auto t = static_cast<std::uint32_t>(host_us / kUs);
    const std::uint32_t c = ++h.guid_counter;
    char guid[40];
    std::snprintf(guid, sizeof guid, "{%s-%04x-%04x-%04x-%08x0800}", h.guid_prefix.c_str(), t & 0xffff, t >> 16,
                  c & 0xffff, c >> 16);
    h.procs.push_back({guid, pid, prog});
    return h.procs.back();
  }

  void boot(Host& h, double gap_us) {
    static constexpr int kParentOf[] = {-1, bench::kSmss, bench::kWininit, bench::kWininit, bench::kServices,
                                        bench::kServices, bench::kWininit, bench::kServices};
    for (int i = 0; i < bench::kBootPrograms; ++i) {
      now_ += static_cast<std::int64_t>(gap_us) + 1;
      const std::size_t parent = kParentOf[i] < 0 ? SIZE_MAX : static_cast<std::size_t>(kParentOf[i]);
      spawn(h, i, now_ + h.offset_us);
      event1(h, h.procs.size() - 1, parent);
    }
    for (int i = 0; i < 6; ++i) create_process(h);
  }

  std::size_t pick_proc(Host& h) { return rng_.below(h.procs.size()); }

  // Picks a parent suited to the program, then writes event 1 (and sometimes Security 4688).
  void create_process(Host& h) {
    const int prog = static_cast<int>(rng_.range(bench::kBootPrograms, kNumPrograms - 1));
    std::size_t parent = bench::kExplorer;
    switch (bench::kPrograms[prog].parent) {
      case bench::Parent::kServices: parent = bench::kServices; break;
      case bench::Parent::kSvchost: parent = rng_.chance(0.7) ? bench::kSvcSchedule : bench::kSvcDns; break;
      case bench::Parent::kShell:
        for (std::size_t i = h.procs.size(); i-- > bench::kBootPrograms;) {
          const std::string_view orig = bench::kPrograms[h.procs[i].prog].original;
          if ((orig == "Cmd.Exe" || orig == "PowerShell.EXE") && h.procs[i].prog != prog) {
            parent = i;
            break;
          }
        }
        break;
      default: break;
    }
    spawn(h, prog, now_ + h.offset_us);
    event1(h, h.procs.size() - 1, parent);
    if (rng_.chance(0.3)) security4688(h, h.procs.back(), h.procs[parent]);
  }

  void terminate_process(Host& h) {
    const std::size_t i = static_cast<std::size_t>(rng_.range(bench::kBootPrograms, static_cast<std::int64_t>(h.procs.size()) - 1));
    head(h, 5, 3, "Process terminated (rule: ProcessTerminate)");
    proc_fields(h.procs[i]);
    tail(h);
    h.procs.erase(h.procs.begin() + static_cast<std::ptrdiff_t>(i));
  }

  void one_event(Host& h) {
    const auto r = rng_.below(100);
    if (r < 40) return event10(h);
    if (r < 60) return event7(h);
    if (r < 75) return event12_13(h, r < 69 ? 12 : 13);
    if (r < 83) return h.procs.size() >= kMaxProcs ? terminate_process(h) : create_process(h);
    if (r < 93) return event3(h);
    if (r < 98) return h.procs.size() > bench::kBootPrograms ? terminate_process(h) : create_process(h);
    return event22(h);
  }

  // ---- JSON writing ------------------------------------------------------------------------------
  void str(std::string_view key, std::string_view value) {
    sysmon_.put(",\""), sysmon_.put(key), sysmon_.put("\":\""), sysmon_.put(value), sysmon_.put('"');
  }
  void num_str(std::string_view key, std::int64_t v) {
    sysmon_.put(",\""), sysmon_.put(key), sysmon_.put("\":\""), sysmon_.num(v), sysmon_.put('"');
  }
  void ip_str(std::string_view key, std::uint32_t ip) {
    sysmon_.put(",\""), sysmon_.put(key), sysmon_.put("\":\""), sysmon_.ip(ip), sysmon_.put('"');
  }

  // Keys every NXLog record carries (without the ones Logstash adds); a Security `task` switches the provider.
  void head(Host& h, int eid, int version, std::string_view category, int task = 0) {
    const bool security = task != 0;
    Sink& o = sysmon_;
    const std::int64_t recv = now_ + rng_.range(300000, 2500000);
    o.put(security ? "{\"Keywords\":-9214364837600034816" : "{\"Keywords\":-9223372036854775808");
    o.put(",\"SeverityValue\":2,\"EventID\":"), o.num(eid);
    o.put(security ? ",\"ProviderGuid\":\"{54849625-5478-4994-A5BA-3E3B0328C30D}\",\"ExecutionProcessID\":4"
                   : ",\"ProviderGuid\":\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\",\"ExecutionProcessID\":");
    if (!security) o.num(h.sysmon_pid);
    o.put(security ? ",\"Channel\":\"Security\"" : ",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"");
    o.put(",\"ThreadID\":"), o.num(h.sysmon_tid);
    str("EventType", security ? "AUDIT_SUCCESS" : "INFO");
    str("EventTime", event_time_.format((now_ + h.offset_us + kCollectorTzUs) / kUs));
    str("EventReceivedTime", recv_time_.format((recv + kCollectorTzUs) / kUs));
    o.put(",\"@timestamp\":\""), o.put(iso_time_.format(recv / kUs)), o.put('.');
    o.padded(static_cast<std::uint64_t>(recv / 1000 % 1000), 3), o.put("Z\"");
    o.put(",\"AccountName\":\"SYSTEM\",\"RecordNumber\":"), o.num(task != 0 ? ++h.sec_rec : ++h.sysmon_rec);
    o.put(",\"Task\":"), o.num(task != 0 ? task : eid);
    o.put(",\"Domain\":\"NT AUTHORITY\",\"Severity\":\"INFO\"");
    str("SourceName", security ? "Microsoft-Windows-Security-Auditing" : "Microsoft-Windows-Sysmon");
    o.put(",\"Version\":"), o.num(version);
    str("Category", category);
  }
  void tail(const Host& h, bool sysmon = true) {
    if (sysmon) {
      const std::int64_t t = now_ + h.offset_us;
      sysmon_.put(",\"UtcTime\":\""), sysmon_.put(utc_time_.format(t / kUs)), sysmon_.put('.');
      sysmon_.padded(static_cast<std::uint64_t>(t / 1000 % 1000), 3), sysmon_.put('"');
    }
    str("Hostname", h.fqdn);
    sysmon_.put(sysmon ? ",\"RuleName\":\"-\"}" : "}");
    sysmon_.put('\n');
  }
  void proc_fields(const Proc& p) {
    str("ProcessGuid", p.guid), num_str("ProcessId", p.pid), str("Image", progs_[p.prog].image);
  }
  std::string_view user_of(const Host& h, const Proc& p) const {
    return bench::kPrograms[p.prog].system_user ? std::string_view("NT AUTHORITY\\\\SYSTEM") : h.user;
  }

  // ---- Sysmon events -----------------------------------------------------------------------------
  void event1(Host& h, std::size_t ci, std::size_t pi) {
    const Proc& c = h.procs[ci];
    const Program& p = progs_[c.prog];
    const bool sys = bench::kPrograms[c.prog].system_user;
    head(h, 1, 5, "Process Create (rule: ProcessCreate)");
    proc_fields(c);
    str("FileVersion", p.version), str("Description", p.desc), str("Product", p.product);
    str("Company", p.company), str("OriginalFileName", p.original), str("CommandLine", p.cmdline);
    str("CurrentDirectory", sys ? "C:\\\\Windows\\\\system32\\\\" : "C:\\\\Users\\\\Public\\\\");
    str("User", user_of(h, c)), str("LogonGuid", h.logon_guid), str("LogonId", sys ? "0x3e7" : "0x5a3c1f");
    num_str("TerminalSessionId", sys ? 0 : 1), str("IntegrityLevel", sys ? "System" : "Medium");
    str("Hashes", p.hashes);
    if (pi == SIZE_MAX) {
      str("ParentProcessGuid", "{00000000-0000-0000-0000-000000000000}"), num_str("ParentProcessId", 4);
      str("ParentImage", "System"), str("ParentCommandLine", "");
    } else {
      const Proc& q = h.procs[pi];
      str("ParentProcessGuid", q.guid), num_str("ParentProcessId", q.pid);
      str("ParentImage", progs_[q.prog].image), str("ParentCommandLine", progs_[q.prog].cmdline);
    }
    tail(h);
  }

  void event3(Host& h) {
    int total = 0;
    for (const auto& p : h.procs) total += bench::kPrograms[p.prog].net_weight;
    std::size_t pi = bench::kSvcDns;
    for (std::int64_t r = rng_.range(0, total - 1); r >= 0 && pi < h.procs.size(); ++pi)
      if ((r -= bench::kPrograms[h.procs[pi].prog].net_weight) < 0) break;
    if (pi >= h.procs.size()) pi = bench::kSvcDns;
    const bool inbound = rng_.chance(0.08);
    const std::size_t d = rng_.below(std::size(bench::kDestinations));
    Conn c{};
    if (inbound) {  // another workstation (or the DC) connects to SMB / RPC / RDP here
      static constexpr std::uint16_t kPorts[] = {445, 135, 3389};
      static constexpr const char* kServices[] = {"smb", "dce_rpc", "-"};
      const std::size_t k = rng_.below(3);
      const Host& peer = hosts_[rng_.below(hosts_.size())];
      c.orig_h = &peer == &h ? dest_ips_[0] : peer.ip;
      c.orig_p = static_cast<std::uint16_t>(rng_.range(49152, 65535));
      c.resp_h = h.ip, c.resp_p = kPorts[k], c.proto = 6, c.service = kServices[k];
      pi = bench::kSvcSchedule;
    } else {
      c.orig_h = h.ip, c.orig_p = next_port(h), c.resp_h = dest_ips_[d];
      c.resp_p = bench::kDestinations[d].port, c.proto = bench::kDestinations[d].udp ? 17 : 6;
      c.service = bench::kDestinations[d].service;
    }
    c.ts_us = now_ - rng_.range(1000, 300000);  // Sysmon logs just after the connection starts
    bench::fill_stats(rng_, c);
    pending_.push(c);
    const Proc& p = h.procs[pi];
    head(h, 3, 5, "Network connection detected (rule: NetworkConnect)");
    proc_fields(p);
    str("User", user_of(h, p)), str("Protocol", c.proto == 6 ? "tcp" : "udp");
    str("Initiated", inbound ? "false" : "true"), str("SourceIsIpv6", "false"), ip_str("SourceIp", c.orig_h);
    str("SourceHostname", inbound ? "-" : h.fqdn), num_str("SourcePort", c.orig_p), str("SourcePortName", "-");
    str("DestinationIsIpv6", "false"), ip_str("DestinationIp", c.resp_h);
    str("DestinationHostname", inbound ? h.fqdn : (*bench::kDestinations[d].name ? bench::kDestinations[d].name : "-"));
    num_str("DestinationPort", c.resp_p), str("DestinationPortName", port_name(c.resp_p));
    tail(h);
    if (rng_.chance(0.25)) security5156(h, p, c, inbound);
    // Sysmon caches repeats: later connections of this process within ~15 s get no event 3.
    if (!inbound && rng_.chance(0.3)) {
      c.orig_p = next_port(h), c.ts_us = now_ + rng_.range(500000, 14000000);
      bench::fill_stats(rng_, c);
      pending_.push(c);
    }
  }

  void event7(Host& h) {
    const Proc& p = h.procs[pick_proc(h)];
    const std::size_t d = rng_.below(cat_.dlls.size());
    head(h, 7, 3, "Image loaded (rule: ImageLoad)");
    proc_fields(p);
    str("ImageLoaded", cat_.dlls[d].image), str("FileVersion", "10.0.19041.1110 (WinBuild.160101.0800)");
    str("Description", cat_.dlls[d].desc), str("Product", "Microsoft\u00ae Windows\u00ae Operating System");
    str("Company", "Microsoft Corporation"), str("OriginalFileName", cat_.dlls[d].original);
    str("Hashes", cat_.dlls[d].hashes), str("Signed", "true"), str("Signature", "Microsoft Windows");
    str("SignatureStatus", "Valid");
    tail(h);
  }

  void event10(Host& h) {
    static constexpr std::size_t kSources[] = {bench::kLsass, bench::kDefender, bench::kSvcSchedule, bench::kSvcDns};
    const Proc& s = h.procs[rng_.chance(0.6) ? kSources[rng_.below(4)] : pick_proc(h)];
    const Proc& t = h.procs[pick_proc(h)];
    head(h, 10, 3, "Process accessed (rule: ProcessAccess)");
    str("SourceProcessGUID", s.guid), num_str("SourceProcessId", s.pid);
    num_str("SourceThreadId", rng_.range(100, 9000) * 4), str("SourceImage", progs_[s.prog].image);
    str("TargetProcessGUID", t.guid), num_str("TargetProcessId", t.pid), str("TargetImage", progs_[t.prog].image);
    str("GrantedAccess", bench::kGrantedAccess[rng_.below(std::size(bench::kGrantedAccess))]);
    str("CallTrace", cat_.call_traces[rng_.below(cat_.call_traces.size())]);
    tail(h);
  }

  void event12_13(Host& h, int eid) {
    const Proc& p = h.procs[pick_proc(h)];
    const auto& key = cat_.reg_keys[rng_.below(cat_.reg_keys.size())];
    head(h, eid, 2, eid == 12 ? "Registry object added or deleted (rule: RegistryEvent)"
                              : "Registry value set (rule: RegistryEvent)");
    str("EventTypeOrignal", "INFO"), proc_fields(p);
    sysmon_.put(",\"TargetObject\":\""), sysmon_.put(key.first);
    if (!key.second.empty()) sysmon_.put(h.sid), sysmon_.put(key.second);
    sysmon_.put('"');
    if (eid == 13) str("Details", cat_.reg_details[rng_.below(cat_.reg_details.size())]);
    tail(h);
  }

  void event22(Host& h) {
    const Proc& p = h.procs[pick_proc(h)];
    const std::size_t d = rng_.below(std::size(bench::kDestinations) - 1);  // the last one has no name
    head(h, 22, 5, "Dns query (rule: DnsQuery)");
    proc_fields(p);
    str("QueryName", bench::kDestinations[d].name), str("QueryStatus", "0");
    sysmon_.put(",\"QueryResults\":\"::ffff:"), sysmon_.ip(dest_ips_[d]), sysmon_.put(";\"");
    tail(h);
    Conn c{};  // the DNS client service asks the DC; no Sysmon 3 for it
    c.orig_h = h.ip, c.orig_p = next_port(h), c.resp_h = dest_ips_[0], c.resp_p = 53, c.proto = 17;
    c.service = "dns", c.ts_us = now_ - rng_.range(1000, 50000);
    bench::fill_stats(rng_, c);
    pending_.push(c);
  }

  // ---- Security events (no UtcTime; EventTime is the only clock) ---------------------------------
  void hex_str(std::string_view key, std::uint32_t v) {
    int w = 1;
    while (w < 8 && (v >> (4 * w)) != 0) ++w;
    sysmon_.put(",\""), sysmon_.put(key), sysmon_.put("\":\"0x"), sysmon_.hex(v, w), sysmon_.put('"');
  }
  void security4688(Host& h, const Proc& c, const Proc& parent) {
    head(h, 4688, 2, "Process Creation", 13312);
    str("SubjectUserSid", "S-1-5-18"), str("SubjectUserName", h.netbios + "$"), str("SubjectDomainName", "BENCH");
    str("SubjectLogonId", "0x3e7"), hex_str("NewProcessId", c.pid), str("NewProcessName", progs_[c.prog].image);
    str("TokenElevationType", "%%1936"), hex_str("ProcessId", parent.pid), str("CommandLine", progs_[c.prog].cmdline);
    str("TargetUserSid", "S-1-0-0"), str("TargetUserName", "-"), str("TargetDomainName", "-");
    str("TargetLogonId", "0x0"), str("ParentProcessName", progs_[parent.prog].image);
    str("MandatoryLabel", "S-1-16-16384");
    sysmon_.put(",\"Message\":\"A new process has been created.\\r\\n\\r\\nCreator Subject:\\r\\n\\tSecurity ID:\\t\\t"
                "S-1-5-18\\r\\n\\tAccount Name:\\t\\t");
    sysmon_.put(h.netbios), sysmon_.put("$\\r\\n\\tAccount Domain:\\t\\tBENCH\\r\\n\\tLogon ID:\\t\\t0x3E7\\r\\n\\r\\n"
                                        "Process Information:\\r\\n\\tNew Process ID:\\t\\t0x");
    sysmon_.hex(c.pid, 4), sysmon_.put("\\r\\n\\tNew Process Name:\\t"), sysmon_.put(progs_[c.prog].image);
    sysmon_.put("\\r\\n\\tToken Elevation Type:\\t%%1936\\r\\n\\tCreator Process ID:\\t0x"), sysmon_.hex(parent.pid, 4);
    sysmon_.put("\\r\\n\\tCreator Process Name:\\t"), sysmon_.put(progs_[parent.prog].image);
    sysmon_.put("\\r\\n\\tProcess Command Line:\\t"), sysmon_.put(progs_[c.prog].cmdline);
    sysmon_.put("\\r\\n\\r\\nToken Elevation Type indicates the type of token that was assigned to the new process "
                "in accordance with User Account Control policy.\"");
    tail(h, false);
  }
  void security5156(Host& h, const Proc& p, const Conn& c, bool inbound) {
    // Windows reports the local end as "Source" in both directions.
    const std::uint32_t src = inbound ? c.resp_h : c.orig_h, dst = inbound ? c.orig_h : c.resp_h;
    const std::uint16_t sport = inbound ? c.resp_p : c.orig_p, dport = inbound ? c.orig_p : c.resp_p;
    head(h, 5156, 1, "Filtering Platform Connection", 12810);
    num_str("ProcessId", p.pid), str("Application", progs_[p.prog].device_path);
    str("Direction", inbound ? "%%14592" : "%%14593"), ip_str("SourceAddress", src), num_str("SourcePort", sport);
    ip_str("DestAddress", dst), num_str("DestPort", dport), num_str("Protocol", c.proto);
    str("FilterRTID", "71130"), str("LayerName", "%%14611"), str("LayerRTID", "48");
    str("RemoteUserID", "S-1-0-0"), str("RemoteMachineID", "S-1-0-0");
    sysmon_.put(",\"Message\":\"The Windows Filtering Platform has permitted a connection.\\r\\n\\r\\nApplication "
                "Information:\\r\\n\\tProcess ID:\\t\\t");
    sysmon_.num(p.pid), sysmon_.put("\\r\\n\\tApplication Name:\\t"), sysmon_.put(progs_[p.prog].device_path);
    sysmon_.put("\\r\\n\\r\\nNetwork Information:\\r\\n\\tDirection:\\t\\t"), sysmon_.put(inbound ? "Inbound" : "Outbound");
    sysmon_.put("\\r\\n\\tSource Address:\\t\\t"), sysmon_.ip(src), sysmon_.put("\\r\\n\\tSource Port:\\t\\t");
    sysmon_.num(sport), sysmon_.put("\\r\\n\\tDestination Address:\\t"), sysmon_.ip(dst);
    sysmon_.put("\\r\\n\\tDestination Port:\\t\\t"), sysmon_.num(dport), sysmon_.put("\\r\\n\\tProtocol:\\t\\t");
    sysmon_.num(c.proto), sysmon_.put("\\r\\n\\r\\nFilter Information:\\r\\n\\tFilter Run-Time ID:\\t71130\\r\\n\\t"
                                      "Layer Name:\\t\\tConnect\\r\\n\\tLayer Run-Time ID:\\t48\"");
    tail(h, false);
  }

  // ---- Flows -------------------------------------------------------------------------------------
  static std::uint16_t next_port(Host& h) {
    if (++h.next_port > 65535) h.next_port = 49152;
    return static_cast<std::uint16_t>(h.next_port);
  }
  static std::string_view port_name(std::uint16_t port) {
    switch (port) {
      case 80: return "http";
      case 88: return "kerberos";
      case 123: return "ntp";
      case 135: return "epmap";
      case 389: return "ldap";
      case 443: return "https";
      case 445: return "microsoft-ds";
      default: return "-";
    }
  }
  // Zeek writes a record when the connection ends: hold records until the clock passes their end.
  void flush_conns(std::int64_t until) {
    while (!pending_.empty() && pending_.top().end() <= until) {
      last_end_ = std::max(last_end_, pending_.top().end());
      bench::write_conn(conn_, rng_, pending_.top());
      pending_.pop();
      ++conn_records_;
    }
  }

  Rng rng_;
  Sink sysmon_, conn_;
  bench::Catalog cat_;
  const std::vector<Program>& progs_ = cat_.programs;
  std::vector<std::uint32_t> dest_ips_;
  std::vector<Host> hosts_;
  std::priority_queue<Conn, std::vector<Conn>, std::greater<>> pending_;
  std::int64_t now_ = 0, last_end_ = 0;
  std::uint64_t conn_records_ = 0;
  TimeFmt utc_time_{' '}, event_time_{' '}, recv_time_{' '}, iso_time_{'T'}, zeek_time_{'-', '-', '-'};
};

std::uint64_t parse_size(const char* s) {
  char* end = nullptr;
  double v = std::strtod(s, &end);
  switch (*end) {
    case 'k': case 'K': v *= 1e3; break;
    case 'm': case 'M': v *= 1e6; break;
    case 'g': case 'G': v *= 1e9; break;
    default: break;
  }
  return static_cast<std::uint64_t>(v);
}

int usage() {
  std::fprintf(stderr,
               "usage: outflow_bench_gen --sysmon-bytes N[k|M|G] --out-sysmon FILE --out-conn FILE --seed S "
               "[--hosts H]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t bytes = 0, seed = 1;
  int hosts = 50;
  const char* sysmon_path = nullptr;
  const char* conn_path = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--version") return std::puts(kVersion.data()) < 0;
    if (i + 1 >= argc) return usage();
    const char* v = argv[++i];
    if (a == "--sysmon-bytes") bytes = parse_size(v);
    else if (a == "--out-sysmon") sysmon_path = v;
    else if (a == "--out-conn") conn_path = v;
    else if (a == "--seed") seed = std::strtoull(v, nullptr, 10);
    else if (a == "--hosts") hosts = std::atoi(v);
    else return usage();
  }
  if (bytes == 0 || sysmon_path == nullptr || conn_path == nullptr || hosts < 1 || hosts > 60000) return usage();
  const auto t0 = std::chrono::steady_clock::now();
  Generator gen(seed, hosts, sysmon_path, conn_path);
  gen.run(bytes);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("sysmon_bytes=%llu sysmon_lines=%llu conn_bytes=%llu conn_records=%llu seconds=%.2f mb_per_s=%.1f\n",
              static_cast<unsigned long long>(gen.sysmon_bytes()), static_cast<unsigned long long>(gen.sysmon_lines()),
              static_cast<unsigned long long>(gen.conn_bytes()), static_cast<unsigned long long>(gen.conn_records()),
              secs, static_cast<double>(gen.sysmon_bytes() + gen.conn_bytes()) / 1e6 / secs);
  return 0;
}
