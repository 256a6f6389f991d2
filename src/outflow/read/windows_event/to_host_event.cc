// From the raw fields of one Windows event to a normalized HostEvent.
#include <charconv>

#include "outflow/core/utf8.h"
#include "outflow/read/windows_event/raw_fields.h"

namespace outflow::winevent {

namespace {

bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && (hay[i + j] | 0x20) == (needle[j] | 0x20)) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

// "4312", "0x10d8"; false when absent or not a number.
bool parse_pid(std::string_view s, uint64_t& out) {
  if (s.empty() || s == "-") return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_port(std::string_view s, uint16_t& out) {
  unsigned v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v > 65535) return false;
  out = static_cast<uint16_t>(v);
  return true;
}

// Text fields are cut at kMaxFieldBytes (on a UTF-8 boundary, ending in "…"): Windows logs no
// longer value (a command line is at most 32,767 UTF-16 characters), and every process kept
// in the table holds its strings.
void assign(std::string& dst, std::string_view v) {
  if (v == "-") v = {};
  assign_capped(dst, v, kMaxFieldBytes);
}

// Security events name the account by logon id when the subject is the machine account.
std::string_view well_known_logon(std::string_view logon_id) {
  if (logon_id == "0x3e7" || logon_id == "0x3E7") return "NT AUTHORITY\\SYSTEM";
  if (logon_id == "0x3e4" || logon_id == "0x3E4") return "NT AUTHORITY\\NETWORK SERVICE";
  if (logon_id == "0x3e5" || logon_id == "0x3E5") return "NT AUTHORITY\\LOCAL SERVICE";
  return {};
}

void set_security_user(const RawFields& f, HostEvent& e) {
  auto usable = [](std::string_view u) { return !u.empty() && u != "-"; };
  std::string_view user = f.get(Field::target_user), dom = f.get(Field::target_domain),
                   logon = f.get(Field::target_logon_id), sid = f.get(Field::target_user_sid);
  if (!usable(user)) {
    user = f.get(Field::subject_user);
    dom = f.get(Field::subject_domain);
    logon = f.get(Field::subject_logon_id);
    sid = f.get(Field::subject_user_sid);
  }
  if (!usable(user)) return;
  // The account's SID, where the event names it (Security events; never Sysmon's): what names
  // SRUM's user SIDs (join/usage_processes.h). "S-1-0-0" is the NULL SID.
  if (sid.starts_with("S-1-") && sid != "S-1-0-0") assign(e.user_sid, sid);
  if (auto wk = well_known_logon(logon); !wk.empty()) {
    e.user.assign(wk);
    return;
  }
  e.user.clear();
  if (usable(dom)) {
    e.user.append(dom);
    e.user.push_back('\\');
  }
  e.user.append(user);
  if (e.user.size() > kMaxFieldBytes) {
    const std::string full = std::move(e.user);
    assign(e.user, full);
  }
}

std::string_view label_name(std::string_view sid) {
  if (sid == "S-1-16-4096") return "Low";
  if (sid == "S-1-16-8192") return "Medium";
  if (sid == "S-1-16-8448") return "Medium Plus";
  if (sid == "S-1-16-12288") return "High";
  if (sid == "S-1-16-16384") return "System";
  if (sid == "S-1-16-0") return "Untrusted";
  return sid;
}

// False when no time field parses; `out_of_range` tells that one did, but outside the
// record-time range (FILETIME 0 = 1601, 9999 sentinels).
bool set_time(const RawFields& f, HostEvent& e, bool& out_of_range) {
  struct Pick {
    Field field;
    TimeField tf;
    bool epoch_ok;
  };
  static constexpr Pick kOrder[] = {{Field::utc_time, TimeField::utc_time, false},
                                    {Field::system_time, TimeField::system_time, false},
                                    {Field::timestamp, TimeField::timestamp, true},
                                    {Field::time_generated, TimeField::time_generated, false},
                                    {Field::event_time, TimeField::event_time, false}};
  for (const auto& p : kOrder) {
    if (p.field == Field::system_time && f.system_time_ns != kNoTime) {
      if (in_record_range(f.system_time_ns)) {
        e.time = f.system_time_ns;
        e.time_field = TimeField::system_time;
        return true;
      }
      out_of_range = true;
    }
    if (!f.has(p.field)) continue;
    TimeNs t;
    const auto s = f.get(p.field);
    TimeParse tp = parse_record_time(s, t);
    if (tp == TimeParse::bad && p.epoch_ok && parse_epoch_seconds(s, t))
      tp = in_record_range(t) ? TimeParse::ok : TimeParse::out_of_range;
    if (tp == TimeParse::out_of_range) out_of_range = true;
    if (tp == TimeParse::ok) {
      e.time = t;
      e.time_field = p.tf;
      return true;
    }
  }
  return false;
}

}  // namespace

bool wanted_event(uint64_t id, std::string_view provider, std::string_view channel) {
  if (!interesting_event_id(id)) return false;
  if (contains_ci(provider, "linux")) return false;  // Sysmon for Linux: other field meanings
  const bool unknown_source = provider.empty() && channel.empty();
  const bool sysmon_id = id == 1 || id == 3 || id == 5 || id == 22;
  if (sysmon_id) return unknown_source || contains_ci(provider, "sysmon") || contains_ci(channel, "sysmon");
  return unknown_source || contains_ci(provider, "security-auditing") || contains_ci(channel, "security");
}

