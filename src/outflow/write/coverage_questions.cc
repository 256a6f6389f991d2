#include "outflow/write/coverage_questions.h"

#include <fmt/format.h>

#include <algorithm>

#include "outflow/write/coverage_report.h"
#include "outflow/write/json_out.h"
#include "outflow/write/terminal.h"

namespace outflow {

void FlowHostCounter::add(const Session& s, const Attribution& a) {
  if (a.host != kNoHost || !internal_.contains(s.orig_h) || internal_.contains(s.resp_h)) return;
  if (seen_.count(s.orig_h)) return;
  if (seen_.size() >= kMaxAddresses) {
    capped_ = true;
    return;
  }
  seen_.insert(s.orig_h);
}

namespace {

uint64_t events(const HostCoverage& h, std::initializer_list<uint16_t> ids) {
  uint64_t n = 0;
  for (auto id : ids)
    if (auto it = h.events.find(id); it != h.events.end()) n += it->second;
  return n;
}

}  // namespace

std::vector<CoverageQuestion> coverage_questions(const CoverageInputs& in) {
  const auto& st = in.pipeline.stats();
  size_t monitored = 0, with_net = 0, with_proc = 0;
  for (const auto& [hid, hc] : st.hosts) {
    if (hc.events.empty()) continue;
    ++monitored;
    with_net += events(hc, {3, 5156}) > 0;
    with_proc += events(hc, {1, 4688}) > 0;
  }
  const size_t flow_only = in.flow_hosts ? in.flow_hosts->hosts() : 0;
  const bool flows = st.flow_records > 0;
  // Every host the input shows: monitored ones and internal addresses seen only in flows.
  const size_t total = monitored + flow_only;
  const size_t flow_hosts = flows ? total : 0;
  const bool names = st.dns_answers > 0 || st.app_records > 0;
  auto answer = [](size_t k, size_t n) { return n == 0 || k == 0 ? "no" : k >= n ? "yes" : "partly"; };
  const std::string add_flows = "flow records of the egress: Zeek conn.log (with dns.log, ssl.log, http.log for names) or NetFlow (nfdump)";
  const std::string add_net = "Sysmon events 3 (network connection) and 22 (DNS query) on the hosts, or Security 5156 (Windows Filtering Platform, audit policy "
                              "'Filtering Platform Connection')";
  const std::string add_proc = "Sysmon event 1 (process creation) on the hosts, or Security 4688 with command-line auditing";
  std::vector<CoverageQuestion> q;
  auto flow_q = [&](const char* id, const char* asks, std::string how) {
    q.push_back({id, asks, flow_hosts, total, answer(flow_hosts, total), flows ? std::move(how) : "", flows ? "" : add_flows});
  };
  flow_q("host", "which host sent it", "the source address of each flow" +
                                           std::string(st.dhcp_leases ? ", named from Zeek dhcp.log where leased" : "") +
                                           (monitored ? ", named from endpoint events where monitored" : ""));
  flow_q("pair", "to where", names ? "destination address, named from dns.log answers, TLS SNI and HTTP Host"
                                   : "destination address (no dns.log, ssl.log or http.log: no names)");
  flow_q("volume", "how much", st.sessions_out_unknown ? fmt::format("bytes each way per flow ({} sessions without the "
                                                                     "initiator's bytes: there a lower bound)",
                                                                     st.sessions_out_unknown)
                                                       : std::string("bytes each way per flow, per time window and per day"));
  flow_q("duration", "how long", "longest and cumulative connection time per pair");
  flow_q("beacons", "how regularly", "connection times per pair (repetition, beacons, strobes)");
  q.push_back({"process", "which process", with_net, total, answer(with_net, total),
               with_net ? fmt::format("connection events (Sysmon 3 / Security 5156) on {} host(s)", with_net) : "",
               with_net < total ? add_net : ""});
  q.push_back({"user", "as whom", with_net, total, answer(with_net, total),
               with_net ? "the user of the process that made the connection" : "", with_net < total ? add_net : ""});
  q.push_back({"lineage", "started by what", with_proc, total, answer(with_proc, total),
               with_proc ? fmt::format("process creation events on {} host(s)", with_proc) : "", with_proc < total ? add_proc : ""});
  return q;
}

void coverage_questions_text(std::string& o, const CoverageInputs& in) {
  const auto q = coverage_questions(in);
  const size_t flow_only = in.flow_hosts ? in.flow_hosts->hosts() : 0;
  o += fmt::format("\nQUESTIONS THIS TELEMETRY CAN ANSWER ({} host(s): {} with endpoint events, {}{} seen only in flows)\n",
                   q.empty() ? 0 : q.front().hosts_total, q.empty() ? 0 : q.front().hosts_total - flow_only, flow_only,
                   in.flow_hosts && in.flow_hosts->capped() ? "+" : "");
  for (const auto& x : q) {
    o += fmt::format("  {:<8} {:<20} {:<6} {:>5} of {:<5}  {}\n", x.question, x.asks, x.answer, x.hosts_answered, x.hosts_total,
                     terminal_safe(x.how.empty() ? "-" : x.how));
  }
  std::vector<std::string> adds;
  for (const auto& x : q)
    if (!x.to_add.empty() && std::find(adds.begin(), adds.end(), x.to_add) == adds.end()) adds.push_back(x.to_add);
  if (adds.empty()) return;
  o += "  To answer the rest, add:\n";
  for (const auto& a : adds) o += "  - " + terminal_safe(a) + "\n";
  if (flow_only) o += "  Until then, findings on the hosts seen only in flows name the host (outflow.entity \"host\"), not a process.\n";
}

void coverage_questions_json(JsonOut& j, const CoverageInputs& in) {
  const size_t flow_only = in.flow_hosts ? in.flow_hosts->hosts() : 0;
  const auto q = coverage_questions(in);
  const size_t total = q.empty() ? 0 : q.front().hosts_total;
  j.begin_object("questions").unum("hosts", total).unum("hosts_with_endpoint_events", total - flow_only)
      .unum("hosts_flow_only", flow_only).boolean("hosts_flow_only_capped", in.flow_hosts && in.flow_hosts->capped());
  j.begin_array("answers");
  for (const auto& x : q) {
    j.begin_object().str("question", x.question).str("asks", x.asks).str("answer", x.answer).unum("hosts_answered", x.hosts_answered)
        .unum("hosts", x.hosts_total).dbl("share", x.hosts_total ? static_cast<double>(x.hosts_answered) / static_cast<double>(x.hosts_total) : 0.0)
        .str_if("how", x.how).str_if("to_add", x.to_add).end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace outflow
