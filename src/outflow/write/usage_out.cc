#include "outflow/write/usage_out.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "outflow/core/win_path.h"
#include "outflow/join/usage_processes.h"
#include "outflow/read/srum/srum_decode.h"
#include "outflow/score/hunter.h"  // human_bytes
#include "outflow/write/json_out.h"
#include "outflow/write/terminal.h"

namespace outflow {

namespace {

struct Row {
  const srum::UsageRecord* r;
  const UsageInput* in;
  const std::vector<TimeNs>* stamps;
  const std::string* exe;  // usage_executable(*r) ("" for interface totals)
};

// outflow.srum.process_join ("one", "candidates", "none", "not_a_path") with the processes of the
// image whose lifetime overlaps the interval, or why there is none.
void write_processes(JsonOut& j, const srum::UsageRecord& r, const std::string& exe, const ProcessLog::Join& pj) {
  if (exe.empty()) {
    j.str("process_join", "not_a_path");
    j.str("process_join_reason", r.kind == srum::ProgramKind::service
                                     ? "a service: SRUM does not say which svchost.exe process ran it"
                                     : "SRUM names no executable path");
    return;
  }
  j.str("process_join", pj.candidates.empty() ? "none" : pj.candidates.size() == 1 ? "one" : "candidates");
  j.str_if("process_join_reason", pj.reason);
  if (pj.candidates.empty()) return;
  j.begin_array("processes");
  for (const UsageProcess* p : pj.candidates) {
    j.begin_object();
    j.str_if("entity_id", p->entity_id);
    if (p->pid) j.unum("pid", p->pid);
    j.time("start", p->start);
    if (p->end != kNoTime) j.time("end", p->end);
    j.str_if("command_line", p->command_line).str_if("parent_executable", p->parent_image).str_if("user", p->user);
    j.end_object();
  }
  j.end_array();
}

void write_record(std::string& buf, const Row& row, size_t rank) {
  const srum::UsageRecord& r = *row.r;
  const srum::UsageFile& f = *row.in->file;
  bool estimated = false;
  const TimeNs start = interval_start(*row.stamps, r.end, estimated);
  JsonOut j(buf);
  j.begin_object();
  j.time("@timestamp", r.end);
  j.begin_object("event").str("kind", "metric").begin_array("category").str_elem("network").end_array();
  j.str("dataset", "srum.network_usage").time("start", start).time("end", r.end).end_object();
  if (!row.in->host.empty()) j.begin_object("host").str("name", row.in->host).end_object();
  ProcessLog::Join pj;
  const std::string& exe = *row.exe;
  if (!exe.empty()) {
    if (row.in->processes) pj = row.in->processes->join(row.in->host, exe, start, r.end);
    else pj.reason = "no Windows event log beside the SRUM input";
  }
  if (!r.interface_total) {
    if (!exe.empty() || r.kind == srum::ProgramKind::service) {
      j.begin_object("process");
      j.str_if("executable", exe);
      j.str("name", r.kind == srum::ProgramKind::service ? std::string("svchost.exe") : image_basename(exe));
      if (pj.candidates.size() == 1) {  // one process of the image in the interval: it is the one
        const UsageProcess& p = *pj.candidates.front();
        if (p.pid) j.unum("pid", p.pid);
        j.str_if("entity_id", p.entity_id).str_if("command_line", p.command_line).time("start", p.start);
        if (!p.parent_image.empty()) j.begin_object("parent").str("executable", p.parent_image).end_object();
      }
      j.end_object();
    }
    if (!r.user_sid.empty() || !r.user_name.empty()) {
      // The export's name, else the one the host's Security events give the SID.
      const std::string name = !r.user_name.empty() || r.user_sid.empty() || !row.in->processes
                                   ? r.user_name
                                   : row.in->processes->name_of_sid(row.in->host, r.user_sid);
      j.begin_object("user").str_if("id", r.user_sid).str_if("name", name).end_object();
    }
  }
  j.begin_object("source").unum("bytes", r.bytes_sent).end_object();
  j.begin_object("destination").unum("bytes", r.bytes_recvd).end_object();
  j.begin_object("network").unum("bytes", r.bytes_sent + r.bytes_recvd).end_object();
  j.begin_object("outflow").begin_object("srum");
  j.boolean("interface_total", r.interface_total);
  if (!r.interface_total) {
    j.unum("rank", rank);
    j.str("program", r.program).str("program_kind", srum::program_kind_name(r.kind));
    if (r.kind == srum::ProgramKind::service) j.str("service", r.program);
    if (r.kind == srum::ProgramKind::package) j.str("package", r.program);
    write_processes(j, r, exe, pj);
  }
  j.num("app_id", r.app_id).num("user_id", r.user_id);
  j.unum("interface_luid", r.interface_luid);
  const uint32_t if_type = srum::interface_type_of_luid(r.interface_luid);
  j.unum("interface_type", if_type).str_if("interface_type_name", srum::interface_type_name(if_type));
  j.num("l2_profile_id", r.l2_profile_id);
  j.time("interval_start", start).time("interval_end", r.end).boolean("interval_start_estimated", estimated);
  if (r.row_id >= 0) j.num("row_id", r.row_id);
  j.str("file", f.path).str("source", f.source).str_if("sha256", f.sha256);
  if (f.dirty) j.boolean("dirty", true);
  j.end_object().end_object();
  j.end_object();
  buf.push_back('\n');
}

}  // namespace

void write_usage_json(std::string& buf, UsageAggregator& agg, const std::function<bool(std::string&)>& flush) {
  std::vector<size_t> rank_of_group;
  const UsageTotals totals = agg.totals(&rank_of_group);
  std::vector<std::vector<TimeNs>> stamps;  // each input's, of the rows kept
  stamps.reserve(agg.inputs());
  for (size_t k = 0; k < agg.inputs(); ++k) stamps.push_back(agg.kept_stamps(k));
  // A row's executable is shown where it is a ranked program's (as every program row's is).
  std::unordered_set<std::string_view> exes;
  for (const auto& p : totals.programs) exes.insert(p.executable);
  ProgramNames names;
  const std::string none;
  agg.rows().for_each(rank_of_group, [&](const srum::UsageRecord& r, uint32_t k, size_t rank) {
    const std::string* exe = &none;
    if (!r.interface_total)
      if (const ProgramNames::Names& n = names.of(r); exes.count(n.executable)) exe = &n.executable;
    write_record(buf, {&r, &agg.input(k).in, &stamps[k], exe}, rank);
    return !flush || buf.size() <= (1u << 20) || flush(buf);
  });
}

namespace {

std::string day_time(TimeNs t) {
  const std::string s = format_time(t);  // 2022-03-10T16:35:00.000000Z
  return s.size() >= 16 ? s.substr(0, 10) + " " + s.substr(11, 5) : s;
}

std::string span(TimeNs a, TimeNs b) {
  if (a == kNoTime) return "";
  const std::string x = day_time(a), y = day_time(b);
  if (a == b) return x;
  return x.substr(0, 10) == y.substr(0, 10) ? x + "-" + y.substr(11) : x + " - " + y;
}

}  // namespace

void write_usage_table(std::string& buf, const UsageTotals& t, size_t top) {
  const size_t n = top == 0 ? t.programs.size() : std::min(top, t.programs.size());
  buf += fmt::format("Programs by bytes sent (SRUM network usage; {} program/user pairs{}):\n", t.programs.size(),
                     n < t.programs.size() ? fmt::format(", top {} shown", n) : std::string());
  buf += fmt::format("{:>4}  {:>10}  {:>10}  {:>5}  {:<23}  {:<16}  {:<46}  {}\n", "#", "sent", "received", "rows", "span (UTC)",
                     "host", "user", "program");
  for (size_t i = 0; i < n; ++i) {
    const auto& p = t.programs[i];
    const std::string user = !p.user_name.empty() ? p.user_name : p.user_sid.empty() ? p.user_key : p.user_sid;
    const std::string prog = p.executable.empty() ? p.program : p.executable;
    buf += fmt::format("{:>4}  {:>10}  {:>10}  {:>5}  {:<23}  {:<16}  {:<46}  {}\n", i + 1, human_bytes(p.sent),
                       human_bytes(p.recvd), p.intervals, span(p.first, p.last),
                       terminal_safe(p.host.empty() ? "-" : p.host, 16), terminal_safe(user, 46),
                       terminal_safe(prog, 200));
  }
  if (t.interfaces.empty()) return;
  buf += "\nInterface totals (every program; AppId 1 / UserId 2 rows, not a program):\n";
  buf += fmt::format("{:<16}  {:>20}  {:<9}  {:>10}  {:>10}  {:>5}  {}\n", "host", "interface LUID", "type", "sent", "received",
                     "rows", "span (UTC)");
  for (const auto& u : t.interfaces) {
    const uint32_t ty = srum::interface_type_of_luid(u.luid);
    const std::string_view tn = srum::interface_type_name(ty);
    buf += fmt::format("{:<16}  {:>20}  {:<9}  {:>10}  {:>10}  {:>5}  {}\n", terminal_safe(u.host.empty() ? "-" : u.host, 16),
                       u.luid, tn.empty() ? std::to_string(ty) : std::string(tn), human_bytes(u.sent), human_bytes(u.recvd),
                       u.intervals, span(u.first, u.last));
  }
}

}  // namespace outflow
