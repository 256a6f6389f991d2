// Beacon and strobe scoring of one connection pair, as RITA v5 scores them.
//
// Followed: activecm/rita (v5, ClickHouse) at commit 0b6db7afdaf32203a0bb492545c7d4bf05ede24d:
//   analysis/beacons.go     the four sub-scores and how they combine
//   analysis/analysis.go    who is scored: unique timestamps >= threshold and count < 86,400;
//                           count >= 86,400 is a strobe, reported as such and never scored
//   analysis/spagooper.go   what a pair carries: ts_list and src_ip_bytes list (groupArray(86400),
//                           sorted), restricted to hours >= toStartOfHour(window min)
//   database/db.go          GetBeaconMinMaxTimestamps: the window is [max(min, max - 24 h), max]
//   config/config.go        defaultConfig(): weights 0.25 each, thresholds below
//
// RITA scores two kinds of pairs: "ip" (source address -> destination address, from conn.log,
// minus the connections an SNI pair claimed) and "sni" (source address -> HTTP Host or TLS SNI
// name, timestamps of the http/ssl records, bytes of their linked conn records). This component
// is pair-agnostic: the caller decides the key and feeds one accumulator per pair.
//
// Memory. RITA keeps up to 86,400 timestamps (UInt32 seconds) and 86,400 byte counts per pair
// (groupArray(86400)); since 86,400 connections make a strobe, it keeps every connection of every
// pair it scores. A BeaconAccumulator keeps up to `max_samples` (timestamp, bytes) samples,
// 8 bytes each (default 16,384: 128 KiB at most per pair). Below the cap the result is exactly
// RITA's. Past it, samples are decimated: every other one is dropped and from then on only one
// arrival in 2^k is kept (systematic sampling in arrival order). What that costs:
//   - connection count, strobe flag, total bytes and duration stay exact (counted, not sampled,
//     with a per-hour count map: one entry per distinct hour seen);
//   - data size score: a systematic sample of the byte counts, unbiased, close to exact;
//   - histogram score: bins count the kept samples times 2^k, so small bins are coarse;
//   - timestamp score: intervals between kept samples span 2^k connections and are divided by
//     2^k, i.e. the mean of 2^k consecutive intervals: jitter averages out, so a decimated
//     jittery series scores higher than RITA would score it (a perfect beacon is unchanged);
//   - duration score: the first connection is always kept; the last may be missed by < 2^k
//     connections; unique timestamps are counted among the kept samples.
// Timestamps are whole seconds (RITA's UInt32), bytes saturate at 2^32 - 1 per connection.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "outflow/core/time.h"

