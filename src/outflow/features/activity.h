// What each process sent where: sessions aggregated per (host, process) and, inside, per
// destination (address, port, transport). This is the detector's only per-session work, so it
// is cheap: no string work per session (names are resolved once per destination at the end).
//
// Sessions with no process (no endpoint event, ambiguous) are aggregated as the "unknown
// process" of their host: a monitored host that uploads gigabytes through a process nobody
// logged is still a finding. Sessions where no monitored host is involved are aggregated per
// initiator address when they go out from an internal address (Options::internal) to an external
// one: a "flow-only host" (host kNoHost, proc kNoProc, entity_ip its address), so that hunting on
// Zeek or NetFlow alone still finds hosts. Other sessions without a monitored host are counted.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "outflow/core/flat_hash.h"
#include "outflow/features/app_evidence.h"
#include "outflow/features/dns_view.h"
#include "outflow/features/firewall_users.h"
#include "outflow/features/daily_profile.h"
#include "outflow/features/networks.h"
#include "outflow/features/pairs.h"
#include "outflow/join/attributor.h"
#include "outflow/model/session.h"

namespace outflow {

struct DestActivity {
  IpAddr ip;
  // Reached through this explicit proxy (features/proxy_dest.h); unset when direct. `ip` is then
  // the target's address when the request named one, else unset, and `domain` names the target.
  IpAddr via_proxy;
  // Through a proxy to a name: `ip` came from the proxy's own connection out linked to a session
  // (Session::relay_h, join/relay_link.h), not from the request. And the sessions whose bytes out
  // are that outer leg's (the client leg's were not logged: Session::orig_from_relay).
  bool ip_from_relay = false;
  uint32_t sessions_out_from_relay = 0;
  uint16_t port = 0;
  uint8_t proto = 0;
  uint64_t bytes_out = 0, bytes_in = 0, pkts_out = 0, pkts_in = 0;
  uint32_t sessions = 0;
  // Sessions whose bytes out the sensor could not see (Session::orig_unknown): bytes_out is then
  // a lower bound, not the volume.
  uint32_t sessions_out_unknown = 0;
  TimeNs first = kNoTime, last = kNoTime;  // first start, last end
  TimeNs longest = 0;                      // longest single session
  TimeNs duration_sum = 0;                 // sum of session durations
  uint64_t max_session_out = 0;            // bytes out of the largest session
  TimeNs max_session_out_duration = 0;
  bool burst = false;                      // a session sent >= burst_bytes in < burst_within
  // Small uploads at regular intervals (T1030): sum and sum of squares of bytes out per session.
  double out_sum = 0, out_sq = 0;
  std::string domain;                      // filled by finish()
  // Cumulative duration: the sum, but never more than the span (parallel sessions overlap).
  TimeNs cumulative() const {
    const TimeNs span = last > first ? last - first : 0;
    return duration_sum < span ? duration_sum : span;
  }
};

struct ProcessActivity {
  HostId host = kNoHost;
  ProcId proc = kNoProc;  // kNoProc: the host's unattributed traffic
  // A flow-only host (no monitored host has this address; host kNoHost, proc kNoProc): the
  // initiator address its sessions are keyed by. Unset for every other activity.
  IpAddr entity_ip;
  bool flow_only() const { return host == kNoHost && !entity_ip.is_unset(); }
  // A slot emptied by take() (or never filled): skipped by every reader of processes().
  bool empty_slot() const { return host == kNoHost && entity_ip.is_unset(); }
  IpAddr local;           // the host's address in its first session
  uint64_t bytes_out = 0, bytes_in = 0;
  uint32_t sessions = 0, sessions_inferred = 0;
  // Outbound sessions whose bytes out are unknown (the sensor saw none of them), and why: a
  // bit per VolumeGap value.
  uint32_t sessions_out_unknown = 0;
  uint8_t gaps = 0;
  bool volume_unknown() const { return sessions_out_unknown > 0; }
  // Most of its outbound sessions: its volume cannot be judged at all.
  bool volume_mostly_unknown() const { return sessions_out_unknown * 2 > sessions; }
  // Sessions another machine opened to this process (a server serving): counted, not scored;
  // AN0080 is about what a host's processes send out on their own initiative.
  uint64_t inbound_sessions = 0, inbound_bytes_out = 0;
  TimeNs first = kNoTime, last = kNoTime;
  std::vector<DestActivity> dests;
  FlatHashMap<uint64_t, uint32_t> dest_index;  // dest key -> index in dests
  FlatHashSet<IpAddr, IpAddrHash> dest_ips;    // distinct addresses (capped)
  bool dest_ips_capped = false;
  // Bytes out per TimeWindow bucket (bucket = floor(time / window)); a session's bytes are
  // spread over the buckets it spans, in proportion to time.
  FlatHashMap<int64_t, uint64_t> window_out;
  // Buckets older than Options::fold_after behind the newest are folded into their peak, so a
  // process that runs for weeks holds days of buckets, not weeks (a session reaching back
  // further than that adds to a fresh bucket: its peak may then be under-counted).
  uint64_t folded_peak = 0;
  int64_t folded_peak_bucket = 0, newest_bucket = std::numeric_limits<int64_t>::min();
  uint64_t peak_window_out() const;
  int64_t peak_window() const;  // bucket number of the peak (0 if none)
  FirewallUsers fw_users;  // the firewall's users of its outbound sessions (User-ID)
  AppEvidence app;  // HTTP uploads and files sent, from Zeek's http.log and files.log
  // Per destination address and per destination name: beacons, strobes, long connections
  // (features/pairs.h).
  PairTable pairs;
  // Bytes out per day and hour of the day: flow-only hosts only (their own baseline).
  DailyProfile daily;
};

class ActivityAggregator {
 public:
  struct Options {
    TimeNs window = 900 * kNsPerSec;
    uint64_t burst_bytes = 1'000'000;
    TimeNs burst_within = 300 * kNsPerSec;
    size_t max_dest_ips = 100'000;       // per process, distinct-address count cap
    size_t max_dests = 5'000;            // per process, destinations kept in detail; the rest are summed
    size_t max_window_buckets = 20'000;  // per process
    TimeNs fold_after = 48 * 3600 * kNsPerSec;  // buckets this far behind the newest are folded
    // Internal address ranges: sessions with no monitored host that go out from one of them to
    // an address outside are aggregated per initiator address (flow-only hosts). Empty: none are.
    NetworkSet internal;
    size_t max_host_entities = 200'000;  // flow-only hosts held at once; sessions of more are dropped (counted)
    PairLimits pairs;                    // per entity; the run's sample budget is pair_budget()
    uint64_t pair_sample_budget = PairLimits::kDefaultSampleBudget;
  };
  explicit ActivityAggregator(Options o) : opt_(o) {
    dns_.set_internal(opt_.internal);
    pair_budget_.limit = o.pair_sample_budget;
  }
  const PairBudget& pair_budget() const { return pair_budget_; }
  // The earliest start of an outbound session of any entity, and the latest: RITA's dataset
  // span, for the beacon windows (its import keeps internal -> external connections only).
  TimeNs first_outbound() const { return first_outbound_; }
  TimeNs last_outbound() const { return last_outbound_; }  // the latest start

