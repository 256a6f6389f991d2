#include "outflow/write/session_json.h"

#include "outflow/join/community_id.h"
#include "outflow/write/json_out.h"

namespace outflow {

std::pair<std::string_view, std::string_view> split_user(std::string_view user) {
  const size_t bs = user.find('\\');
  if (bs == std::string_view::npos) return {{}, user};
  return {user.substr(0, bs), user.substr(bs + 1)};
}

namespace {

std::string_view attribution_reason(const Attribution& a) {
  switch (a.status) {
    case AttributionStatus::matched:
      return a.event_id == 3 ? "Sysmon 3 with the same 5-tuple" : "Security 5156 with the same 5-tuple";
    case AttributionStatus::inferred:
      return "no event for this connection; the only process of this host that connected to the same "
             "destination and port while alive (Sysmon logs a process's connection to a destination once)";
    case AttributionStatus::ambiguous:
      return "several processes fit equally well";
    case AttributionStatus::no_endpoint_event:
      return "the host is monitored but logged no Sysmon 3 / 5156 event for this connection";
    case AttributionStatus::host_unknown:
      return "no monitored host owns either address";
  }
  return "";
}

}  // namespace

struct SessionJsonWriter::Rendered {
  ProcId id = kNoProc;
  uint64_t generation = 0;
  // The process's members of the top object ("user":{...},"process":{...}), then its members
  // of "outflow" ("lineage":[...] ... "recovered":true): two runs, because "source",
  // "destination" and "network" come between them.
  std::string text;
  size_t split = 0;  // where the second run starts
  size_t top_replaced = 0, outflow_replaced = 0;