namespace outflow {

// RITA v5 defaults (config/config.go, defaultConfig(): Scoring.Beacon).
struct BeaconConfig {
  uint64_t unique_connection_threshold = 4;  // unique timestamps needed to be scored
  uint64_t strobe_connections = 86'400;      // connections in the window that make a strobe
  double ts_weight = 0.25, ds_weight = 0.25, dur_weight = 0.25, hist_weight = 0.25;
  int dur_min_hours_seen = 6;                // histogram bars needed for a duration score
  int dur_consistency_ideal_hours_seen = 12; // longest run of bars that scores 1
  double hist_mode_sensitivity = 0.05;       // bar heights within 5% of the largest are one mode
  int hist_bimodal_outlier_removal = 1;      // bars forgiven in the bimodal fit
  int hist_bimodal_min_hours_seen = 11;      // bars needed for a bimodal fit
};

// The analysis window, whole seconds since the epoch. RITA scores the last 24 hours of a
// dataset: [max(first, last - 24 h), last] over the dataset's conn records (not per pair).
struct BeaconWindow {
  int64_t min_s = 0, max_s = 0;
};
BeaconWindow rita_beacon_window(TimeNs dataset_first, TimeNs dataset_last);

enum class BeaconStatus : uint8_t {
  scored,        // the four sub-scores and the total are set
  strobe,        // >= strobe_connections in the window: a strobe, not scored as a beacon
  too_few,       // fewer unique timestamps than the threshold, < 3 non-zero intervals, < 3 sizes
                 // or a single second: RITA skips the pair
  bad_window,    // window max <= min
};
const char* beacon_status_name(BeaconStatus s);

struct BeaconScore {
  BeaconStatus status = BeaconStatus::too_few;
  bool strobe = false;
  uint64_t connections = 0;        // in the window (hours >= the window's first hour), exact
  uint64_t unique_timestamps = 0;  // distinct seconds among the samples in the window
  uint64_t total_bytes = 0;        // bytes sent, in the window, exact
  double total_duration_s = 0;     // in the window, exact
  // Scores in [0, 1], rounded to 3 decimals as RITA stores them; 0 unless status == scored.
  double score = 0, ts_score = 0, ds_score = 0, dur_score = 0, hist_score = 0;
  // Components, for an explanation.
  double ts_skew = 0, ts_mad = 0, ds_skew = 0, ds_mad = 0;  // Bowley skewness, MAD (seconds, bytes)
  double hist_cv_score = 0, hist_bimodal_score = 0;          // the histogram score is their max
  double dur_coverage = 0, dur_consistency = 0;              // the duration score is their max
  int hist_bars = 0, hist_longest_run = 0;                   // non-empty bins, longest run (wraps)
  std::array<uint64_t, 24> histogram{};                      // connections per 1/24 of the window
  // Distinct intervals between consecutive connections (seconds) and how often each occurred
  // (zero intervals included, as RITA's ts_intervals / ts_interval_counts).
  std::vector<std::pair<int64_t, uint64_t>> intervals;
  int64_t interval_mode = 0;       // the most frequent interval
  uint32_t sample_stride = 1;      // 1: exact; 2^k: one connection in 2^k was kept
};

class BeaconAccumulator {
 public:
  static constexpr size_t kDefaultMaxSamples = 16'384;
  // `horizon_s` > 0: only the last `horizon_s` seconds (before the newest connection) are ever
  // scored, so when the samples are full the older ones are dropped first, and decimation only
  // happens when more than 3/4 of the cap lie within the horizon; hour totals older than it are
  // forgotten too. 0: everything is kept (RITA's view of one 24 h import).
  explicit BeaconAccumulator(size_t max_samples = kDefaultMaxSamples, int64_t horizon_s = 0);

  // One connection: its start time, the bytes the source sent (RITA: orig_ip_bytes) and its
  // duration. O(1) amortised; any order (RITA sorts), though decimation keeps arrival order.
  void add(TimeNs ts, uint64_t bytes_sent, TimeNs duration);

  // Scores the pair over `w`. Runs once per pair: O(n log n) in the samples kept.
  BeaconScore score(const BeaconWindow& w, const BeaconConfig& cfg = {}) const;

  // Stops the samples from growing past what they hold now (a global budget ran out): further
  // connections decimate instead.
  void freeze_samples() { max_samples_ = std::max<size_t>(ts_.size() + 1, 8); }
  // The newest connection's start, whole seconds (0 when none).
  int64_t newest_s() const { return newest_s_; }
  // The accumulator's whole state as bytes (score/retire.cc keeps activities on disk), and back.
  void save(std::string& out) const;
  bool load(std::string_view& in);

  uint64_t connections() const { return count_; }
  uint32_t stride() const { return stride_; }
  size_t samples() const { return ts_.size(); }
  size_t memory_bytes() const;

 private:
  struct HourCell {
    uint64_t count = 0, bytes = 0;
    double duration_s = 0;
    void add(const HourCell& o) { count += o.count, bytes += o.bytes, duration_s += o.duration_s; }
  };
  void drop_before_horizon();
  // The hour cells with the current one in (sorted by hour: save, tests).
  std::vector<std::pair<int64_t, HourCell>> hour_cells() const;
  size_t max_samples_;
  int64_t horizon_s_ = 0, newest_s_ = 0;
  uint64_t count_ = 0;
  uint32_t stride_ = 1;
  std::vector<uint32_t> ts_;     // seconds, arrival order
  std::vector<uint32_t> bytes_;  // same index as ts_
  // Hour number -> exact totals, sorted by hour, but for cur_hour_. Hours come nearly in order
  // (a flush appends; one out of order is a binary search) and leave from the front.
  std::vector<std::pair<int64_t, HourCell>> hours_;
  void flush_hour();
  static void merge_hour(std::vector<std::pair<int64_t, HourCell>>& hours, int64_t hour, const HourCell& c);
  // The hour of the latest connection, kept apart until a connection of another hour comes: a
  // pair's connections come in time order, so most add() calls touch only this (a lookup in a
  // pair's own hour table was a twentieth of a flow-only hunt, nearly all cache misses).
  int64_t cur_hour_ = 0;
  HourCell cur_;  // count 0: none
};

}  // namespace outflow