Verdict to_host_event(const RawFields& f, HostEvent& e, std::string_view& why) {
  e.clear();
  uint64_t id = 0;
  {
    const auto s = f.get(Field::event_id);
    auto r = std::from_chars(s.data(), s.data() + s.size(), id);
    if (s.empty()) {
      why = "no_event_id";  // valid JSON, but not a Windows event: counted, not an error
      return Verdict::skip;
    }
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {  // "1e400" is not event 1
      why = "windows event: EventID is not a number";
      return Verdict::bad;
    }
  }
  if (!wanted_event(id, f.get(Field::provider), f.get(Field::channel))) {
    why = {};
    return Verdict::skip;  // e.g. event 3 of Microsoft-Windows-Kernel-IO
  }
  e.event_id = static_cast<uint16_t>(id);

  // Host: the originating computer, never the collector when we can tell them apart.
  for (Field hf : {Field::host_computer_name, Field::host_computer, Field::host_plain, Field::host_ecs_name}) {
    const auto h = f.get(hf);
    if (!h.empty() && h != "-") {
      if (h.size() > kMaxHostNameBytes) {
        why = "windows event: host name longer than 255 bytes";
        return Verdict::bad;
      }
      e.host.assign(h);
      break;
    }
  }
  if (e.host.empty()) {
    why = "windows event: no host name (Hostname, Computer, computer_name or host.name)";
    return Verdict::bad;
  }
  if (bool out_of_range = false; !set_time(f, e, out_of_range)) {
    why = out_of_range ? "windows event: time out of range (before 1970 or after 2099)"
                       : "windows event: no parsable time (UtcTime, TimeCreated, @timestamp, TimeGenerated or EventTime)";
    return Verdict::bad;
  }

  switch (id) {
    case 1:
    case 4688:
      e.type = HostEventType::process_start;
      break;
    case 5:
    case 4689:
      e.type = HostEventType::process_end;
      break;
    case 3:
    case 5156:
      e.type = HostEventType::net_connect;
      break;
    case 22:
      e.type = HostEventType::dns_query;
      break;
  }

  if (id == 4688) {
    assign(e.image, f.get(Field::new_process_name));
    assign(e.parent_image, f.get(Field::parent_process_name));
    if (!parse_pid(f.get(Field::new_process_id), e.pid)) {
      why = "windows event: 4688 without NewProcessId";
      return Verdict::bad;
    }
    parse_pid(f.get(Field::process_id), e.ppid);  // the creator
    assign(e.command_line, f.get(Field::command_line));
    set_security_user(f, e);
    assign(e.integrity_level, label_name(f.get(Field::mandatory_label)));
    return Verdict::ok;
  }
  if (id == 4689) {
    assign(e.image, f.get(Field::process_name));
    if (!parse_pid(f.get(Field::process_id), e.pid)) {
      why = "windows event: 4689 without ProcessId";
      return Verdict::bad;
    }
    return Verdict::ok;
  }
  if (id == 5156) {
    assign(e.image, f.get(Field::application));
    parse_pid(f.get(Field::process_id), e.pid);
    const bool ok = IpAddr::parse(f.get(Field::source_address), e.src_ip) &&
                    IpAddr::parse(f.get(Field::dest_address), e.dst_ip) &&
                    parse_port(f.get(Field::source_port), e.src_port) &&
                    parse_port(f.get(Field::dest_port), e.dst_port);
    if (!ok) {
      why = "windows event: 5156 without a parsable address/port";
      return Verdict::bad;
    }
    e.proto = parse_proto(f.get(Field::protocol));
    const auto dir = f.get(Field::direction);
    if (dir == "%%14593" || contains_ci(dir, "outbound")) e.initiated = 1;
    else if (dir == "%%14592" || contains_ci(dir, "inbound")) e.initiated = 0;
    return Verdict::ok;
  }

  // Sysmon 1 / 3 / 5 / 22
  assign(e.process_guid, f.get(Field::process_guid));
  parse_pid(f.get(Field::process_id), e.pid);
  assign(e.image, f.get(Field::image));
  assign(e.user, f.get(Field::user));
  if (id == 1) {
    assign(e.parent_guid, f.get(Field::parent_process_guid));
    parse_pid(f.get(Field::parent_process_id), e.ppid);
    assign(e.parent_image, f.get(Field::parent_image));
    assign(e.command_line, f.get(Field::command_line));
    assign(e.parent_command_line, f.get(Field::parent_command_line));
    assign(e.integrity_level, f.get(Field::integrity_level));
    assign(e.original_file_name, f.get(Field::original_file_name));
    assign(e.company, f.get(Field::company));
    assign(e.hashes, f.get(Field::hashes));
    assign(e.current_directory, f.get(Field::current_directory));
  } else if (id == 3) {
    const bool ok = IpAddr::parse(f.get(Field::source_ip), e.src_ip) &&
                    IpAddr::parse(f.get(Field::destination_ip), e.dst_ip) &&
                    parse_port(f.get(Field::source_port), e.src_port) &&
                    parse_port(f.get(Field::destination_port), e.dst_port);
    if (!ok) {
      why = "windows event: Sysmon 3 without a parsable address/port";
      return Verdict::bad;
    }
    e.proto = parse_proto(f.get(Field::protocol));
    const auto init = f.get(Field::initiated);
    if (init == "true" || init == "True") e.initiated = 1;
    else if (init == "false" || init == "False") e.initiated = 0;
  } else if (id == 22) {
    assign(e.query_name, f.get(Field::query_name));
    assign(e.query_results, f.get(Field::query_results));
  }
  if (e.process_guid.empty() && e.pid == 0) {
    why = "windows event: Sysmon event without ProcessGuid or ProcessId";
    return Verdict::bad;
  }
  return Verdict::ok;
}

}  // namespace outflow::winevent
