// The join, end to end: host events build the process table and the endpoint index; flow
// records are stitched into sessions; each session is attributed to a process as it is emitted.
//
// Order matters: a session is attributed when the stitcher emits it, so the endpoint events
// that explain it must have arrived by then. Either endpoint inputs are read before flow inputs
// (everything is kept), or all inputs are read merged by time with the endpoint side ahead
// (read/merged_reader.h) and advance() lets old connection events go. Memory is the live
// state: the process table, the connection index and open sessions, each capped.
// Not thread-safe.
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <string>

#include "outflow/join/attributor.h"
#include "outflow/join/flow_stitcher.h"
#include "outflow/join/sensor_merge.h"
#include "outflow/join/proxy_attribution.h"
#include "outflow/join/proxy_finder.h"
#include "outflow/read/sink.h"

namespace outflow {

struct PipelineOptions {
  size_t max_processes = 4'000'000;
  // With inputs read merged by time (advance() called with the reader's clock): connection
  // events are forgotten this long after they arrived (endpoint events arrive the reader's lead
  // ahead of their time: the retention must cover the lead, then the longest session). 0 keeps
  // everything (inputs read one after another, endpoint files first).
  TimeNs retention = 0;
  // With a retention: forget processes that ended and that no event named for that long, once
  // none of their children is left (ProcessTable::evict_before).
  bool evict_processes = true;
  // Memory bound, with a retention: when more processes than `live_processes` are held, the
  // quarter that no event named for longest (and that no held process names as parent) is
  // forgotten with their connection events, running or not; when more connection events than
  // `live_connects` wait for their flows, the oldest quarter goes. A collector's file of 200
  // hosts x 20,000 never-ending processes in 8 hours otherwise held 1.2 million processes within
  // the retention (850 MB). Real organisations stay far below (50 hosts: about 10,000 processes
  // live); what is forgotten this way is counted (PipelineStats::pressure_*).
  size_t live_processes = 120'000;
  size_t live_connects = 500'000;
  size_t live_addresses = 250'000;  // addresses whose owning host was learned
  EndpointIndex::Caps index_caps;
  FlowStitcher::Options stitch;
  // Sessions of one connection logged by sensors of different kinds (Zeek and a firewall...)
  // are merged (join/sensor_merge.h), from the first record of a second kind on.
  bool merge_sensors = true;
  SensorMerge::Options sensor_merge;
  Attributor::Options attribute;
  std::vector<ProxyAddress> proxies;  // the config's `proxies:` (reported by coverage with the ones found)
};

// Counters for `outflow coverage`.
struct HostCoverage {
  std::map<uint16_t, uint64_t> events;  // by event id
  TimeNs first = kNoTime, last = kNoTime;
  std::map<TimeField, uint64_t> time_fields;
  uint64_t sessions = 0, sessions_attributed = 0, sessions_inferred = 0;
  uint64_t bytes = 0, bytes_attributed = 0;
  // Sessions in which the sensor saw none of the host's own bytes (Session::*_unknown).
  uint64_t sessions_out_unknown = 0;
};

struct SensorCoverage {
  uint64_t records = 0;
  TimeNs first = kNoTime, last = kNoTime;
  std::string kind;
  // Zeek: connections where the originator sent no packets while the responder sent some (SHR,
  // OTH...): the sensor does not see the hosts' outgoing packets.
  uint64_t one_sided = 0, one_sided_resp_bytes = 0;
  // NetFlow: sessions of which only one direction was exported.
  uint64_t unpaired_sessions = 0, sessions = 0;
};

// Zeek capture_loss.log of one sensor (`peer`): intervals where it missed packets. Flows and
// byte counts from those spans may be short.
struct LossInterval {
  TimeNs start = kNoTime, end = kNoTime;
  double percent = 0;
  uint64_t gaps = 0, acks = 0;
};
struct CaptureLoss {
  static constexpr size_t kMaxIntervals = 1000;  // intervals with loss kept; the rest counted
  uint64_t intervals = 0, intervals_with_loss = 0, intervals_dropped = 0;
  uint64_t gaps = 0, acks = 0;  // totals over every interval
  double max_percent = 0;
  TimeNs first_loss = kNoTime, last_loss = kNoTime;  // span of the intervals with loss
  std::vector<LossInterval> lossy;                     // in arrival order, at most kMaxIntervals
};

struct PipelineStats {
  std::map<HostId, HostCoverage> hosts;
  std::map<std::string, SensorCoverage> sensors;
  uint64_t sessions = 0, bytes = 0;
  std::map<AttributionStatus, uint64_t> by_status;
  std::map<AttributionStatus, uint64_t> bytes_by_status;
  uint64_t host_events = 0, flow_records = 0, dns_answers = 0;
  uint64_t denied_flows = 0;  // firewall records of denied/dropped connections: read, not sessions
  // Sessions whose initiator's bytes the sensor did not see, per initiator address (monitored
  // or not: flow-only hosts too), capped at kMaxGapAddresses addresses (the rest in the total).
  static constexpr size_t kMaxGapAddresses = 10'000;
  uint64_t sessions_out_unknown = 0;
  std::map<IpAddr, std::pair<uint64_t, uint64_t>> out_unknown_by_addr;  // address -> (unknown, sessions)
  uint64_t app_records = 0, dhcp_leases = 0, capture_loss_records = 0, file_records = 0;
  uint64_t alert_records = 0;  // IDS alerts (Suricata EVE), joined to sessions (join/ids_alerts.h)
  // Forgotten early to stay within PipelineOptions::live_processes / live_connects.
  uint64_t pressure_passes = 0, pressure_processes = 0, pressure_connects = 0, pressure_addresses = 0;
  // By sensor (capture_loss.log `peer`), at most SessionPipeline::kMaxSensors names.
  std::map<std::string, CaptureLoss> capture_loss;
  // The highest loss any sensor reported for an interval overlapping [from, to]; 0 if none
  // (for caveats on findings in those spans).
  double max_loss_between(TimeNs from, TimeNs to) const;
};

class SessionPipeline final : public RecordSink {
 public:
  // Coverage keeps per-sensor counters for this many sensor names; the rest share one entry.
  static constexpr size_t kMaxSensors = 10'000;
  static constexpr const char* kOtherSensors = "(more sensors than the coverage report keeps)";
  using OnSession = std::function<void(const Session&, const Attribution&)>;
  SessionPipeline(PipelineOptions o, OnSession on_session);