  // `procs` resolves one kind of ambiguity: when every candidate process is an instance of the
  // same executable run by the same user (two Zoom windows), the session goes to the latest
  // started of them, counted as inferred. Other ambiguities stay unattributed.
  // `apps`: what Zeek's http.log and files.log said of the session (AppEvidence).
  void add(const Session& s, const Attribution& a, const ProcessTable* procs = nullptr, const AppNames* apps = nullptr);
  // Every DNS query, with the monitored host of its client (the DNS tunnelling view).
  void add_dns(const DnsAnswer& d, HostId host) { dns_.add(host, d.client, d.server, d.time, d.query, d.qtype); }
  const DnsView& dns() const { return dns_; }
  // Resolves destination names (time-aware, from the pipeline's DNS index).
  void finish(const EndpointIndex& index);

  // Moves the activity of `proc` of `host` out (the detector retires it, see score/retire.h);
  // its slot is left empty (host kNoHost) and reused. False if it has none.
  bool take(HostId host, ProcId proc, ProcessActivity& out);
  // The same for the flow-only host with this address.
  bool take_flow_host(const IpAddr& ip, ProcessActivity& out);
  // Resolves the destination names of one activity, as finish() does for all.
  static void resolve_names(ProcessActivity& p, const EndpointIndex& index);
  const std::vector<ProcessActivity>& processes() const { return procs_; }
  std::vector<ProcessActivity>& processes() { return procs_; }
  uint64_t sessions_seen() const { return seen_; }
  // Sessions no monitored host is part of and that are no flow-only host's outbound traffic
  // (between two external addresses, inbound from outside, internal to internal).
  uint64_t sessions_unmonitored() const { return unmonitored_; }
  // Sessions of flow-only hosts beyond max_host_entities (not aggregated).
  uint64_t host_entity_sessions_dropped() const { return host_entities_dropped_; }
  uint64_t dests_folded() const { return folded_; }
  uint64_t ambiguous_resolved() const { return ambiguous_resolved_; }
  const Options& options() const { return opt_; }

 private:
  Options opt_;
  std::vector<ProcessActivity> procs_;
  FlatHashMap<uint64_t, uint32_t> by_key_;  // (host, proc) -> index
  FlatHashMap<IpAddr, uint32_t, IpAddrHash> by_ip_;  // flow-only host address -> index
  std::vector<uint32_t> free_;                      // slots emptied by take()
  uint64_t seen_ = 0, unmonitored_ = 0, folded_ = 0, ambiguous_resolved_ = 0, host_entities_dropped_ = 0;
  PairBudget pair_budget_;
  TimeNs first_outbound_ = kNoTime, last_outbound_ = kNoTime;
  uint32_t slot();  // a fresh slot (reused or appended)
  // `app`: what the session's ssl/http records said (apps->conn(s), looked up once), for the
  // name pairs; null: the session goes to its address pair.
  void add_outbound(ProcessActivity& p, const Session& s, const Attribution& a, const AppNames* apps,
                    const AppNames::ConnApp* app);
  // add_outbound, with the session's application evidence (`apps` may be null).
  void add_outbound_app(ProcessActivity& p, const Session& s, const Attribution& a, const AppNames* apps);
  DnsView dns_;
};

// Adds `from`'s sessions to `into` (destinations with the same address, port and transport are
// summed): the traffic of a process tree seen as one.
void merge_activity(ProcessActivity& into, const ProcessActivity& from);

// Where a destination belongs for prevalence: its registrable domain when known
// ("a.b.dropbox.com" -> "dropbox.com", "x.co.uk" style kept to three labels), else its address.
std::string destination_key(const DestActivity& d);

}  // namespace outflow
