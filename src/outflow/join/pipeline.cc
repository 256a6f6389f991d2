#include "outflow/join/pipeline.h"

#include <algorithm>

namespace outflow {

namespace {
// A sensor's session can reach the merge as late as the stitcher's idle time after its last
// record, plus the time to its next sweep (a quarter of idle: FlowStitcher::maybe_sweep):
// NetFlow pieces, Zeek open_conn snapshots and firewall start logs wait for more. The other
// sensor's session of it is held that long.
SensorMerge::Options merge_options(const PipelineOptions& o) {
  SensorMerge::Options m = o.sensor_merge;
  m.hold = std::max(m.hold, o.stitch.idle + o.stitch.idle / 2 + o.stitch.gap + m.slack);
  return m;
}
}  // namespace

SessionPipeline::SessionPipeline(PipelineOptions o, OnSession on_session)
    : procs_(hosts_, o.max_processes),
      index_(o.index_caps),
      attributor_(procs_, index_, offsets_, o.attribute),
      stitcher_(o.stitch,
                [this](Session&& s) {
                  if (merge_engaged_) merge_.add(std::move(s), stitcher_.watermark());
                  else emit(std::move(s));
                }),
      merge_(merge_options(o), [this](Session&& s) { emit(std::move(s)); }),
      merge_sensors_(o.merge_sensors),
      on_session_(std::move(on_session)),
      retention_(o.retention),
      evict_processes_(o.evict_processes),
      live_processes_(std::max<size_t>(o.live_processes, 1)),
      live_connects_(std::max<size_t>(o.live_connects, 1)),
      live_addresses_(std::max<size_t>(o.live_addresses, 1)),
      process_trigger_(live_processes_),
      connect_trigger_(live_connects_),
      address_trigger_(live_addresses_) {
  proxies_.configure(o.proxies);
  relay_merge_hold_ = merge_options(o).hold;
}

void SessionPipeline::advance(TimeNs now) {
  if (now == kNoTime) return;
  if (relay_on_) relay_tick(now);
  index_.set_clock(now);
  procs_.set_clock(now);
  if (retention_ <= 0) return;
  if (last_evict_ == kNoTime) index_.enable_eviction();  // from the first record on
  // Once an hour of record time: against a retention of days that is soon enough, and the
  // per-destination entries are swept each time (measured: every 10 minutes cost 4% of
  // `sessions`).
  if (last_evict_ != kNoTime && now < last_evict_ + 3600 * kNsPerSec) return;
  last_evict_ = now;
  const TimeNs horizon = now - retention_;
  // Connection events first: a process goes only when nothing that arrived after its last
  // event remains, so no index entry names a forgotten (reused) process id.
  index_.evict_before(horizon);
  index_.apps().evict_before(horizon);
  if (!evict_processes_) return;
  procs_.evict_before(horizon, on_evict_);
  // The per-destination entries of forgotten processes are swept in batches (a sweep walks
  // the whole table: after each hourly pass it cost 2.5% of `sessions`); until then their
  // slots are not reused and read as forgotten.
  if (procs_.forgotten_pending() >= 4096 || last_release_ == kNoTime || now >= last_release_ + 86400 * kNsPerSec) {
    index_.forget_processes(procs_.release_forgotten());
    last_release_ = now;
  }
}

void SessionPipeline::relieve_pressure() {
  // Only with the index's arrival clock (a retention): it is what keeps a forgotten process's
  // id out of the index.
  // A pass that could not forget enough (every process a parent of another, say) is not tried
  // again until the table has grown by an eighth more: never a scan per event.
  const auto rearm = [this] {
    process_trigger_ = std::max(live_processes_, procs_.live() + live_processes_ / 8);
    connect_trigger_ = std::max<size_t>(live_connects_, index_.connects_stored() + live_connects_ / 8);
    address_trigger_ = std::max(live_addresses_, index_.addresses() + live_addresses_ / 8);
  };
  if (retention_ <= 0 || last_evict_ == kNoTime) return rearm();
  if (index_.addresses() > live_addresses_) {
    // An address forgotten is learned again from its host's next connection event.
    const uint64_t before = index_.addresses_forgotten();
    index_.forget_addresses(live_addresses_ / 4 + 1);
    stats_.pressure_addresses += index_.addresses_forgotten() - before;
    ++stats_.pressure_passes;
  }
  if (index_.connects_stored() > live_connects_) {
    const uint64_t before = index_.connects_evicted();
    index_.evict_before(index_.arrival_of_oldest(live_connects_ / 4 + 1));
    stats_.pressure_connects += index_.connects_evicted() - before;
    ++stats_.pressure_passes;
  }
  if (evict_processes_ && procs_.live() > live_processes_) {
    const TimeNs h = procs_.idle_horizon(live_processes_ / 4 + 1);
    if (h != kNoTime) {
      ++stats_.pressure_passes;
      // Their connection events first (each arrived no later than its process was last named),
      // so no index entry names a forgotten id.
      const uint64_t before = index_.connects_evicted();
      index_.evict_before(h);
      stats_.pressure_connects += index_.connects_evicted() - before;
      stats_.pressure_processes += procs_.evict_idle_before(h, on_evict_).size();
      index_.forget_processes(procs_.release_forgotten());
    }
  }
  rearm();
}

namespace {
int flow_sensor_kind(FlowSource s) { return static_cast<int>(sensor_kind(s)); }

void widen(TimeNs& first, TimeNs& last, TimeNs t) {
  if (t == kNoTime) return;
  if (first == kNoTime || t < first) first = t;
  if (last == kNoTime || t > last) last = t;
}
}  // namespace

void SessionPipeline::on_host_event(const HostEvent& e) {
  ++stats_.host_events;
  const HostId host = hosts_.intern(e.host);
  if (host == kNoHost) return;  // host table full: counted by hosts_.dropped()
  HostCoverage& hc = stats_.hosts[host];
  ++hc.events[e.event_id];
  ++hc.time_fields[e.time_field];
  widen(hc.first, hc.last, e.time);
  if (procs_.live() > process_trigger_ || index_.connects_stored() > connect_trigger_ ||
      index_.addresses() > address_trigger_)
    relieve_pressure();
  const ProcId proc = procs_.on_event(e, host);
  offsets_.count_event({host, e.event_id, e.time_field});
  if (e.type == HostEventType::net_connect) {
    index_.add_connect(e, host, proc);
    // A process's first connection cannot come before its start: the check of its start clock.
    if (proc != kNoProc && procs_.first_connect(proc)) {
      const Process& p = procs_.get(proc);
      if (p.start != kNoTime && p.origin == Process::Origin::start_event)
        offsets_.add_process_check({host, p.start_event, p.start_field}, p.start, {host, e.event_id, e.time_field}, e.time);
    }
  } else if (e.type == HostEventType::dns_query) {
    // QueryResults: "::ffff:172.18.39.6;10.0.0.1;type:  5 cdn.example.net;"
    std::string_view rest = e.query_results;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view item = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      IpAddr ip;
      if (IpAddr::parse(item, ip)) index_.add_dns(host, IpAddr{}, e.time, e.query_name, ip);
    }
  }
}

