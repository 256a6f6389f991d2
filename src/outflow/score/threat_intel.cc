#include "outflow/score/threat_intel.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <unordered_set>

#include "outflow/intel/registered_domain.h"
#include "outflow/score/hunter.h"

namespace outflow {

namespace {

constexpr size_t kMaxHits = 16;  // per finding, in Finding::intel

std::string where_text(const DestActivity& d) {
  std::string ip = d.ip.is_unset() ? "" : d.ip.is_v4() ? d.ip.to_string() : "[" + d.ip.to_string() + "]";
  std::string s = d.domain.empty() ? ip : ip.empty() ? d.domain : d.domain + " (" + ip + ")";
  return s + ":" + std::to_string(d.port);
}

double default_points(IntelKind k) {
  switch (k) {
    case IntelKind::malicious: return kMaliciousPoints;
    case IntelKind::suspicious: return kSuspiciousPoints;
    case IntelKind::trusted_abused: return kTrustedAbusePoints;
    default: return 0;
  }
}

struct Candidate {
  IntelHit hit;
  IntelKind kind = IntelKind::label;
  size_t dest = SIZE_MAX;  // index into a.dests; SIZE_MAX: a name pair
  uint64_t bytes = 0;
  bool by_name = false;
};

std::string age_text(double days) {
  if (days < 0) return "age unknown";
  return days < 1 ? "listed less than a day before" : fmt::format("listed {:.0f} day(s) before", days);
}

std::string hit_detail(const IntelHit& h) {
  std::string s = fmt::format("{} {} matched {} indicator {} of feed '{}'", h.type == "domain" || h.type == "url" || h.type == "substring" ? "name" : "address",
                              h.matched, h.kind, h.indicator, h.feed);
  s += h.confidence >= 0 ? fmt::format(" (confidence {}, {}", h.confidence, age_text(h.age_days)) : " (" + age_text(h.age_days);
  if (!h.label.empty()) s += "; " + h.label;
  return s + ")";
}

bool has_active_volume(const Finding& f) {
  return std::any_of(f.factors.begin(), f.factors.end(), [](const Factor& x) {
    return x.contribution > 0 && (x.name == "volume_out" || x.name == "large_session" || x.name == "long_session" ||
                                  x.name == "cumulative_duration" || x.name == "volume_vs_baseline");
  });
}

}  // namespace

bool score_threat_intel(const ScoreContext& sc, const ProcessActivity& a, Finding& f) {
  if (!sc.intel || sc.intel->empty() || f.dests.empty()) return false;
  const IntelSet& set = *sc.intel;
  std::vector<std::string_view> paths;
  for (const auto& u : a.app.uris) paths.push_back(u.text);
  std::vector<Candidate> found;
  std::vector<IntelMatch> m;
  auto take = [&](const IntelMatch& x, const std::string& dest, size_t index, uint64_t bytes, TimeNs first, bool by_name) {
    const FeedSpec& feed = set.feeds()[x.meta->feed];
    Candidate c;
    c.kind = feed.kind;
    c.dest = index, c.bytes = bytes, c.by_name = by_name;
    IntelHit& h = c.hit;
    h.feed = feed.name, h.kind = intel_kind_name(feed.kind), h.type = indicator_type_name(x.type);
    h.indicator = x.indicator, h.matched = x.matched, h.destination = dest;
    h.label = std::string(set.label_text(x.meta->label));
    h.confidence = x.meta->confidence;
    if (x.type == IndicatorType::url) h.matched += x.path_matched ? " (host and path)" : " (host; path not seen)";
    if (x.meta->created != kNoTime && first != kNoTime && first >= x.meta->created)
      h.age_days = std::floor(static_cast<double>(first - x.meta->created) / (86400.0 * kNsPerSec));
    const double w = feed.weight > 0 ? feed.weight : default_points(feed.kind);
    h.points = std::round(w * (h.confidence >= 0 ? h.confidence / 100.0 : 1.0) * 10) / 10;
    found.push_back(std::move(c));
  };
  std::unordered_set<std::string> names_seen;
  for (size_t i = 0; i < a.dests.size(); ++i) {
    const DestActivity& d = a.dests[i];
    m.clear();
    set.match_ip(d.ip, d.first, d.last, m);
    const size_t by_ip = m.size();
    if (!d.domain.empty()) {
      set.match_name(d.domain, d.first, d.last, m, paths);
      names_seen.insert(d.domain);
    }
    for (size_t k = 0; k < m.size(); ++k) take(m[k], where_text(d), i, d.bytes_out, d.first, k >= by_ip);
  }
  // Names the TLS SNI or HTTP Host gave (name pairs), when no destination carries them.
  for (const auto& p : a.pairs.pairs()) {
    if (!p.by_name || p.name.empty() || !names_seen.insert(p.name).second) continue;
    m.clear();
    set.match_name(p.name, p.first, p.last, m, paths);
    for (const auto& x : m) take(x, p.name, SIZE_MAX, p.bytes_out, p.first, true);
  }
  if (found.empty()) return false;
  // Best first: points, then bytes out.
  std::stable_sort(found.begin(), found.end(), [](const Candidate& x, const Candidate& y) {
    if (x.hit.points != y.hit.points) return x.hit.points > y.hit.points;
    return x.bytes > y.bytes;
  });
  bool active = false;
  auto in_top = [&](size_t dest) {
    return std::any_of(f.dests.begin(), f.dests.end(), [&](const DestSummary& s) { return s.index == dest; });
  };
  for (IntelKind k : {IntelKind::malicious, IntelKind::suspicious}) {
    const Candidate* best = nullptr;
    size_t n = 0;
    for (const auto& c : found)
      if (c.kind == k) best = best ? best : &c, ++n;
    if (!best) continue;
    const IntelHit& h = best->hit;
    f.factors.push_back(Factor{"threat_intel", fmt::format("{} in {} ({})", h.matched, h.feed, h.kind), h.indicator,
                               h.confidence >= 0 ? fmt::format("confidence {}, {}", h.confidence, age_text(h.age_days)) : age_text(h.age_days),
                               "destination " + h.destination + ": " + hit_detail(h) +
                                   (n > 1 ? fmt::format("; {} more {} match(es)", n - 1, h.kind) : ""),
                               h.points});
    active = true;
    if (k == IntelKind::malicious && h.confidence != 0) f.intel_malicious = true;
  }
  // A trusted site attackers use, carrying this finding's volume or long session.
  if (has_active_volume(f)) {
    for (const auto& c : found) {
      if (c.kind != IntelKind::trusted_abused || c.dest == SIZE_MAX || !in_top(c.dest)) continue;
      const IntelHit& h = c.hit;
      f.factors.push_back(Factor{"trusted_site_abuse", fmt::format("{} ({})", h.matched, h.feed), h.indicator, "",
                                 "destination " + h.destination + " is a legitimate service attackers use for exfiltration or C2 (T1567): " +
                                     hit_detail(h),
                                 h.points});
      break;
    }
  }
  const DestSummary& ts = f.dests[0];
  const DestActivity& top = a.dests[ts.index];
  auto top_match = [&](IntelKind k) -> const Candidate* {
    for (const auto& c : found)
      if (c.kind == k && c.dest == ts.index) return &c;
    return nullptr;
  };
  // Popular: the rarity part only, for a destination other hosts of the organisation use too.
  if (const Candidate* p = top_match(IntelKind::popular);
      p && p->by_name && !top_match(IntelKind::trusted_abused) && ts.hosts_in_org >= 2 && !hosted_tenant(p->hit.matched)) {
    double rarity = 0;
    for (const auto& x : f.factors)
      if (x.name == "rare_destination" || x.name == "new_destination") rarity += x.contribution;
    const double cut = std::min(kPopularMaxDiscount, std::round(rarity * 5) / 10);
    if (cut > 0)
      f.factors.push_back(Factor{"popular_destination", fmt::format("{} ({})", p->hit.matched, p->hit.feed), p->hit.indicator,
                                 fmt::format("used by {} hosts of the organisation", ts.hosts_in_org),
                                 "a widely used site that other hosts here use too: the rarity points are halved", -cut});
  }
  if (const Candidate* l = top_match(IntelKind::label))
    f.factors.push_back(Factor{"intel_label", l->hit.label.empty() ? l->hit.feed : l->hit.label, l->hit.indicator, "",
                               "the top destination " + where_text(top) + " is listed by " + l->hit.feed, 0});
  for (const auto& c : found) {
    if (f.intel.size() >= kMaxHits) break;
    f.intel.push_back(c.hit);
  }
  return active;
}

}  // namespace outflow
