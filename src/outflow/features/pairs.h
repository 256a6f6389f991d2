// Pair analytics of one entity (a process, or a host): its connections grouped by destination
// address and by destination name, as RITA v5 groups them into "ip" and "sni" pairs.
//
// A session whose Zeek ssl.log / http.log records name its responder (the SNI, else the HTTP
// Host) goes to the pair of that name, whatever address served it (a name spread over many CDN
// addresses is one pair; a CDN address serving many names is as many pairs). Every other session
// goes to the pair of its responder address (RITA: the "ip" pairs are the conn records no "sni"
// pair claimed). Ports do not split pairs.
//
// A pair keeps exact totals (sessions, bytes each way, longest and cumulative duration, sessions
// still open when the input ended) and, once it has reached kLazySessions sessions, a
// BeaconAccumulator (features/beacon.h) fed with (start, bytes sent, duration) per session, with
// a horizon of the pair's last 25 h: the beacon window (score/pair_factors.h) never reaches
// further back than 24 h before the pair's last connection, so older samples are dropped before
// anything is decimated.
//
// Memory (what is capped and what it costs):
//  - a pair costs ~160 bytes plus its name; before its kLazySessions-th session it keeps its
//    first sessions inline and has no accumulator (a scan's million one-off pairs cost no
//    accumulator at all);
//  - at most PairLimits::max_pairs pairs per entity. When full, the oldest half of the pairs that
//    have no accumulator and no long session is evicted (counted: pairs_evicted); when there is
//    none to evict, the new pair is not kept (counted: sessions_unpaired);
//  - samples (8 bytes each) are capped per pair (BeaconAccumulator: 16,384, then decimated) and
//    across all pairs of the run by a PairBudget: once the budget is spent, an accumulator that
//    would grow decimates instead (counted: pairs_frozen). Activities retired to disk give their
//    samples back.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "outflow/core/flat_hash.h"
#include "outflow/core/ip.h"
#include "outflow/core/time.h"
#include "outflow/features/beacon.h"
#include "outflow/join/app_names.h"

namespace outflow {

struct PairLimits {
  static constexpr size_t kDefaultMaxPairs = 2'048;
  static constexpr uint64_t kDefaultSampleBudget = 8'000'000;  // 64 MB of samples in all
  size_t max_pairs = kDefaultMaxPairs;          // per entity
  size_t max_samples = BeaconAccumulator::kDefaultMaxSamples;  // per pair
  int64_t horizon_s = 25 * 3600;                // samples older than this behind a pair's newest are dropped
  TimeNs keep_long = 3600 * kNsPerSec;          // a pair with a session this long is never evicted
};

// Samples held by every accumulator of the run (the aggregator owns one).
struct PairBudget {
  uint64_t limit = PairLimits::kDefaultSampleBudget;
  uint64_t used = 0;
  uint64_t pairs_frozen = 0;  // accumulators stopped from growing because the budget ran out
  bool spent() const { return used >= limit; }
};

struct PairActivity {
  static constexpr uint32_t kLazySessions = 4;  // RITA's unique-timestamp threshold
  static constexpr uint32_t kNoName = UINT32_MAX;
  bool by_name = false;         // an "sni" pair (name) or an "ip" pair (address)
  IpAddr ip;                    // the address; for a name pair the first address that served it
  uint32_t name_id = kNoName;   // while live: the AppNames id of the name
  std::string name;             // filled by PairTable::resolve_names (name pairs)
  uint32_t addresses = 1;       // name pairs: distinct addresses seen (the first 4 remembered)
  IpAddr more_ips[3];
  uint64_t bytes_out = 0, bytes_in = 0;
  uint32_t sessions = 0, open_sessions = 0;
  uint32_t sessions_out_unknown = 0;  // bytes out not seen by the sensor (Session::orig_unknown)
  TimeNs first = kNoTime, last = kNoTime;  // first start, last end
  TimeNs longest = 0, duration_sum = 0;
  TimeNs longest_start = kNoTime;
  int32_t acc = -1;  // index into PairTable's accumulators, -1 while lazy
  // The first sessions, until the accumulator is made: start (s), bytes sent, duration (ms).
  uint32_t pre_ts[kLazySessions - 1] = {}, pre_bytes[kLazySessions - 1] = {}, pre_ms[kLazySessions - 1] = {};
  // Cumulative duration: the sum, never more than the span (parallel sessions overlap).
  TimeNs cumulative() const {
    const TimeNs span = last > first ? last - first : 0;
    return duration_sum < span ? duration_sum : span;
  }
  std::string label() const { return by_name ? name : ip.to_string(); }
};

class PairTable {
 public:
  struct Conn {
    const IpAddr* resp = nullptr;
    uint32_t name_id = PairActivity::kNoName;
    TimeNs start = kNoTime, end = kNoTime;
    uint64_t bytes_out = 0, bytes_in = 0;
    uint64_t sample_bytes = UINT64_MAX;  // what the beacon's data size score sees; default bytes_out
    bool out_unknown = false;  // the sensor did not see the bytes out
    bool open = false;  // still open when the input ended (the last record was an open_conn snapshot)
  };
  void add(const Conn& c, const PairLimits& lim, PairBudget& budget);
  // Names the name pairs (ids of the live AppNames table) once, when the activity is retired.
  template <class NameOf>
  void resolve_names(NameOf&& name_of) {
    for (auto& p : pairs_)
      if (p.by_name && p.name.empty() && p.name_id != PairActivity::kNoName) p.name = name_of(p.name_id);
  }

