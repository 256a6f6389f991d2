// Stitches flow records into sessions, in bounded memory.
//
// NetFlow: records of both directions of one 5-tuple whose times overlap or follow within
// `gap` are one session (active-timeout pieces follow each other; the reverse direction
// overlaps). Zeek: records sharing a uid (open_conn snapshots, conn_long, the final conn record)
// are one session; counters are cumulative there, so the largest value wins.
//
// A session is emitted once no record has touched it for `idle` of record time (the highest
// end time seen so far is the clock), or at finish(). Uids of Zeek sessions emitted are
// remembered for between `idle` and 2 x idle of record time (at most `recent_uids`; RecentUids)
// so a late snapshot does not make a duplicate.
// Open sessions are capped; past the cap the least recently touched are emitted early (a later
// piece of one then starts a new session) and counted (forced_early).
#pragma once
#include <functional>
#include <unordered_map>
#include <vector>

#include "outflow/join/cross_sensor.h"
#include "outflow/join/flow_key.h"
#include "outflow/join/recent_uids.h"
#include "outflow/model/session.h"

namespace outflow {

class FlowStitcher {
 public:
  struct Options {
    TimeNs gap = 120 * kNsPerSec;        // max silence between pieces of one NetFlow session
    TimeNs idle = 3600 * kNsPerSec;      // emit after this much record time without updates
    // Open sessions (NetFlow pieces, Zeek snapshots awaiting their conn record). ~800 bytes
    // each: 150,000 is ~120 MB. Past it the least recently touched quarter is emitted early.
    size_t max_open = 150'000;
    size_t recent_uids = 1'000'000;
  };
  using Emit = std::function<void(Session&&)>;

  FlowStitcher(Options o, Emit emit)
      : opt_(o), emit_(std::move(emit)), recent_(o.recent_uids), cross_(o.recent_uids) {}
  void add(const FlowRecord& r);
  void finish();  // emits everything still open

  uint64_t records() const { return records_; }
  TimeNs watermark() const { return watermark_; }  // the highest record end seen
  uint64_t sessions_emitted() const { return emitted_; }
  uint64_t forced_early() const { return forced_; }
  uint64_t duplicate_snapshots() const { return dup_snapshots_; }
  // NetFlow records identical to one already stitched (same sensor, direction, start, end,
  // bytes and packets: the same export read twice) are ignored and counted here. A session
  // remembers its first kPieceMemory pieces per sensor for this.
  static constexpr size_t kPieceMemory = 64;
  uint64_t duplicate_records() const { return dup_records_; }
  // Sessions Zeek and Suricata both logged, the second dropped (cross_sensor.h).
  uint64_t cross_sensor_duplicates() const { return cross_.dropped(); }
  // Off when the inputs hold no Zeek and Suricata flows together: nothing to drop, and the three
  // lookups and the insert per session in a table of the last hour's sessions are then a tenth of
  // a flow-only run (cache misses). On by default.
  void set_cross_sensor(bool on) { cross_on_ = on; }

 private:
  // The same connection captured by two sensors (e.g. a pcap on each host) must not count
  // twice: pieces add up within a sensor, and the session takes the sensor that saw the most.
  struct PerSensor {
    std::string sensor;
    uint64_t orig_bytes = 0, resp_bytes = 0, orig_pkts = 0, resp_pkts = 0;
    bool seen_orig = false, seen_resp = false;
    bool bad_orig = false, bad_resp = false;  // a record's count was impossible (FlowRecord::*_bytes_unknown)
    std::vector<uint64_t> pieces;  // hashes of the records taken, up to kPieceMemory
  };
  struct Open {
    Session s;
    TimeNs touched = kNoTime;
    std::vector<PerSensor> sensors;
  };
  static void settle_sensors(Open& o);
  void add_netflow(const FlowRecord& r);
  void add_zeek(const FlowRecord& r);
  void maybe_sweep();
  void emit_sorted(std::vector<Open>& rest);
  void emit(Open& o, uint64_t uid_hash = 0);  // uid_hash: std::hash of o.s.uid when known
  static void finalize_initiator(Session& s);
  static void mark_unknown_volume(Session& s);
  static void init_session(Session& s, const FlowRecord& r);

  Options opt_;
  Emit emit_;
  std::unordered_map<FlowKey, std::vector<Open>, FlowKeyHash> netflow_;
  std::unordered_map<std::string, Open> zeek_;
  // Hashes of recently emitted uids (a 64-bit collision would drop one late snapshot).
  RecentUids recent_;
  CrossSensorDedup cross_;
  bool cross_on_ = true;
  TimeNs watermark_ = kNoTime, last_sweep_ = kNoTime;
  uint64_t records_ = 0, emitted_ = 0, forced_ = 0, dup_snapshots_ = 0, dup_records_ = 0, since_sweep_ = 0;
  size_t open_ = 0;
};

}  // namespace outflow
