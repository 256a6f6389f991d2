#include "outflow/write/coverage_srum.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "outflow/lineage/host_registry.h"
#include "outflow/read/srum/srum_decode.h"
#include "outflow/score/hunter.h"  // human_duration
#include "outflow/write/terminal.h"

namespace outflow {
namespace {

constexpr const char* kCannot =
    "SRUM says which program (and user) sent and received how many bytes per interval (about an hour) and interface; it "
    "has no destinations, no ports and no process ids, and nothing after the last flush";

std::string status_of(const SrumCoverage& c) {
  const srum::UsageFile& f = *c.file;
  if (!f.error.empty()) return "not readable";
  if (f.no_usage_table) return "no per-program table";
  return f.dirty ? "read (dirty)" : "read";
}

// The monitored hosts no SRUM input names (canonical comparison).
std::vector<std::string> without_srum(const std::vector<SrumCoverage>& s, const std::vector<std::string>& monitored) {
  std::set<std::string> have;
  for (const auto& c : s)
    if (!c.host.empty() && c.file->error.empty() && !c.file->no_usage_table) have.insert(HostRegistry::canonical(c.host));
  std::vector<std::string> out;
  for (const auto& h : monitored)
    if (!have.count(HostRegistry::canonical(h))) out.push_back(h);
  return out;
}

}  // namespace

std::vector<InterfaceConnectivity> interface_connectivity(const std::vector<srum::ConnectivityRow>& rows) {
  std::map<uint64_t, std::map<TimeNs, int64_t>> by;  // luid -> connection start -> largest connected time
  std::map<uint64_t, InterfaceConnectivity> out;
  for (const auto& r : rows) {
    InterfaceConnectivity& ic = out[r.interface_luid];
    ic.luid = r.interface_luid;
    if (r.end != kNoTime && (ic.last_end == kNoTime || r.end > ic.last_end)) ic.last_end = r.end;
    if (r.connect_start == kNoTime || r.connected_seconds < 0) continue;
    int64_t& s = by[r.interface_luid][r.connect_start];
    s = std::max(s, r.connected_seconds);
  }
  for (const auto& [luid, conns] : by) {
    InterfaceConnectivity& ic = out[luid];
    ic.connections = conns.size();
    ic.first_start = conns.begin()->first;
    for (const auto& [start, secs] : conns) ic.connected_seconds += secs;
  }
  std::vector<InterfaceConnectivity> v;
  for (auto& [k, ic] : out) v.push_back(ic);
  return v;
}

void coverage_srum_text(std::string& o, const std::vector<SrumCoverage>& s, const std::vector<std::string>& monitored) {
  if (s.empty()) return;
  o += "\nSRUM (per-program network usage from the hosts themselves; `outflow usage`, and scored by `outflow hunt`)\n";
  o += fmt::format("  {:<24} {:<22} {:<16} {:>8} {:<17} {:<17} {:>9} {:>5} {:>11}  {}\n", "host", "status", "source", "rows", "first",
                   "last", "intervals", "gaps", "longest gap", "file");
  for (const auto& c : s) {
    const srum::UsageFile& f = *c.file;
    const std::string host = c.host.empty() ? "? (unknown)" : c.host + (c.host_from_name ? " (file name)" : "");
    o += fmt::format("  {:<24} {:<22} {:<16} {:>8} {:<17} {:<17} {:>9} {:>5} {:>11}  {}\n", terminal_safe(host, 24), status_of(c),
                     f.source, f.rows_read, format_time(c.span.first).substr(0, 16), format_time(c.span.last).substr(0, 16),
                     c.span.intervals, c.span.gaps, c.span.gaps ? human_duration(c.span.longest_gap) : "-", terminal_safe(f.path));
    if (!f.error.empty()) o += "      " + terminal_safe(f.error) + "\n";
    if (f.no_usage_table)
      o += "      no per-program network usage table (Windows Server keeps none): which program sent how much cannot be told\n";
    if (f.dirty)
      o += "      dirty (copied from a running system): read from a corrected in-memory copy; the last interval may be missing\n";
    if (c.read_twice) o += fmt::format("      {} rows were another input's already (the same database exported?): counted once\n", c.read_twice);
    if (f.bad_rows) o += fmt::format("      {} rows could not be read\n", f.bad_rows);
    if (f.source == "srudb" && f.error.empty()) {
      if (!f.has_connectivity_table) {
        o += "      no connectivity table: the interfaces' connected time is unknown\n";
      } else {
        for (const auto& ic : interface_connectivity(f.connectivity))
          o += fmt::format("      interface {} (type {}): {} connection(s) since {}, connected {} in all\n", ic.luid,
                           srum::interface_type_name(static_cast<uint16_t>(ic.luid >> 48)), ic.connections,
                           ic.first_start == kNoTime ? "?" : format_time(ic.first_start).substr(0, 16),
                           human_duration(ic.connected_seconds * kNsPerSec));
      }
    }
  }
  o += "  (a gap: consecutive flushes over 2 h apart: the machine off or asleep, or rows removed)\n";
  o += std::string("  ") + kCannot + "\n";
  const auto none = without_srum(s, monitored);
  if (!none.empty()) {
    o += fmt::format("  {} monitored host(s) with no readable SRUM input:", none.size());
    for (size_t i = 0; i < none.size() && i < 20; ++i) o += " " + terminal_safe(none[i]);
    if (none.size() > 20) o += fmt::format(" (+{} more)", none.size() - 20);
    o += "\n";
  }
}

void coverage_srum_json(JsonOut& j, const std::vector<SrumCoverage>& s, const std::vector<std::string>& monitored) {
  j.begin_array("srum");
  for (const auto& c : s) {
    const srum::UsageFile& f = *c.file;
    j.begin_object().str("path", f.path).str_if("host", c.host).boolean("host_from_file_name", c.host_from_name)
        .str("status", status_of(c)).str("source", f.source).str_if("sha256", f.sha256).str_if("error", f.error)
        .boolean("per_program_table", !f.no_usage_table).boolean("dirty", f.dirty).unum("rows", f.rows_read)
        .unum("interface_totals", f.interface_totals_read).unum("read_twice", c.read_twice).unum("bad_rows", f.bad_rows)
        .str_if("first", format_time(c.span.first)).str_if("last", format_time(c.span.last)).unum("intervals", c.span.intervals)
        .unum("gaps", c.span.gaps).num("longest_gap_seconds", c.span.longest_gap / kNsPerSec);
    if (f.source == "srudb" && f.error.empty()) {
      j.boolean("connectivity_table", f.has_connectivity_table);
      j.begin_array("interfaces");
      for (const auto& ic : interface_connectivity(f.connectivity))
        j.begin_object().unum("luid", ic.luid).str("type", srum::interface_type_name(static_cast<uint16_t>(ic.luid >> 48)))
            .unum("connections", ic.connections).num("connected_seconds", ic.connected_seconds)
            .str_if("first_connect", format_time(ic.first_start)).str_if("last_seen", format_time(ic.last_end)).end_object();
      j.end_array();
    }
    j.end_object();
  }
  j.end_array();
  j.begin_array("hosts_without_srum");
  for (const auto& h : without_srum(s, monitored)) j.str_elem(h);
  j.end_array();
  j.str("srum_cannot_answer", kCannot);
}

}  // namespace outflow