  const std::vector<PairActivity>& pairs() const { return pairs_; }
  const BeaconAccumulator* accumulator(const PairActivity& p) const { return p.acc < 0 ? nullptr : &accs_[static_cast<size_t>(p.acc)]; }
  uint64_t samples() const { return samples_; }
  uint64_t pairs_evicted() const { return evicted_; }
  uint64_t sessions_unpaired() const { return unpaired_; }
  // Sessions of pairs that were evicted (their totals are lost; the activity's own counters keep them).
  uint64_t sessions_evicted() const { return sessions_evicted_; }

  // Bytes of the whole table (score/retire.cc), and back; false on a malformed record.
  void save(std::string& out) const;
  bool load(std::string_view in);

 private:
  PairActivity* find_or_make(const Conn& c, const PairLimits& lim);
  bool evict(const PairLimits& lim);
  void feed(PairActivity& p, int64_t ts_s, uint32_t bytes, TimeNs dur, const PairLimits& lim, PairBudget& budget);

  std::vector<PairActivity> pairs_;
  std::vector<BeaconAccumulator> accs_;
  FlatHashMap<uint64_t, uint32_t> index_;  // key -> index in pairs_
  uint64_t samples_ = 0, evicted_ = 0, unpaired_ = 0, sessions_evicted_ = 0;
};

// A pair as a finding reports it: its beacon score over its window (score/pair_factors.cc).
struct PairSummary {
  size_t index = 0;           // into PairTable::pairs()
  BeaconWindow window;
  BeaconScore beacon;         // intervals trimmed to the most frequent
  uint32_t hosts_in_org = 0;  // prevalence of its destination
  bool common = false;        // used by many hosts of the organisation: not scored
  bool internal = false;      // inside the internal networks: not scored
  bool data_size_unknown = false;  // most bytes out unseen: scored without the data size sub-score
};

// Feeds one outbound session of the entity owning `t`: to the pair of the name its ssl/http
// records give (`app`, from names->conn(s); SNI, else Host; either may be null), else to its
// responder address's pair.
void add_to_pairs(PairTable& t, const Session& s, const AppNames* names, const AppNames::ConnApp* app, const PairLimits& lim,
                  PairBudget& budget);

}  // namespace outflow
