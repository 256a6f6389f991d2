// RITA v5 beacon scoring (activecm/rita 0b6db7afdaf32203a0bb492545c7d4bf05ede24d,
// analysis/beacons.go); function names in comments are RITA's.
#include "outflow/features/beacon.h"

#include "outflow/core/byte_io.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

namespace outflow {
namespace {

constexpr int kBins = 24;  // RITA: getHistogramScore(..., 24): one bin per hour of a day's window

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t to_seconds(TimeNs t) { return floor_div(t, kNsPerSec); }
double round3(double x) { return std::round(x * 1000) / 1000; }  // Go math.Round: half away from 0
double ceil3(double x) { return std::ceil(x * 1000) / 1000; }

// montanaflynn/stats Median on sorted data: the middle value, or the mean of the two.
double median_sorted(const double* v, size_t n) {
  if (n == 0) return 0;
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// calculateBowleySkewness: stats.Quartile (Q1 = median of the lower half, Q3 of the upper half,
// the middle element excluded when n is odd); skewness is 0 when Q3 - Q1 < 10 or the median
// equals a quartile. Returns {skewness, score = 1 - |skewness|}.
std::pair<double, double> bowley(const std::vector<double>& v) {
  const size_t n = v.size();
  const size_t c1 = n % 2 == 0 ? n / 2 : (n - 1) / 2;
  const size_t c2 = n % 2 == 0 ? n / 2 : c1 + 1;
  const double q1 = median_sorted(v.data(), c1);
  const double q2 = median_sorted(v.data(), n);
  const double q3 = median_sorted(v.data() + c2, n - c2);
  const double den = q3 - q1;
  double skew = 0;
  if (den >= 10 && q2 != q1 && q2 != q3) skew = (q1 + q3 - 2 * q2) / den;
  return {skew, 1.0 - std::fabs(skew)};
}

// calculateMedianAbsoluteDeviation: score (median - MAD) / median when the median is >= 1, else
// `default_score`; negative or NaN scores are 0. Returns {mad, score}.
std::pair<double, double> mad(const std::vector<double>& v, double default_score) {
  const double med = median_sorted(v.data(), v.size());
  std::vector<double> dev(v.size());
  for (size_t i = 0; i < v.size(); ++i) dev[i] = std::fabs(v[i] - med);
  std::sort(dev.begin(), dev.end());
  const double m = median_sorted(dev.data(), dev.size());
  double score = default_score;
  if (med >= 1) score = (med - m) / med;
  if (score < 0 || std::isnan(score)) score = 0;
  return {m, score};
}

// calculateStatisticalScore: the mean of the skewness and MAD scores, rounded to 3 decimals.
// `v` sorted. Returns {score, skew, mad}.
struct Stat {
  double score, skew, mad;
};
Stat statistical_score(const std::vector<double>& v, double default_mad_score) {
  const auto [skew, skew_score] = bowley(v);
  const auto [m, mad_score] = mad(v, default_mad_score);
  return {round3((skew_score + mad_score) / 2.0), skew, m};
}

// createHistogram + getFrequencyCounts: connections per bin (edges min + i * step, the last edge
// forced to max; a time past the last edge counts in the last bin, one before min in the first),
// non-empty bars, the longest run of non-empty bars with wrap-around, and bar heights grouped in
// bins of ceil(largest * sensitivity).
struct Histogram {
  std::array<uint64_t, kBins> bars{};
  int total_bars = 0, longest_run = 0;
  std::map<int64_t, int64_t> freq;  // grouped height -> number of bars
};
Histogram histogram(const std::vector<int64_t>& ts_sorted, uint64_t weight, const BeaconWindow& w,
                    double sensitivity) {
  Histogram h;
  std::array<double, kBins + 1> edges{};
  const double step = static_cast<double>(w.max_s - w.min_s) / kBins;
  edges[0] = static_cast<double>(w.min_s);
  for (int i = 1; i < kBins; ++i) edges[i] = static_cast<double>(w.min_s) + i * step;
  edges[kBins] = static_cast<double>(w.max_s);
  int cur = 0;
  for (const int64_t t : ts_sorted) {
    const double x = static_cast<double>(t);
    while (cur < kBins - 1 && x >= edges[cur + 1]) ++cur;
    h.bars[cur] += weight;
  }
  uint64_t largest = 0;
  for (const uint64_t b : h.bars) {
    if (b > 0) ++h.total_bars;
    largest = std::max(largest, b);
  }
  const double bin_size = std::ceil(static_cast<double>(largest) * sensitivity);
  int run = 0;
  for (int i = 0; i < 2 * kBins; ++i) {
    const uint64_t f = h.bars[i % kBins];
    if (f > 0) {
      ++run;
    } else {
      h.longest_run = std::max(h.longest_run, run);
      run = 0;
    }
    if (i < kBins && f > 0) {
      // Go: int(math.Floor(f / binSize) * binSize); a zero bin size (sensitivity 0) gives
      // +Inf there; one group per height is what it amounts to.
      const double fd = static_cast<double>(f);
      const int64_t key = bin_size > 0 ? static_cast<int64_t>(std::floor(fd / bin_size) * bin_size)
                                       : static_cast<int64_t>(f);
      ++h.freq[key];
    }
  }
  h.longest_run = std::min(std::max(h.longest_run, run), kBins);
  return h;
}

// calculateCoefficientOfVariationScore: 1 - stddev / mean (population stddev), 0 past 1.
double cv_score(const std::array<uint64_t, kBins>& bars) {
  double total = 0;
  for (const uint64_t b : bars) total += static_cast<double>(b);
  if (total <= 0) return 0;
  const double mean = total / kBins;
  double sd = 0;
  for (const uint64_t b : bars) sd += (static_cast<double>(b) - mean) * (static_cast<double>(b) - mean);
  sd = std::sqrt(sd / kBins);
  const double cv = sd / std::fabs(mean);
  return cv > 1.0 ? 0.0 : std::min(1.0, round3(1.0 - cv));
}

// calculateBimodalFitScore: with enough bars, the share of bars in the two largest height groups
// (minus the outliers forgiven), capped at 1.
double bimodal_score(const Histogram& h, int outlier_removal, int min_hours) {
  if (min_hours < 6) min_hours = 11;  // RITA resets a too-small setting to its default
  if (h.total_bars < min_hours) return 0;
  int64_t largest = 0, second = 0;
  for (const auto& [height, n] : h.freq) {
    (void)height;
    if (n > largest) {
      second = largest;
      largest = n;
    } else if (n > second) {
      second = n;
    }
  }
  const double denom = std::max(static_cast<double>(h.total_bars - outlier_removal), 1.0);
  return std::min(1.0, round3(static_cast<double>(largest + second) / denom));
}

}  // namespace

BeaconWindow rita_beacon_window(TimeNs dataset_first, TimeNs dataset_last) {
  // database/db.go GetBeaconMinMaxTimestamps: greatest(min_ts, max_ts - 24 h), max_ts (DateTime:
  // whole seconds).
  const int64_t last = to_seconds(dataset_last);
  return {std::max(to_seconds(dataset_first), last - 86'400), last};
}

const char* beacon_status_name(BeaconStatus s) {
  switch (s) {
    case BeaconStatus::scored: return "scored";
    case BeaconStatus::strobe: return "strobe";
    case BeaconStatus::too_few: return "too_few";
    case BeaconStatus::bad_window: return "bad_window";
  }
  return "?";
}

BeaconAccumulator::BeaconAccumulator(size_t max_samples, int64_t horizon_s)
    : max_samples_(std::max<size_t>(max_samples, 8)), horizon_s_(std::max<int64_t>(horizon_s, 0)) {}

namespace {
constexpr auto by_hour = [](const auto& cell, int64_t hour) { return cell.first < hour; };
}  // namespace

void BeaconAccumulator::drop_before_horizon() {
  const int64_t cut = newest_s_ - horizon_s_;
  size_t j = 0;
  for (size_t i = 0; i < ts_.size(); ++i) {
    if (static_cast<int64_t>(ts_[i]) < cut) continue;
    ts_[j] = ts_[i];
    bytes_[j] = bytes_[i];
    ++j;
  }
  ts_.resize(j);
  bytes_.resize(j);
  const int64_t cut_hour = floor_div(cut, 3600) - 1;
  hours_.erase(hours_.begin(), std::lower_bound(hours_.begin(), hours_.end(), cut_hour, by_hour));
  if (cur_.count && cur_hour_ < cut_hour) cur_ = HourCell{};
}

void BeaconAccumulator::merge_hour(std::vector<std::pair<int64_t, HourCell>>& hours, int64_t hour, const HourCell& c) {
  if (hours.empty() || hour > hours.back().first) {
    hours.emplace_back(hour, c);
    return;
  }
  auto it = std::lower_bound(hours.begin(), hours.end(), hour, by_hour);
  if (it != hours.end() && it->first == hour) it->second.add(c);
  else hours.insert(it, {hour, c});
}

void BeaconAccumulator::flush_hour() {
  if (!cur_.count) return;
  merge_hour(hours_, cur_hour_, cur_);
  cur_ = HourCell{};
}

std::vector<std::pair<int64_t, BeaconAccumulator::HourCell>> BeaconAccumulator::hour_cells() const {
  std::vector<std::pair<int64_t, HourCell>> hours = hours_;
  if (cur_.count) merge_hour(hours, cur_hour_, cur_);
  return hours;
}

void BeaconAccumulator::add(TimeNs ts, uint64_t bytes_sent, TimeNs duration) {
  const int64_t s = to_seconds(ts);
  if (count_ == 0 || s > newest_s_) newest_s_ = s;
  // Hour totals older than the horizon are forgotten, a day's worth at a time.
  if (horizon_s_ > 0 && hours_.size() > static_cast<size_t>(2 * (horizon_s_ / 3600 + 2))) drop_before_horizon();
  const int64_t hour = floor_div(s, 3600);
  if (hour != cur_hour_ || cur_.count == 0) {
    flush_hour();
    cur_hour_ = hour;
  }
  ++cur_.count;
  cur_.bytes += bytes_sent;
  if (duration > 0) cur_.duration_s += static_cast<double>(duration) / kNsPerSec;
  const uint64_t arrival = count_++;
  if ((arrival & (stride_ - 1)) != 0) return;  // decimated: one arrival in stride_ is kept
  ts_.push_back(static_cast<uint32_t>(std::clamp<int64_t>(s, 0, UINT32_MAX)));
  bytes_.push_back(static_cast<uint32_t>(std::min<uint64_t>(bytes_sent, UINT32_MAX)));
  if (ts_.size() >= max_samples_ && horizon_s_ > 0) {
    // Samples older than the horizon cannot be scored any more: drop them first.
    drop_before_horizon();
    if (ts_.size() * 4 <= max_samples_ * 3) return;
  }
  if (ts_.size() >= max_samples_) {
    // Keep every other sample (arrival order: the first is always kept) and double the stride.
    size_t j = 0;
    for (size_t i = 0; i < ts_.size(); i += 2, ++j) {
      ts_[j] = ts_[i];
      bytes_[j] = bytes_[i];
    }
    ts_.resize(j);
    bytes_.resize(j);
    stride_ *= 2;
  }
}

using byte_io::get;
using byte_io::put;

void BeaconAccumulator::save(std::string& o) const {
  put(o, static_cast<uint64_t>(max_samples_)), put(o, horizon_s_), put(o, newest_s_), put(o, count_), put(o, stride_);
  put(o, static_cast<uint32_t>(ts_.size()));
  for (size_t i = 0; i < ts_.size(); ++i) put(o, ts_[i]), put(o, bytes_[i]);
  const auto hours = hour_cells();
  put(o, static_cast<uint32_t>(hours.size()));
  for (const auto& [h, c] : hours) put(o, h), put(o, c.count), put(o, c.bytes), put(o, c.duration_s);
}

bool BeaconAccumulator::load(std::string_view& in) {
  uint64_t max_samples = 0;
  uint32_t n = 0;
  if (!get(in, max_samples) || !get(in, horizon_s_) || !get(in, newest_s_) || !get(in, count_) || !get(in, stride_) ||
      !get(in, n) || n > in.size() / 8 || stride_ == 0 || (stride_ & (stride_ - 1)) != 0)
    return false;
  max_samples_ = std::max<size_t>(max_samples, 8);
  ts_.resize(n);
  bytes_.resize(n);
  for (uint32_t i = 0; i < n; ++i) get(in, ts_[i]), get(in, bytes_[i]);
  uint32_t nh = 0;
  if (!get(in, nh) || nh > in.size() / 32) return false;
  hours_.clear();
  cur_ = HourCell{};
  for (uint32_t i = 0; i < nh; ++i) {
    int64_t h = 0;
    HourCell c;
    get(in, h), get(in, c.count), get(in, c.bytes), get(in, c.duration_s);
    hours_.emplace_back(h, c);
  }
  // Saved sorted; a damaged or hand-made state file is sorted here and its repeated hours summed
  // (one insert each would be quadratic).
  std::stable_sort(hours_.begin(), hours_.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  size_t j = 0;
  for (size_t i = 0; i < hours_.size(); ++i) {
    if (j > 0 && hours_[j - 1].first == hours_[i].first) hours_[j - 1].second.add(hours_[i].second);
    else hours_[j++] = hours_[i];
  }
  hours_.resize(j);
  return true;
}

size_t BeaconAccumulator::memory_bytes() const {
  return sizeof(*this) + (ts_.capacity() + bytes_.capacity()) * sizeof(uint32_t) +
         hours_.capacity() * sizeof(hours_[0]);
}

BeaconScore BeaconAccumulator::score(const BeaconWindow& w, const BeaconConfig& cfg) const {
  BeaconScore r;
  r.sample_stride = stride_;
  // spagooper.go: only hours >= toStartOfHour(window min) are read for the pair.
  const int64_t first_hour = floor_div(w.min_s, 3600);
  const int64_t from_s = first_hour * 3600;
  for (const auto& [hour, cell] : hour_cells()) {
    if (hour < first_hour) continue;
    r.connections += cell.count;
    r.total_bytes += cell.bytes;
    r.total_duration_s += cell.duration_s;
  }
  if (w.max_s <= w.min_s) {
    r.status = BeaconStatus::bad_window;
    return r;
  }
  // analysis.go: count >= 86,400 is a strobe; it is not scored as a beacon.
  if (r.connections >= cfg.strobe_connections) {
    r.status = BeaconStatus::strobe;
    r.strobe = true;
    return r;
  }
  std::vector<int64_t> ts;
  std::vector<double> bytes;
  ts.reserve(ts_.size());
  bytes.reserve(ts_.size());
  for (size_t i = 0; i < ts_.size(); ++i) {
    if (static_cast<int64_t>(ts_[i]) < from_s) continue;
    ts.push_back(ts_[i]);
    bytes.push_back(bytes_[i]);
  }
  std::sort(ts.begin(), ts.end());
  std::sort(bytes.begin(), bytes.end());
  for (size_t i = 0; i < ts.size(); ++i) r.unique_timestamps += (i == 0 || ts[i] != ts[i - 1]);

  // Intervals between consecutive connections (getTimestampScore), in seconds of the original
  // series: divided by the stride when decimated.
  std::vector<double> deltas;
  deltas.reserve(ts.empty() ? 0 : ts.size() - 1);
  const double stride = stride_;
  for (size_t i = 1; i < ts.size(); ++i) deltas.push_back(static_cast<double>(ts[i] - ts[i - 1]) / stride);
  std::sort(deltas.begin(), deltas.end());
  uint64_t best = 0;
  for (size_t i = 0; i < deltas.size();) {
    size_t j = i;
    // calculateDistinctCounts: int64(x) (whole seconds; rounded when decimated)
    const int64_t v = std::llround(deltas[i]);
    while (j < deltas.size() && std::llround(deltas[j]) == v) ++j;
    r.intervals.emplace_back(v, j - i);
    if (j - i > best) best = j - i, r.interval_mode = v;
    i = j;
  }
  const auto nonzero_begin = std::upper_bound(deltas.begin(), deltas.end(), 0.0);
  const std::vector<double> nonzero(nonzero_begin, deltas.end());

  // analysis.go: unique timestamps >= threshold; beacons.go: >= 4 timestamps with >= 3 non-zero
  // intervals, >= 3 sizes, and a first connection before the last (getDurationScore).
  if (r.unique_timestamps < cfg.unique_connection_threshold || ts.size() < 4 || nonzero.size() < 3 ||
      bytes.size() < 3 || ts.back() <= ts.front()) {
    r.status = BeaconStatus::too_few;
    return r;
  }

  const Stat t = statistical_score(nonzero, 1);
  r.ts_score = t.score, r.ts_skew = t.skew, r.ts_mad = t.mad;
  const Stat d = statistical_score(bytes, 0);
  r.ds_score = d.score, r.ds_skew = d.skew, r.ds_mad = d.mad;

  const Histogram h = histogram(ts, stride_, w, cfg.hist_mode_sensitivity);
  r.histogram = h.bars;
  r.hist_bars = h.total_bars;
  r.hist_longest_run = h.longest_run;
  r.hist_cv_score = cv_score(h.bars);
  r.hist_bimodal_score = bimodal_score(h, cfg.hist_bimodal_outlier_removal, cfg.hist_bimodal_min_hours_seen);
  r.hist_score = std::max(r.hist_cv_score, r.hist_bimodal_score);

  // getDurationScore: with enough bars, max(coverage of the window, longest run / ideal hours).
  if (h.total_bars >= cfg.dur_min_hours_seen) {
    const double span = static_cast<double>(ts.back() - ts.front());
    r.dur_coverage = std::min(1.0, ceil3(span / static_cast<double>(w.max_s - w.min_s)));
    const int ideal = std::max(cfg.dur_consistency_ideal_hours_seen, 1);
    r.dur_consistency = std::min(1.0, ceil3(static_cast<double>(h.longest_run) / ideal));
    r.dur_score = std::max(r.dur_coverage, r.dur_consistency);
  }

  // getBeaconScore: the weighted sum, rounded to 3 decimals.
  r.score = round3(r.ts_score * cfg.ts_weight + r.ds_score * cfg.ds_weight + r.dur_score * cfg.dur_weight +
                   r.hist_score * cfg.hist_weight);
  r.status = BeaconStatus::scored;
  return r;
}

}  // namespace outflow