void SessionPipeline::on_flow(const FlowRecord& f) {
  ++stats_.flow_records;
  if (proxies_.is_configured(f.resp_h, f.resp_p)) proxies_.note_sensor_client(f.orig_h);
  // A proxy's own connection out (e.g. the perimeter firewall's log of proxy -> Internet) carries
  // requests whose client legs are the sessions: counted, never a session of its own (docs/proxies.md).
  if (relay_on_) relay_tick(f.end != kNoTime ? f.end : f.start);
  if (!f.resp_h.is_private() && proxies_.is_proxy_host(f.orig_h)) {
    ++proxies_.relayed_flows;
    add_relayed(f);  // kept for the link to its client leg's session (join/relay_sessions.cc)
    return;
  }
  // A connection the firewall denied or dropped moved nothing out: not a session, counted.
  if (f.verdict == FlowVerdict::denied) {
    ++stats_.denied_flows;
    return;
  }
  // Records of one file share a sensor: look it up only when it changes.
  if (!last_sensor_ || f.sensor != last_sensor_name_) {
    last_sensor_ = &sensor_coverage(f.sensor);
    last_sensor_name_ = f.sensor;
  }
  SensorCoverage& sc = *last_sensor_;
  sc.kind = flow_source_name(f.source);
  ++sc.records;
  widen(sc.first, sc.last, f.start);
  widen(sc.first, sc.last, f.end);
  if (f.bidirectional && f.source != FlowSource::nfdump && f.orig_pkts == 0 && f.resp_pkts > 0 &&
      (f.source == FlowSource::zeek_conn || f.source == FlowSource::suricata)) {
    ++sc.one_sided;
    sc.one_sided_resp_bytes += f.resp_bytes;
  }
  attributor_.observe_flow(f);
  // A second kind of sensor: from now on the same connection may come twice (SensorMerge).
  if (const int kind = flow_sensor_kind(f.source); first_flow_kind_ != kind) {
    if (first_flow_kind_ < 0) first_flow_kind_ = kind;
    else merge_engaged_ |= merge_sensors_;
  }
  stitcher_.add(f);
}

SensorCoverage& SessionPipeline::sensor_coverage(const std::string& name) {
  auto it = stats_.sensors.find(name);
  if (it != stats_.sensors.end()) return it->second;
  // Sensor names come from records (Zeek _node_name): past the cap, one bucket for the rest.
  if (stats_.sensors.size() >= kMaxSensors) return stats_.sensors[kOtherSensors];
  return stats_.sensors[name];
}

void SessionPipeline::on_dns(const DnsAnswer& d) {
  ++stats_.dns_answers;
  for (const auto& a : d.answers) index_.add_dns(kNoHost, d.client, d.time, d.query, a);
  // A reverse lookup names the address it asks for, as a DHCP lease does (flow-only hosts).
  if (IpAddr addr; !d.ptr_name.empty() && IpAddr::from_reverse_name(d.query, addr))
    index_.apps().add_lease(DhcpLease{d.time, addr, d.ptr_name, {}});
  if (on_dns_) on_dns_(d, d.client.is_unset() ? kNoHost : index_.host_of(d.client, d.time));
}

