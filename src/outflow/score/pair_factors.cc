#include "outflow/score/pair_factors.h"

#include <algorithm>
#include <fmt/format.h>
#include <unordered_map>

#include "outflow/score/hunter.h"

namespace outflow {

namespace {

void add(Finding& f, std::string name, double points, std::string observed, std::string threshold, std::string detail) {
  f.factors.push_back(Factor{std::move(name), std::move(observed), std::move(threshold), "", std::move(detail), points});
}

std::string pair_text(const PairActivity& p) {
  if (!p.by_name) return p.ip.to_string();
  if (p.ip.is_unset()) return p.name;  // through a proxy: known by name only
  return p.addresses > 1 ? fmt::format("{} ({} and {} more address(es))", p.name, p.ip.to_string(), p.addresses - 1)
                         : fmt::format("{} ({})", p.name, p.ip.to_string());
}

bool has_points(const Finding& f, std::string_view n) {
  return std::any_of(f.factors.begin(), f.factors.end(), [&](const Factor& x) { return x.name == n && x.contribution > 0; });
}

// The most frequent intervals only: a finding keeps what it shows.
void trim_intervals(BeaconScore& b, size_t keep) {
  std::stable_sort(b.intervals.begin(), b.intervals.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  if (b.intervals.size() > keep) b.intervals.resize(keep);
}

}  // namespace

BeaconWindow pair_window(const BeaconAccumulator& acc, TimeNs data_first, TimeNs data_last) {
  TimeNs last = acc.newest_s() * kNsPerSec;
  // Active in the data's last day: RITA's window, to the end of the data. Quiet since: its own.
  if (data_last != kNoTime && data_last >= last && last >= data_last - 86'400 * kNsPerSec) last = data_last;
  return rita_beacon_window(data_first == kNoTime ? last - 86'400 * kNsPerSec : data_first, last);
}

bool score_pairs(const ScoreContext& sc, const ProcessActivity& a, Finding& f) {
  const DetectConfig& c = sc.cfg;
  const auto& pairs = a.pairs.pairs();
  if (pairs.empty()) return false;
  const bool rarity_known = sc.org_hosts >= c.rarity_min_hosts;
  const uint32_t common_hosts = std::max<uint32_t>(3, (sc.org_hosts + 3) / 4);
  // An address pair's prevalence key is its destination's (the name DNS gave the address).
  std::unordered_map<IpAddr, const DestActivity*, IpAddrHash> dest_of;
  for (const auto& d : a.dests) dest_of.try_emplace(d.ip, &d);

  std::vector<PairSummary> all;
  all.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    const PairActivity& p = pairs[i];
    PairSummary s;
    s.index = i;
    DestActivity key_of;
    key_of.ip = p.ip;
    if (p.by_name) key_of.domain = p.name;
    else if (auto it = dest_of.find(p.ip); it != dest_of.end()) key_of.domain = it->second->domain;
    if (auto it = sc.base.dests.find(destination_key(key_of)); it != sc.base.dests.end()) s.hosts_in_org = it->second.hosts;
    s.common = rarity_known && s.hosts_in_org >= common_hosts;
    // A name pair reached only through a proxy has no address: by its name, not internal.
    s.internal = !(p.by_name && p.ip.is_unset()) && (c.internal_networks.contains(p.ip) || p.ip.is_special());
    if (const BeaconAccumulator* acc = a.pairs.accumulator(p)) {
      s.window = pair_window(*acc, sc.data_first, sc.data_last);
      // Bytes out the sensor mostly did not see are unknown, not a constant 0: the data size
      // sub-score is left out and the other three weigh a third each.
      BeaconConfig bc;
      if (p.sessions_out_unknown * 2 > p.sessions) bc.ds_weight = 0, bc.ts_weight = bc.dur_weight = bc.hist_weight = 1.0 / 3;
      s.beacon = acc->score(s.window, bc);
      s.data_size_unknown = bc.ds_weight == 0;
      trim_intervals(s.beacon, 10);
    } else {
      s.beacon.connections = p.sessions;
    }
    all.push_back(std::move(s));
  }
  auto counts = [](const PairSummary& s) { return !s.common && !s.internal; };
  auto rank = [](const PairSummary& s) {
    return s.beacon.strobe ? 2.0 : s.beacon.status == BeaconStatus::scored ? 1.0 + s.beacon.score : 0.0;
  };
  std::sort(all.begin(), all.end(), [&](const PairSummary& x, const PairSummary& y) {
    const PairActivity &px = pairs[x.index], &py = pairs[y.index];
    if (counts(x) != counts(y)) return counts(x);
    if (rank(x) != rank(y)) return rank(x) > rank(y);
    if (px.longest != py.longest) return px.longest > py.longest;
    if (px.bytes_out != py.bytes_out) return px.bytes_out > py.bytes_out;
    return x.index < y.index;
  });
  bool active = false;

  // --- Strobe: more connections in a day than a beacon could be scored on -------------------
  const PairSummary* strobe = nullptr;
  const PairSummary* beacon = nullptr;
  for (const auto& s : all) {
    if (!counts(s)) continue;
    if (s.beacon.strobe && !strobe) strobe = &s;
    if (s.beacon.status == BeaconStatus::scored && s.beacon.score >= kBeaconMinScore && (!beacon || s.beacon.score > beacon->beacon.score))
      beacon = &s;
  }
  if (strobe) {
    const PairActivity& p = pairs[strobe->index];
    add(f, "strobe", kStrobePoints, fmt::format("{} connections in 24 h", strobe->beacon.connections),
        fmt::format(">= {} connections in a day (RITA)", BeaconConfig{}.strobe_connections),
        "connected to " + pair_text(p) + " more than once a second on average: a strobe (not scored as a beacon)");
    active = true;
  }
  if (beacon) {
    const PairActivity& p = pairs[beacon->index];
    const BeaconScore& b = beacon->beacon;
    double pts = 0;
    for (const auto& g : kBeaconGrades)
      if (b.score >= g.score) {
        pts = g.points;
        break;
      }
    add(f, "beacon", pts,
        beacon->data_size_unknown
            ? fmt::format("score {:.3f} (timestamps {:.3f}, data size unknown, duration {:.3f}, histogram {:.3f})", b.score,
                          b.ts_score, b.dur_score, b.hist_score)
            : fmt::format("score {:.3f} (timestamps {:.3f}, data size {:.3f}, duration {:.3f}, histogram {:.3f})", b.score,
                          b.ts_score, b.ds_score, b.dur_score, b.hist_score),
        fmt::format(">= {:.2f} (RITA v5 beacon score)", kBeaconMinScore),
        fmt::format("{} connections to {} in its last 24 h, most often every {}s{}", b.connections, pair_text(p), b.interval_mode,
                    b.sample_stride > 1 ? fmt::format(" (1 in {} sampled)", b.sample_stride) : ""));
    active = true;
  }

  // --- Long connections per pair (open ones included) ---------------------------------------
  if (!c.long_duration_steps.empty()) {
    const PairActivity* longest = nullptr;
    const PairActivity* cum = nullptr;
    for (const auto& s : all) {
      if (!counts(s)) continue;
      const PairActivity& p = pairs[s.index];
      if (!longest || p.longest > longest->longest) longest = &p;
      if (!cum || p.cumulative() > cum->cumulative()) cum = &p;
    }
    auto steps = [&](TimeNs d) {
      size_t k = 0;
      while (k < c.long_duration_steps.size() && d >= c.long_duration_steps[k]) ++k;
      return k;
    };
    const size_t ls = longest ? steps(longest->longest) : 0, cs = cum ? steps(cum->cumulative()) : 0;
    if (ls > 0 || cs > 0) {
      // The destination factors (long_session, cumulative_duration) already score durations per
      // address and port: this one scores only what they did not (a name over many addresses).
      const bool scored = has_points(f, "long_session") || has_points(f, "cumulative_duration");
      const PairActivity& p = ls >= cs ? *longest : *cum;
      const bool download = p.bytes_out < c.volume_notable && p.bytes_in >= 10 * std::max<uint64_t>(p.bytes_out, 1);
      const double pts = scored ? 0 : (ls >= cs ? 4.0 * static_cast<double>(ls) : 3.0 * static_cast<double>(cs)) * (download ? 0.5 : 1.0);
      add(f, "long_connection", pts,
          fmt::format("longest {}, cumulative {}", human_duration(p.longest), human_duration(p.cumulative())),
          ">= " + human_duration(c.long_duration_steps[std::max(ls, cs) - 1]),
          fmt::format("to {}: {} session(s){}, longest starting {}", pair_text(p), p.sessions,
                      p.open_sessions ? fmt::format(", {} still open when the data ended", p.open_sessions) : "",
                      format_time(p.longest_start)));
      active |= pts > 0 && !download;
    }
  }

  // What the finding keeps: the notable pairs first, at most 10.
  if (all.size() > 10) all.resize(10);
  f.pairs = std::move(all);
  return active;
}

void assign_pair_techniques(const ProcessActivity& a, Finding& f) {
  auto add_t = [&](const char* t) {
    if (std::find(f.techniques.begin(), f.techniques.end(), t) == f.techniques.end()) f.techniques.push_back(t);
  };
  const auto it = std::find_if(f.factors.begin(), f.factors.end(), [](const Factor& x) { return x.name == "beacon" && x.contribution > 0; });
  if (it == f.factors.end() || f.pairs.empty()) return;
  add_t("T1071");
  for (const auto& s : f.pairs) {
    if (s.beacon.status != BeaconStatus::scored || s.beacon.score < kBeaconMinScore) continue;
    const PairActivity& p = a.pairs.pairs()[s.index];
    if (p.bytes_out >= 100'000 || (p.bytes_out > p.bytes_in && p.bytes_out >= 10'000)) add_t("T1041");
    break;
  }
}

}  // namespace outflow
