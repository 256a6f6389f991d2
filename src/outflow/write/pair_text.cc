#include "outflow/write/pair_text.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "outflow/score/hunter.h"
#include "outflow/write/terminal.h"

namespace outflow {

namespace {

// One character per bin, in eight heights (' ' for none).
std::string bars(const std::array<uint64_t, 24>& h) {
  static const char* const kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  uint64_t top = 0;
  for (const uint64_t v : h) top = std::max(top, v);
  std::string s;
  for (const uint64_t v : h) {
    if (v == 0 || top == 0) {
      s += '.';
      continue;
    }
    const size_t lvl = std::min<size_t>(7, static_cast<size_t>((v * 8 - 1) / top));
    s += kLevels[lvl];
  }
  return s;
}

std::string seconds_text(int64_t s) { return s < 120 ? fmt::format("{}s", s) : human_duration(s * kNsPerSec); }

}  // namespace

std::string explain_pairs(const Finding& f) {
  const PairTable& t = f.act->pairs;
  if (t.pairs().empty()) return {};
  std::string o = fmt::format("\nPairs ({} by destination address or name; {} shown):\n", t.pairs().size(), f.pairs.size());
  if (t.pairs_evicted() || t.sessions_unpaired())
    o += fmt::format("  ({} small pairs evicted when the table was full ({} sessions), {} sessions not paired)\n", t.pairs_evicted(),
                     t.sessions_evicted(), t.sessions_unpaired());
  o += fmt::format("  {:<48} {:>9} {:>9} {:>7} {:>9} {:>10} {:>7} {}\n", "pair", "out", "in", "sess", "longest", "cumulative", "beacon",
                   "first .. last");
  for (const auto& s : f.pairs) {
    const PairActivity& p = t.pairs()[s.index];
    std::string label = p.by_name ? fmt::format("{} (name, {} addr)", p.name, p.addresses) : p.ip.to_string() + " (ip)";
    if (s.internal) label += " (int)";
    if (s.common) label += " (common)";
    const BeaconScore& b = s.beacon;
    const std::string score = b.strobe ? "strobe" : b.status == BeaconStatus::scored ? fmt::format("{:.3f}", b.score) : "-";
    o += fmt::format("  {:<48} {:>9} {:>9} {:>7} {:>9} {:>10} {:>7} {} .. {}{}\n", terminal_safe(label.size() > 48 ? label.substr(0, 47) + "~" : label),
                     human_bytes(p.bytes_out), human_bytes(p.bytes_in), p.sessions, human_duration(p.longest), human_duration(p.cumulative()),
                     score, format_time(p.first), format_time(p.last),
                     p.open_sessions ? fmt::format("  ({} open at the end)", p.open_sessions) : "");
  }
  size_t shown = 0;
  for (const auto& s : f.pairs) {
    const BeaconScore& b = s.beacon;
    if (b.status != BeaconStatus::scored && !b.strobe) continue;
    if (++shown > 3) break;  // the three best; the others are in the table and the JSON
    const PairActivity& p = t.pairs()[s.index];
    o += fmt::format("\n  Beacon {} -> {}: window {} .. {} (24 h at most), {} connections, {} unique seconds, {} out, {:.1f} s connected\n",
                     p.by_name ? "name" : "ip", terminal_safe(p.label()), format_time(s.window.min_s * kNsPerSec),
                     format_time(s.window.max_s * kNsPerSec), b.connections, b.unique_timestamps, human_bytes(b.total_bytes), b.total_duration_s);
    if (b.strobe) {
      o += "    a strobe: too many connections in a day to score as a beacon (RITA)\n";
      continue;
    }
    o += fmt::format("    score {:.3f} = 0.25 x timestamps {:.3f} (Bowley skew {:.3f}, MAD {:.1f} s) + 0.25 x data size {:.3f} "
                     "(skew {:.3f}, MAD {:.0f} B)\n                + 0.25 x duration {:.3f} (coverage {:.3f}, consistency {:.3f}) + 0.25 x "
                     "histogram {:.3f} (cv {:.3f}, bimodal {:.3f})\n",
                     b.score, b.ts_score, b.ts_skew, b.ts_mad, b.ds_score, b.ds_skew, b.ds_mad, b.dur_score, b.dur_coverage,
                     b.dur_consistency, b.hist_score, b.hist_cv_score, b.hist_bimodal_score);
    o += fmt::format("    connections per {} (1/24 of the window): |{}|  ({} bins used, longest run {})\n",
                     human_duration((s.window.max_s - s.window.min_s) * kNsPerSec / 24), bars(b.histogram), b.hist_bars,
                     b.hist_longest_run);
    std::string counts;
    for (size_t i = 0; i < b.histogram.size(); ++i) counts += fmt::format("{}{}", i ? " " : "", b.histogram[i]);
    o += "      " + counts + "\n";
    o += "    most frequent intervals:";
    for (const auto& [iv, n] : b.intervals) o += fmt::format(" {} x{}", seconds_text(iv), n);
    if (b.sample_stride > 1) o += fmt::format("  (1 connection in {} sampled)", b.sample_stride);
    o += "\n";
  }
  return o;
}

std::string explain_windows(const ProcessActivity& a, TimeNs window) {
  if (window <= 0 || (a.window_out.empty() && a.folded_peak == 0)) return {};
  std::vector<std::pair<int64_t, uint64_t>> w(a.window_out.begin(), a.window_out.end());
  std::sort(w.begin(), w.end());
  std::map<int64_t, uint64_t> per_day;
  for (const auto& [b, v] : w) per_day[b * window / (86400 * kNsPerSec)] += v;
  std::string o = fmt::format("\nBytes out per {} window: {} windows with traffic", human_duration(window), w.size());
  if (a.folded_peak) o += fmt::format(" (older ones folded: their peak {} at {})", human_bytes(a.folded_peak), format_time(a.folded_peak_bucket * window));
  o += "\n  per day:";
  for (const auto& [d, v] : per_day) o += fmt::format(" {} {}", format_time(d * 86400 * kNsPerSec).substr(0, 10), human_bytes(v));
  o += "\n  busiest:";
  std::stable_sort(w.begin(), w.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  for (size_t i = 0; i < w.size() && i < 8; ++i) o += fmt::format(" {} {}", format_time(w[i].first * window).substr(0, 16), human_bytes(w[i].second));
  return o + "\n";
}

}  // namespace outflow