  std::string_view top() const { return std::string_view(text).substr(0, split); }
  std::string_view outflow() const { return std::string_view(text).substr(split); }
};

namespace {

void render_process(SessionJsonWriter::Rendered& r, ProcId id, const SessionPipeline& p) {
  const Process* proc = &p.processes().get(id);
  r.text.clear();
  JsonOut j = JsonOut::in_object(r.text);
  if (!proc->user.empty()) {
    auto [dom, name] = split_user(proc->user);
    j.begin_object("user").str("name", name).str_if("domain", dom).end_object();
  }
  j.begin_object("process");
  j.str_if("executable", proc->image);
  if (!proc->image.empty()) {
    const size_t slash = proc->image.find_last_of("\\/");
    j.str("name", slash == std::string::npos ? std::string_view(proc->image)
                                            : std::string_view(proc->image).substr(slash + 1));
  }
  if (proc->pid) j.unum("pid", proc->pid);
  j.str_if("entity_id", proc->guid);
  j.str_if("command_line", proc->command_line);
  if (proc->start != kNoTime) j.time("start", proc->start);
  if (proc->parent != kNoProc) {
    const Process& pp = p.processes().get(proc->parent);
    j.begin_object("parent").str_if("executable", pp.image);
    if (pp.pid) j.unum("pid", pp.pid);
    j.str_if("entity_id", pp.guid).str_if("command_line", pp.command_line).end_object();
  }
  j.end_object();
  r.split = r.text.size();
  r.top_replaced = j.replaced_bytes();

  JsonOut o = JsonOut::in_object(r.text);
  o.begin_array("lineage");
  bool truncated = false;
  for (ProcId lid : p.processes().lineage(id, &truncated)) {
    const Process& lp = p.processes().get(lid);
    o.str_elem(lp.image.empty() ? std::string_view("?") : std::string_view(lp.image));
  }
  o.end_array();
  if (truncated) o.boolean("lineage_truncated", true);
  if (proc->parent == kNoProc) o.str("lineage_root", "parent unknown (started before logging or not logged)");
  o.str_if("integrity_level", proc->integrity_level);
  // Some event of the process came from a damaged EVTX chunk: its fields may be corrupt.
  if (proc->recovered) o.boolean("recovered", true);
  r.outflow_replaced = o.replaced_bytes();
}

// `r`: the rendered process of a.proc (nullptr without a process).
size_t write_line(std::string& out, const Session& s, const Attribution& a, const SessionPipeline& p,
                  const SessionJsonWriter::Rendered* r) {
  JsonOut j(out);
  // Orientation: source = the attributed host's side (source.bytes = bytes the host sent);
  // without a host, source = the initiator.
  const bool host_orig = a.host == kNoHost || a.host_is_orig;
  const IpAddr& src = host_orig ? s.orig_h : s.resp_h;
  const IpAddr& dst = host_orig ? s.resp_h : s.orig_h;
  const uint16_t sport = host_orig ? s.orig_p : s.resp_p, dport = host_orig ? s.resp_p : s.orig_p;
  const uint64_t sbytes = host_orig ? s.orig_bytes : s.resp_bytes, dbytes = host_orig ? s.resp_bytes : s.orig_bytes;
  const uint64_t spk = host_orig ? s.orig_pkts : s.resp_pkts, dpk = host_orig ? s.resp_pkts : s.orig_pkts;

  j.begin_object();
  j.time("@timestamp", s.start);
  j.begin_object("event").str("kind", "event").str("category", "network").time("start", s.start)
      .time("end", s.end).num("duration", s.end >= s.start ? s.end - s.start : 0).end_object();
  const Process* proc = r ? &p.processes().get(a.proc) : nullptr;
  if (a.host != kNoHost) j.begin_object("host").str("name", p.hosts().display_name(a.host)).end_object();
  if (r) j.members(r->top(), r->top_replaced);
  // A direction the sensor did not see has no bytes: absent, never 0 (outflow.volume_unknown).
  const bool s_unknown = host_orig ? s.orig_unknown : s.resp_unknown, d_unknown = host_orig ? s.resp_unknown : s.orig_unknown;
  // The firewall's view (PAN-OS, FortiGate): its user is the initiator's (User-ID), its
  // post-NAT addresses are what the Internet saw (ECS source.nat / destination.nat).
  const FirewallView& fw = s.fw;
  const auto nat = [&](bool orig_side) {
    if (!fw.has_nat) return;
    const IpAddr& ip = orig_side ? fw.nat_orig_h : fw.nat_resp_h;
    const uint16_t port = orig_side ? fw.nat_orig_p : fw.nat_resp_p;
    if (ip.is_unset() || (ip == (orig_side ? s.orig_h : s.resp_h) && port == (orig_side ? s.orig_p : s.resp_p))) return;
    j.begin_object("nat").str("ip", ip.to_string()).unum("port", port).end_object();
  };
  const auto fw_user = [&](bool orig_side) {
    if (!orig_side || fw.user.empty()) return;
    auto [dom, name] = split_user(fw.user);
    j.begin_object("user").str("name", name).str_if("domain", dom).end_object();
  };
  j.begin_object("source").str("ip", src.to_string()).unum("port", sport);
  if (!s_unknown) j.unum("bytes", sbytes).unum("packets", spk);
  nat(host_orig);
  fw_user(host_orig);
  j.end_object();
  const std::string domain = p.index().destination_name(s, dst, a.host, src);
  // A Squid request with no proxy address known: no destination address (docs/proxies.md).
  j.begin_object("destination").str_if("ip", dst.is_unset() ? std::string() : dst.to_string()).unum("port", dport);
  if (!d_unknown) j.unum("bytes", dbytes).unum("packets", dpk);
  nat(!host_orig);
  fw_user(!host_orig);
  j.str_if("domain", domain).end_object();
  j.begin_object("network").str("transport", proto_name(s.proto))
      .str("community_id", community_id_v1(s.orig_h, s.orig_p, s.resp_h, s.resp_p, s.proto));
  if (!s_unknown && !d_unknown) j.unum("bytes", s.orig_bytes + s.resp_bytes).unum("packets", s.orig_pkts + s.resp_pkts);
  if (a.host != kNoHost) j.str("direction", host_orig ? "outbound" : "inbound");
  j.str_if("application", fw.app);
  j.end_object();

  j.begin_object("outflow");
  if (r) j.members(r->outflow(), r->outflow_replaced);
  if (s_unknown || d_unknown)
    j.begin_object("volume_unknown").str("direction", s_unknown && d_unknown ? "both" : s_unknown ? "source" : "destination")
        .str("reason", volume_gap_reason(s.gap)).end_object();
  if (const AppNames::ConnApp* c = p.index().apps().conn(s); c && c->alerts > 0) {  // IDS alerts (join/ids_alerts.h)
    const AppNames& names = p.index().apps();
    j.begin_object("ids_alert").unum("alerts", c->alerts).unum("policy_or_c2", c->alerts_relevant);
    if (c->alert_signature != AppNames::kNone) j.str("signature", names.name(c->alert_signature));
    if (c->alert_category != AppNames::kNone) j.str("category", names.name(c->alert_category));
    if (c->alert_severity) j.unum("severity", c->alert_severity);
    j.end_object();
  }
  // A proxied session linked to the proxy's own connection out (join/relay_link.h): where that
  // went, and whether the bytes out above are its (the client leg's were not logged).
  if (!s.relay_h.is_unset()) {
    j.begin_object("proxy_outer_leg").str("destination_ip", s.relay_h.to_string());
    if (s.orig_from_relay) j.boolean("source_bytes_from_outer_leg", true);
    j.end_object();
  }
  j.begin_object("attribution").str("status", attribution_status_name(a.status)).str("reason", attribution_reason(a));
  if (a.event_id) j.unum("event_id", a.event_id);
  if (a.status == AttributionStatus::matched) j.num("event_delta_ms", a.event_delta / 1'000'000);
  if (a.host != kNoHost) {
    j.boolean("clock_offset_known", a.offset_known);
    if (a.offset_known) j.num("clock_offset_ms", a.offset / 1'000'000).str("clock_offset_source", offset_source_name(a.offset_source));
  }
  if (!a.candidates.empty()) {
    j.begin_array("candidates");
    for (ProcId c : a.candidates) {
      const Process& cp = p.processes().get(c);
      j.str_elem(cp.image + (cp.guid.empty() ? "" : " " + cp.guid));
    }
    j.end_array();
  }
  j.end_object();
  j.begin_object("session").unum("records", s.records).unum("sensors", s.sensors).str("source", flow_source_name(s.source)).str_if("sensor", s.sensor)
      .str_if("uid", s.uid).str_if("conn_state", s.conn_state).str_if("history", s.history).str_if("service", s.service);
  if (s.merged) {
    // Another kind of sensor logged the same connection: merged, not a session of its own.
    j.str("merged_source", flow_source_name(s.merged_source));
    if (s.merged_by_nat) j.boolean("merged_by_nat", true);
  }
  if (netflow_source(s.source)) {
    j.boolean("initiator_inferred", s.initiator_inferred);
    j.boolean("both_directions_seen", s.seen_orig_dir && s.seen_resp_dir);
  }
  j.end_object();
  // Every string above was written by now: flag the line if any had bytes replaced here, or
  // if the process's own record was repaired when read.
  if (j.replaced_bytes() > 0 || (proc && proc->invalid_utf8)) j.boolean("invalid_utf8", true);
  j.end_object();
  j.end_object();
  out.push_back('\n');
  return j.replaced_bytes();
}

}  // namespace

SessionJsonWriter::SessionJsonWriter()
    : cache_(std::make_unique<Rendered[]>(kEntries)), scratch_(std::make_unique<Rendered>()) {}
SessionJsonWriter::~SessionJsonWriter() = default;

const SessionJsonWriter::Rendered& SessionJsonWriter::rendered(ProcId id, const SessionPipeline& p) {
  const uint64_t generation = p.processes().generation();
  Rendered& e = cache_[id % kEntries];
  if (e.id == id && e.generation == generation) {
    ++hits_;
    return e;
  }
  ++misses_;
  render_process(*scratch_, id, p);
  if (scratch_->text.size() > kMaxCachedBytes) return *scratch_;  // kept out: the bound holds
  e.text.assign(scratch_->text);
  e.split = scratch_->split;
  e.top_replaced = scratch_->top_replaced;
  e.outflow_replaced = scratch_->outflow_replaced;
  e.id = id;
  e.generation = generation;
  return e;
}

size_t SessionJsonWriter::write(std::string& out, const Session& s, const Attribution& a, const SessionPipeline& p) {
  return write_line(out, s, a, p, a.proc != kNoProc ? &rendered(a.proc, p) : nullptr);
}

size_t write_session_json(std::string& out, const Session& s, const Attribution& a, const SessionPipeline& p) {
  if (a.proc == kNoProc) return write_line(out, s, a, p, nullptr);
  SessionJsonWriter::Rendered r;
  render_process(r, a.proc, p);
  return write_line(out, s, a, p, &r);
}

}  // namespace outflow
