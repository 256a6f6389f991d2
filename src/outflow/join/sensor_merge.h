// One connection logged by sensors of different kinds is one session, never counted twice.
//
// A network often has two views of the same connection: Zeek (or NetFlow) inside and the
// perimeter firewall's traffic log, or Zeek outside the firewall and the firewall's log. The
// stitcher makes a session of each sensor's records; this stage, between the stitcher and the
// join, holds each session for `hold` of record time and merges the sessions of one connection:
//  - the same 5-tuple (either orientation: a midstream pickup may swap the ends), or a
//    firewall's post-NAT 5-tuple (a sensor outside the firewall sees the translated source);
//  - times that overlap, within `slack` (the sensors' clocks and their idea of start and end);
//  - logged by a different sensor (source kind or sensor name): one sensor's own records of one
//    connection are the stitcher's business.
// The merged session keeps the firewall's pre-NAT 5-tuple (the one the host's events name), the
// uid and state of the flow sensor (Zeek's ssl/http/files records join by uid), the bytes of the
// sensor that saw both directions (else the larger count: a one-way sensor's bytes are a lower
// bound), the firewall's user, application and NAT, the earliest start and the latest end.
//
// Sessions are emitted in the order they came, each once `hold` of record time has passed since
// its arrival (or its end, if later), so memory is the sessions of the last `hold` of record
// time; past `max_held` the oldest are emitted early (counted). Sensors whose clocks differ by
// more than `slack` are not matched (their sessions stay apart, as before this stage).
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>

#include "outflow/join/flow_key.h"
#include "outflow/model/session.h"

namespace outflow {

// The kind of sensor behind a source: one kind logs a connection once (its own snapshots and
// pieces are the stitcher's business); two kinds may both log it.
inline FlowSource sensor_kind(FlowSource s) {
  switch (s) {
    case FlowSource::zeek_open_conn: return FlowSource::zeek_conn;
    case FlowSource::suricata_open:
    case FlowSource::suricata_netflow: return FlowSource::suricata;
    default: return s;
  }
}

class SensorMerge {
 public:
  struct Options {
    TimeNs hold = 120 * kNsPerSec;  // the pipeline raises it to the stitcher's idle time
    TimeNs slack = 60 * kNsPerSec;
    size_t max_held = 150'000;
  };
  using Emit = std::function<void(Session&&)>;

  SensorMerge(Options o, Emit emit) : opt_(o), emit_(std::move(emit)) {}
  // `clock`: the record time reached (the stitcher's watermark).
  void add(Session&& s, TimeNs clock);
  void finish();  // emits everything held

  uint64_t merged() const { return merged_; }          // sessions merged into another
  uint64_t merged_by_nat() const { return by_nat_; }   // of which on a post-NAT 5-tuple
  uint64_t forced_early() const { return forced_; }    // emitted before their hold (cap)
  size_t held() const { return queue_.size(); }

  // Merges `from` (another sensor's record of the same connection) into `into`.
  static void merge_into(Session& into, Session&& from, bool by_nat);
  // The 5-tuple a sensor beyond the firewall's NAT sees; false without NAT.
  static bool post_nat_key(const Session& s, FlowKey& out);

 private:
  struct Held {
    Session s;
    TimeNs due = kNoTime;  // emitted once the clock reaches it
  };
  void index(uint64_t seq);
  void unindex(uint64_t seq);
  Held* find_match(const Session& s, const FlowKey& key, uint64_t& seq);
  void release(TimeNs clock);
  void pop_front();  // emits the oldest held session

  Options opt_;
  Emit emit_;
  std::deque<Held> queue_;  // arrival order; queue_[i] has sequence number base_ + i
  uint64_t base_ = 0;
  std::unordered_multimap<FlowKey, uint64_t, FlowKeyHash> by_key_;
  uint64_t merged_ = 0, by_nat_ = 0, forced_ = 0;
};

}  // namespace outflow
