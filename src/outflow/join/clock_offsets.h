// Clock offsets between a host's event times and the sensor's flow times, per host, per event
// type and per time field.
//
// Real recordings disagree by seconds to months, and not as one clock per host: one host's
// Sysmon 3 `UtcTime` can be days behind its own Sysmon 1, and the collector's `@timestamp`
// hours off both. So an offset belongs to a ClockKey (host, event id, time field).
//
// Where the estimates come from:
//  - connection events (Sysmon 3, Security 5156): every flow whose 5-tuple appears in exactly
//    one connection event of that type on the host is a sample (flow start - event time),
//    whatever its size: no search window bounds it (a 5-tuple with an ephemeral source port is
//    unique within hours; port reuse days apart gives outliers, which the estimator ignores);
//  - process events (Sysmon 1/5, Security 4688/4689): they carry no 5-tuple. Each process seen
//    both starting and connecting gives a cross-check: its first connection, on the sensor's
//    clock, cannot come before its start. The connection clock of the same time field is used
//    unless these checks say it is wrong (then the offset that puts the starts just before
//    their first connections is used: `process_check`);
//  - any other type (Sysmon 22) takes the connection clock of the same host and time field.
//
// The estimator is the mode, not the mean: samples are grouped into clusters of width
// kClusterWidth (the densest first), and when a later cluster takes over in event time (a clock
// that jumped mid-recording) the offset is piecewise, each piece starting at the event time of
// its first sample. Samples are capped per key by decimation (every other one is dropped and
// the stride doubles), so they stay spread over the whole recording in bounded memory.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "outflow/core/time.h"
#include "outflow/lineage/host_registry.h"
#include "outflow/lineage/process_table.h"
#include "outflow/model/events.h"

namespace outflow {

struct ClockKey {
  HostId host = kNoHost;
  uint16_t event_id = 0;
  TimeField field = TimeField::none;
  bool operator==(const ClockKey& o) const { return host == o.host && event_id == o.event_id && field == o.field; }
};

enum class OffsetSource : uint8_t {
  none,           // unknown: no sample, nothing to take it from
  samples,        // its own 5-tuple matches
  process_check,  // process events: from starts and their first connections
  inherited,      // from the host's connection events of the same time field (or another)
};
const char* offset_source_name(OffsetSource s);

bool is_connect_event(uint16_t event_id);
bool is_process_event(uint16_t event_id);

struct OffsetEstimate {
  bool known = false;     // at least kMinSamples samples (or a derivation from a known one)
  bool prior = false;     // from a survey of the inputs' first part, not yet from this run's samples
  TimeNs offset = 0;      // add to the host's event time to get sensor time
  TimeNs mad = 0;         // median absolute deviation of the samples of the piece
  uint64_t samples = 0;   // samples behind it (of the piece's cluster)
  OffsetSource source = OffsetSource::none;
  uint16_t from_event = 0;  // inherited: the event id it was taken from
  uint32_t pieces = 1;      // pieces of the key's offset (> 1: the clock jumped)
};

// One stretch of constant offset, for reports.
struct OffsetPiece {
  TimeNs from = kNoTime;  // host event time where it starts (kNoTime: from the beginning)
  TimeNs offset = 0, mad = 0;
  uint64_t samples = 0;
};

struct ClockReport {
  ClockKey key;
  OffsetSource source = OffsetSource::none;
  uint16_t from_event = 0;
  bool prior = false;         // the survey's estimate: this run's own samples do not suffice
  std::vector<OffsetPiece> pieces;
  uint64_t samples = 0;       // all samples seen (before decimation)
  uint64_t outliers = 0;      // samples in no cluster (port reuse, noise), of those kept
  uint64_t checks = 0;        // process events: starts cross-checked against first connections
  uint64_t disagreements = 0; // of those, connections before their process's start (> 2 min)
  uint64_t events = 0;        // events of this key seen
};

class ClockOffsets {
 public:
  static constexpr size_t kMaxSamples = 4096;
  static constexpr size_t kMaxChecks = 1024;
  static constexpr uint64_t kMinSamples = 3;
  // Samples of one offset fall within seconds of each other (the flow's start against the
  // event's time); two minutes hold a NetFlow exporter's rounding and a loaded host's delay.
  static constexpr TimeNs kClusterWidth = 120 * kNsPerSec;
  // Beyond this a sample is not a clock but garbage (the limit of what is estimated).
  static constexpr TimeNs kMaxPlausible = 400LL * 86400 * kNsPerSec;