  void on_host_event(const HostEvent& e) override;
  void on_flow(const FlowRecord& f) override;
  void on_dns(const DnsAnswer& d) override;
  // Zeek ssl/http: names for the connection's responder (EndpointIndex::destination_name) and
  // HTTP request bytes per connection (AppNames), kept until its session is emitted.
  void on_app(const AppRecord& r) override;
  // Zeek dhcp.log: host names of addresses (EndpointIndex::name_for_address).
  void on_dhcp(const DhcpLease& d) override;
  // Zeek capture_loss.log: per sensor (PipelineStats::capture_loss).
  void on_capture_loss(const CaptureLossRecord& l) override;
  // Zeek files.log: files the originator sent, per connection (AppNames::add_file).
  void on_file(const FileRecord& f) override;
  void on_alert(const AlertRecord& a) override;
  // A Squid access.log record (join/squid_sessions.cc): a session of its own to the named host,
  // unless a sensor in front of the proxy saw the client's traffic (then it is that session's).
  void on_proxy(const ProxyRecord& p) override;
  // Every DNS query (answered or not) with the monitored host that has its client address then
  // (kNoHost if none): the detector's DNS tunnelling view (features/dns_view.h).
  using OnDns = std::function<void(const DnsAnswer&, HostId)>;
  void set_on_dns(OnDns on_dns) { on_dns_ = std::move(on_dns); }
  // The reader's clock, when inputs are read merged by time (read/merged_reader.h): stamps what
  // arrives next and, with a retention, forgets what is older than now - retention.
  void advance(TimeNs now);
  // `on_evict` sees each process just before it is forgotten (the detector retires it then).
  void set_on_evict(std::function<void(ProcId)> on_evict) { on_evict_ = std::move(on_evict); }
  void finish();

