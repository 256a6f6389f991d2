#include "outflow/simulate/simulator.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include "outflow/simulate/endpoints.h"
#include "outflow/simulate/flow_writers.h"
#include "outflow/simulate/host_sim.h"
#include "outflow/simulate/proxy_net.h"
#include "outflow/simulate/srum_writer.h"
#include "outflow/write/json_out.h"

namespace outflow::sim {

std::string organisation_json(const Organisation& org, uint64_t seed, const std::vector<std::string>& scenarios,
                              double endpoint_share) {
  std::string s;
  JsonOut j(s);
  j.begin_object().begin_object("organisation");
  j.unum("hosts", org.hosts.size()).num("days", org.days).str("start", format_time(org.start)).str("end", format_time(org.end()));
  j.unum("seed", seed).str("domain", org.domain);
  j.begin_array("scenarios");
  for (const auto& n : scenarios) j.str_elem(n);
  j.end_array();
  faults_json(j, org);
  endpoint_json(j, org, endpoint_share);
  proxy_json(j, org);
  const bool flow_only = any_flow_only(org);
  j.begin_array("host_list");
  for (const auto& h : org.hosts) {
    j.begin_object().str("name", h.name).str("role", role_name(h.role)).str("ip", h.ip_text);
    j.str("sysmon_shape", h.shape == SysmonShape::flat ? "flat" : "ecs").num("clock_offset_ms", h.clock_offset / 1'000'000);
    if (h.user >= 0) j.str("user", org.account(h.user));
    host_faults_json(j, h);
    host_endpoint_json(j, h, flow_only);
    j.end_object();
  }
  j.end_array();
  j.end_object().end_object();
  s += '\n';
  return s;
}

std::string label_json(const Label& l) {
  std::string s;
  JsonOut j(s);
  j.begin_object().str("scenario", l.scenario).str("technique", l.technique).str("host", l.host);
  j.begin_array("process_guids");
  for (const auto& g : l.process_guids) j.str_elem(g);
  j.end_array().begin_array("destinations");
  for (const auto& d : l.destinations) j.str_elem(d);
  j.end_array();
  j.str("start", format_time(l.start)).str("end", format_time(l.end)).str("description", l.description);
  j.end_object();
  s += '\n';
  return s;
}

bool simulate(const SimulateOptions& o, SimulateResult& r, std::string& error) {
  namespace fs = std::filesystem;
  r.org = build_organisation(o.seed, o.hosts, o.days, o.start);
  if (!apply_faults(r.org, o.seed, o.clock_skews, o.sensor_drops_outgoing, error)) return false;
  if (!apply_endpoint_share(r.org, o.seed, o.endpoint_share, error)) return false;
  if (o.proxy && !apply_proxy(r.org, o.seed, o.proxy_port, o.proxy_bypass, error)) return false;
  if (o.shapes != SimulateOptions::Shapes::mixed)
    for (auto& h : r.org.hosts) h.shape = o.shapes == SimulateOptions::Shapes::flat ? SysmonShape::flat : SysmonShape::ecs;
  const Organisation& org = r.org;
  std::error_code ec;
  for (const char* sub : {"sysmon", "zeek", "netflow"}) {
    const bool want = sub[0] == 's' ? o.sysmon : sub[0] == 'z' ? o.zeek : o.netflow;
    if (want && !fs::create_directories(o.out + "/" + sub, ec) && ec) {
      error = o.out + "/" + sub + ": " + ec.message();
      return false;
    }
  }
  std::unique_ptr<ZeekWriter> zeek;
  std::unique_ptr<NetflowWriter> netflow;
  if (o.zeek) {
    zeek = std::make_unique<ZeekWriter>(o.seed, org.start);
    if (!zeek->open(o.out + "/zeek", error)) return false;
  }
  if (o.netflow) {
    netflow = std::make_unique<NetflowWriter>(o.active_timeout);
    if (!netflow->open(o.out + "/netflow", error)) return false;
  }
  std::unique_ptr<EveWriter> eve;
  if (o.suricata) {
    if (!fs::create_directories(o.out + "/suricata", ec) && ec) {
      error = o.out + "/suricata: " + ec.message();
      return false;
    }
    eve = std::make_unique<EveWriter>(o.seed, org.start, o.eve_drop_rate);
    if (!eve->open(o.out + "/suricata", error)) return false;
  }
  std::unique_ptr<SrumWriter> srum;
  if (o.srum) {
    if (!fs::create_directories(o.out + "/srum", ec) && ec) {
      error = o.out + "/srum: " + ec.message();
      return false;
    }
    srum = std::make_unique<SrumWriter>(org, o.seed, o.out + "/srum");
  }
  // Without --formats sysmon the host records go nowhere; the flows are the same.
  const std::string sysmon_dir = o.sysmon ? o.out + "/sysmon" : std::string();
  Recorder rec(org, o.seed, sysmon_dir, zeek.get(), netflow.get());
  rec.set_other_events(o.other_events);
  rec.set_eve(eve.get());
  rec.set_srum(srum.get());
  std::unique_ptr<ProxyNet> proxy;
  if (o.proxy) {
    proxy = std::make_unique<ProxyNet>(org, o.seed, o.firewall);
    if (!proxy->open(o.out, o.zeek, error)) return false;
    rec.set_proxy(proxy.get());
    OutputFile cf;
    std::string config = proxy_config_yaml(org);
    if (!cf.open(o.out + "/outflow.yaml", error) || !cf.write(config) || !cf.close(error)) return false;
  }
  std::vector<HostSim> hosts;
  hosts.reserve(org.hosts.size());
  for (const auto& h : org.hosts) hosts.emplace_back(org, h, o.seed, rec);
  std::vector<std::unique_ptr<Scenario>> scenarios;
  for (const auto& n : o.scenarios) scenarios.push_back(make_scenario(n, org, o.seed));

  for (TimeNs t0 = org.start; t0 < org.end(); t0 += kSlice) {
    for (auto& h : hosts) h.run(t0, t0 + kSlice);
    // Scenarios plan an hour at a time; what they start later in the hour waits in the recorder.
    if ((t0 - org.start) % kHour == 0)
      for (auto& s : scenarios) s->run_hour(t0, hosts);
    for (auto& h : hosts) h.reap(t0 + kSlice);
    if (!rec.flush_before(t0 + kSlice, error)) return false;
  }
  // Processes still running when the recording stops have no Sysmon 5, as in real logs.
  if (!rec.flush_before(std::numeric_limits<TimeNs>::max(), error)) return false;
  if (zeek && !zeek->close(org.end(), error)) return false;
  if (netflow && !netflow->close(error)) return false;
  if (eve && !eve->close(error)) return false;
  if (proxy && !proxy->close(error)) return false;

  std::string labels = organisation_json(org, o.seed, o.scenarios, o.endpoint_share);
  for (size_t i = 0; i < scenarios.size(); ++i) {
    if (scenarios[i]->planted()) {
      r.labels.push_back(scenarios[i]->label());
      labels += label_json(r.labels.back());
    } else {
      r.not_planted.push_back(o.scenarios[i]);
    }
  }
  OutputFile lf;
  if (!lf.open(o.out + "/labels.jsonl", error) || !lf.write(labels) || !lf.close(error)) {
    if (error.empty()) error = o.out + "/labels.jsonl: write error";
    return false;
  }
  // Files an older run left (a flow-only host's file is one): readers given the folder would read them too.
  const auto stale = [&](const char* sub, auto name_of) {
    std::set<std::string> ours;
    for (const auto& h : org.hosts)
      if (h.endpoint) ours.insert(name_of(h));
    for (const auto& e : fs::directory_iterator(o.out + "/" + sub, ec))
      if (!ours.count(e.path().filename().string())) r.stale.push_back(e.path().string());
  };
  if (o.sysmon) stale("sysmon", [](const Host& h) { return h.name + ".jsonl"; });
  if (o.srum) stale("srum", [](const Host& h) { return SrumWriter::file_name(h); });
  std::sort(r.stale.begin(), r.stale.end());
  for (const auto& h : org.hosts) r.endpoint_hosts += h.endpoint ? 1 : 0;
  r.sysmon_bytes = rec.sysmon_bytes();
  r.conn_records = zeek ? zeek->conn_records() : 0;
  r.netflow_records = netflow ? netflow->records() : 0;
  r.eve_records = eve ? eve->records() : 0;
  r.srum_rows = srum ? srum->rows() : 0;
  r.squid_records = proxy ? proxy->squid_records() : 0;
  r.firewall_records = proxy ? proxy->firewall_records() : 0;
  return true;
}

}  // namespace outflow::sim
