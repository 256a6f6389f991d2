// Attributes a session to the process that made it.
//
// 1. Exact: a Sysmon 3 / Security 5156 event with the session's 5-tuple (either direction),
//    whose time, corrected by the host's clock offset, falls within the session (+- a window).
//    The initiating side wins when both ends are monitored hosts.
// 2. Inferred: Sysmon logs a process's connection to a destination once and then caches, so
//    later connections of the same process (C2 beacons) have no event. If exactly one process
//    on the session's host connected to the same remote address, port and protocol and was
//    alive at the time, the session is its, marked as inferred.
// 3. Otherwise the reason: ambiguous (two processes fit), no endpoint event (the host is known
//    but logged nothing for this connection), host unknown (no monitored host owns either end).
#pragma once
#include <string>
#include <unordered_set>
#include <vector>

#include "outflow/join/clock_offsets.h"
#include "outflow/join/endpoint_index.h"
#include "outflow/model/session.h"

namespace outflow {

enum class AttributionStatus : uint8_t { matched, inferred, ambiguous, no_endpoint_event, host_unknown };
const char* attribution_status_name(AttributionStatus s);

struct Attribution {
  AttributionStatus status = AttributionStatus::host_unknown;
  HostId host = kNoHost;
  ProcId proc = kNoProc;
  bool host_is_orig = true;   // the attributed host is the session's initiator
  uint16_t event_id = 0;      // 3 or 5156 (of the matching event)
  TimeNs event_delta = 0;     // corrected event time - session start
  TimeNs window = 0;          // the window used
  bool offset_known = false;
  TimeNs offset = 0;            // of the clock used: the matching event's, else the host's connections'
  OffsetSource offset_source = OffsetSource::none;
  std::vector<ProcId> candidates;  // for ambiguous
};

class Attributor {
 public:
  struct Options {
    TimeNs window = 120 * kNsPerSec;            // when the host's offset is known
    TimeNs window_unknown = 12 * 3600 * kNsPerSec;  // when it is not: hours, not minutes
  };
  Attributor(const ProcessTable& procs, const EndpointIndex& index, ClockOffsets& offsets, Options o)
      : procs_(procs), index_(index), offsets_(offsets), opt_(o) {}

  // Every flow record passes here first: unique 5-tuple matches feed the clock offsets.
  void observe_flow(const FlowRecord& r);
  Attribution attribute(const Session& s) const;

 private:
  TimeNs window_for(const OffsetEstimate& e) const;
  static ClockKey key_of(const ConnectRef& c) { return {c.host, c.event_id, c.field}; }
  bool try_inferred(const Session& s, HostId host, bool host_is_orig, Attribution& out) const;

  const ProcessTable& procs_;
  const EndpointIndex& index_;
  ClockOffsets& offsets_;
  // NetFlow cuts long connections into active-timeout pieces and exports each direction: only
  // the first record of a connection starts when its Sysmon 3 was logged, so each connection
  // gives one sample (later pieces would bias the offset by multiples of the timeout).
  std::unordered_set<uint64_t> sampled_;
  std::vector<const ConnectRef*> unique_;  // scratch of observe_flow
  Options opt_;
};

}  // namespace outflow