  const HostRegistry& hosts() const { return hosts_; }
  HostId intern_host(std::string_view name) { return hosts_.intern(name); }
  // Estimates to start from (a survey's, join/clock_survey.h), until a clock has its own samples.
  void set_clock_priors(const std::vector<std::pair<ClockKey, OffsetEstimate>>& p) { offsets_.set_priors(p); }
  const ProcessTable& processes() const { return procs_; }
  // For the detector only: to put retired processes back for scoring (ProcessTable::restore).
  ProcessTable& mutable_processes() { return procs_; }
  const EndpointIndex& index() const { return index_; }
  const ClockOffsets& offsets() const { return offsets_; }
  const FlowStitcher& stitcher() const { return stitcher_; }
  const SensorMerge& sensor_merge() const { return merge_; }
  // Whether flows of two kinds of sensor were read (sessions then pass through sensor_merge()).
  bool sensors_merged() const { return merge_engaged_; }
  // Merge from the first record on (the caller knows two kinds of sensor come): otherwise the
  // merge starts at the first record of a second kind, and a connection whose other record
  // came just before that is counted twice.
  void engage_sensor_merge() { merge_engaged_ = merge_sensors_; }
  bool sensor_merge_engaged() const { return merge_engaged_; }
  // Whether Zeek and Suricata may both have logged a connection (FlowStitcher::set_cross_sensor).
  void set_cross_sensor_dedupe(bool on) { stitcher_.set_cross_sensor(on); }
  const PipelineStats& stats() const { return stats_; }
  const ProxyFinder& proxies() const { return proxies_; }

  // The link of proxied sessions to the proxies' own connections out (join/relay_sessions.cc):
  // a proxied session that reaches the join before its outer leg could have been read is held
  // this long after its end (record time) at most, and at most kMaxRelayHeld of them.
  static constexpr TimeNs kRelayLate = 60 * kNsPerSec;
  static constexpr size_t kMaxRelayHeld = 100'000;
  // Relayed flows are kept this long after they arrived, plus the sensor merge's hold once two
  // kinds of sensor were read (sessions then reach the join that much later).
  static constexpr TimeNs kRelayKeep = 10 * 60 * kNsPerSec;
  size_t relay_held() const { return relay_held_.size(); }

 private:
  // Holds a proxied session whose outer leg may still come (true: `s` was taken), else links it.
  bool hold_for_relay(Session& s);
  void link_relay(Session& s, const AppNames::ConnApp& c);
  void add_relayed(const FlowRecord& f);
  void relay_tick(TimeNs t);
  void release_relayed(bool all);
  void emit(Session&& s);
  void deliver(Session&& s);
  void relieve_pressure();
  SensorCoverage& sensor_coverage(const std::string& name);

  HostRegistry hosts_;
  ProcessTable procs_;
  EndpointIndex index_;
  ProxyFinder proxies_;
  ProxyAttribution proxy_attribution_;  // proxied sessions' processes by the host they named
  uint64_t squid_uids_ = 0;
  ClockOffsets offsets_;
  Attributor attributor_;
  FlowStitcher stitcher_;
  SensorMerge merge_;
  bool merge_sensors_ = true, merge_engaged_ = false;
  int first_flow_kind_ = -1;
  OnSession on_session_;
  PipelineStats stats_;
  SensorCoverage* last_sensor_ = nullptr;  // std::map nodes are stable
  TimeNs retention_ = 0, last_evict_ = kNoTime, last_release_ = kNoTime;
  bool evict_processes_ = true;
  size_t live_processes_ = 0, live_connects_ = 0, live_addresses_ = 0;
  size_t process_trigger_ = 0, connect_trigger_ = 0, address_trigger_ = 0;
  std::function<void(ProcId)> on_evict_;
  OnDns on_dns_;
  std::string last_sensor_name_;
  // Proxied sessions waiting for their outer leg, in arrival order (only once a relayed flow
  // was read: nothing is held, nor any lookup made, without one).
  bool relay_on_ = false, relay_finishing_ = false;
  TimeNs relay_clock_ = kNoTime, relay_merge_hold_ = 0;
  std::deque<Session> relay_held_;
};

}  // namespace outflow