  // A unique 5-tuple match: the event's (raw) time and flow start - event time.
  void add_sample(const ClockKey& k, TimeNs event_time, TimeNs flow_minus_event);
  // A process start (its key and raw time) and its first connection (key and raw time).
  void add_process_check(const ClockKey& start_key, TimeNs start, const ClockKey& connect_key, TimeNs connect_time);
  // Estimates to use for a key until its own samples make it known (a survey's). A prior keeps
  // its source; it is reported as `prior`.
  void set_priors(const std::vector<std::pair<ClockKey, OffsetEstimate>>& priors);
  // Counts an event of the key (for reports of keys with no sample).
  void count_event(const ClockKey& k);

  // The offset for an event of `k` at host time `at` (kNoTime: the first piece).
  OffsetEstimate estimate(const ClockKey& k, TimeNs at = kNoTime) const;
  // The host's process clock (Sysmon 1 UtcTime first), for showing process times on the
  // sensor's clock, and the host's best connection clock, for one-line summaries.
  OffsetEstimate process_clock(HostId host) const;
  OffsetEstimate connect_clock(HostId host) const;

  // A connection event type of the host has events but no offset (its sessions are matched
  // within the unknown-offset window only).
  bool connect_clock_unknown(HostId host) const;
  // Every key of the host with what is known of it (reports: coverage, warnings).
  std::vector<ClockReport> report(HostId host) const;
  std::vector<HostId> hosts() const;

 private:
  struct Sample {
    TimeNs t, d;
  };
  struct Check {
    ClockKey connect;
    TimeNs start, connect_time;
  };
  struct PerKey {
    ClockKey key;
    std::vector<Sample> samples;
    uint64_t total = 0, stride = 1, events = 0;
    std::vector<Check> checks;  // process keys only
    uint64_t checks_total = 0, check_stride = 1;
    // Cache of the computed pieces, refreshed when the samples have grown by an eighth.
    mutable std::vector<OffsetPiece> pieces;
    mutable uint64_t outliers = 0;
    mutable size_t cached_n = 0, cached_checks = 0;
    mutable bool cached = false;
    // Process keys: the estimate from the cross-checks, refreshed like the pieces.
    mutable OffsetEstimate derived;
    mutable size_t derived_checks = 0, derived_samples = 0;
    mutable bool derived_cached = false;
    OffsetEstimate prior;  // set_priors
  };
  struct HostClocks {
    std::vector<PerKey> keys;  // a handful per host: searched linearly
  };
  PerKey* find(const ClockKey& k);
  const PerKey* find(const ClockKey& k) const;
  PerKey& get(const ClockKey& k);
  const std::vector<OffsetPiece>& pieces_of(const PerKey& p) const;
  OffsetEstimate own(const PerKey& p, TimeNs at) const;
  OffsetEstimate own_or_prior(const PerKey& p, TimeNs at) const;
  OffsetEstimate inherit(HostId host, TimeField field, TimeNs at) const;
  // Process keys: the offset the cross-checks call for, with how many disagree with `assumed`.
  bool check_offset(const PerKey& p, TimeNs assumed, bool assumed_known, TimeNs& offset, uint64_t& n,
                    uint64_t& disagree) const;

  size_t connect_samples(HostId host) const;

  std::unordered_map<HostId, HostClocks> hosts_;
};

// The offset of a process's start (and end) time: its start event's clock.
inline OffsetEstimate process_offset(const ClockOffsets& o, const Process& p) {
  if (p.start == kNoTime) return o.process_clock(p.host);
  return o.estimate({p.host, p.start_event, p.start_field}, p.start);
}
// A process's start on the sensor's clock (as recorded when its clock is unknown).
inline TimeNs start_on_sensor_clock(const ClockOffsets& o, const Process& p) {
  if (p.start == kNoTime) return kNoTime;
  const OffsetEstimate e = process_offset(o, p);
  return p.start + (e.known ? e.offset : 0);
}

// Pieces from (event time, offset) samples: clusters of width `width`, piecewise in event time
// when a second cluster takes over for at least `min_run` samples in a row. `outliers` gets the
// samples in no cluster. Exposed for tests.
std::vector<OffsetPiece> estimate_pieces(std::vector<std::pair<TimeNs, TimeNs>> samples, TimeNs width, uint64_t min_run,
                                         uint64_t* outliers = nullptr);

}  // namespace outflow