void SessionPipeline::on_file(const FileRecord& f) {
  ++stats_.file_records;
  index_.apps().add_file(f);
}

void SessionPipeline::on_alert(const AlertRecord& a) {
  ++stats_.alert_records;
  index_.apps().add_alert(a);
}

void SessionPipeline::on_app(const AppRecord& r) {
  ++stats_.app_records;
  proxies_.observe(r);
  // The name also serves other sessions to the address, time-aware like a DNS answer to the
  // client. Not a proxy's: requests through it name its targets (AppNames::add).
  if (index_.apps().add(r) && !r.name.empty()) index_.add_dns(kNoHost, r.orig_h, r.ts, r.name, r.resp_h);
}

void SessionPipeline::on_dhcp(const DhcpLease& d) {
  ++stats_.dhcp_leases;
  index_.apps().add_lease(d);
}

void SessionPipeline::on_capture_loss(const CaptureLossRecord& l) {
  ++stats_.capture_loss_records;
  auto it = stats_.capture_loss.find(l.peer);
  if (it == stats_.capture_loss.end())
    it = stats_.capture_loss.size() < kMaxSensors ? stats_.capture_loss.emplace(l.peer, CaptureLoss{}).first
                                                  : stats_.capture_loss.try_emplace(kOtherSensors).first;
  CaptureLoss& c = it->second;
  ++c.intervals;
  c.gaps += l.gaps;
  c.acks += l.acks;
  if (l.percent_lost <= 0 && l.gaps == 0) return;
  ++c.intervals_with_loss;
  c.max_percent = std::max(c.max_percent, l.percent_lost);
  const TimeNs start = l.ts - l.ts_delta;
  widen(c.first_loss, c.last_loss, start);
  widen(c.first_loss, c.last_loss, l.ts);
  if (c.lossy.size() >= CaptureLoss::kMaxIntervals) {
    ++c.intervals_dropped;
    return;
  }
  c.lossy.push_back({start, l.ts, l.percent_lost, l.gaps, l.acks});
}

double PipelineStats::max_loss_between(TimeNs from, TimeNs to) const {
  double m = 0;
  for (const auto& [peer, c] : capture_loss) {
    if (c.first_loss == kNoTime || c.last_loss < from || c.first_loss > to) continue;
    for (const LossInterval& i : c.lossy)
      if (i.end >= from && i.start <= to) m = std::max(m, i.percent);
  }
  return m;
}

void SessionPipeline::emit(Session&& s) {
  if (relay_on_ && hold_for_relay(s)) return;
  deliver(std::move(s));
}

void SessionPipeline::deliver(Session&& s) {
  Attribution a = attributor_.attribute(s);
  proxy_attribution_.refine(s, index_.apps(), procs_, a);  // a proxied session's process by the host it named
  ++stats_.sessions;
  const uint64_t bytes = s.orig_bytes + s.resp_bytes;
  stats_.bytes += bytes;
  ++stats_.by_status[a.status];
  stats_.bytes_by_status[a.status] += bytes;
  if (netflow_source(s.source)) {
    SensorCoverage& sc = sensor_coverage(s.sensor);
    ++sc.sessions;
    if (!(s.seen_orig_dir && s.seen_resp_dir)) ++sc.unpaired_sessions;
  }
  // Initiators whose bytes the sensor did not see (a sensor without their outgoing packets).
  if (s.orig_unknown) ++stats_.sessions_out_unknown;
  {
    auto it = stats_.out_unknown_by_addr.find(s.orig_h);
    if (it == stats_.out_unknown_by_addr.end() && s.orig_unknown && stats_.out_unknown_by_addr.size() < PipelineStats::kMaxGapAddresses)
      it = stats_.out_unknown_by_addr.emplace(s.orig_h, std::pair<uint64_t, uint64_t>{0, 0}).first;
    if (it != stats_.out_unknown_by_addr.end()) {
      it->second.first += s.orig_unknown;
      ++it->second.second;
    }
  }
  // Per-host attribution coverage, for every monitored host that owns an end of the session.
  for (const IpAddr* ip : {&s.orig_h, &s.resp_h}) {
    const HostId h = index_.host_of(*ip, s.start);
    if (h == kNoHost) continue;
    HostCoverage& hc = stats_.hosts[h];
    ++hc.sessions;
    hc.sessions_out_unknown += ip == &s.orig_h ? s.orig_unknown : s.resp_unknown;
    hc.bytes += bytes;
    if (a.host == h && (a.status == AttributionStatus::matched || a.status == AttributionStatus::inferred)) {
      ++hc.sessions_attributed;
      if (a.status == AttributionStatus::inferred) ++hc.sessions_inferred;
      hc.bytes_attributed += bytes;
    }
    if (s.orig_h == s.resp_h) break;
  }
  if (on_session_) on_session_(s, a);
  index_.apps().forget(s);
}

void SessionPipeline::finish() {
  stitcher_.finish();
  merge_.finish();
  release_relayed(true);
  proxies_.relay.finish();
}

}  // namespace outflow
