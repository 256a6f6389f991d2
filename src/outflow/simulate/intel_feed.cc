#include "outflow/simulate/intel_feed.h"

#include <fmt/format.h>

#include <fstream>

#include "outflow/core/ip.h"
#include "outflow/simulate/rng.h"
#include "outflow/write/json_out.h"

namespace outflow::sim {

namespace {

// An external destination: a name, or an address outside private and documentation ranges.
bool external(const std::string& d) {
  IpAddr a;
  if (!IpAddr::parse(d, a)) return d.find('.') != std::string::npos;
  return !a.is_private() && !a.is_special();
}

}  // namespace

bool write_intel_feed(const std::vector<Label>& labels, uint64_t seed, TimeNs start, const std::string& path, IntelFeedResult& r,
                      std::string& error) {
  Rng rng(seed ^ 0x1e7e11u);
  // About half of the scenarios, at least one: a fair coin per scenario, then one forced in
  // when the coin named none.
  std::vector<const Label*> named;
  for (const auto& l : labels)
    if (rng.uniform() < 0.5) named.push_back(&l);
  if (named.empty() && !labels.empty()) named.push_back(&labels[rng.below(labels.size())]);
  std::string plain = fmt::format("# outflow simulate --seed {}: command servers of {} of {} scenarios, and decoys\n", seed,
                                  named.size(), labels.size());
  std::string stix;
  JsonOut j(stix);
  j.begin_object().str("type", "bundle").str("id", fmt::format("bundle--00000000-0000-4000-8000-{:012x}", seed & 0xffffffffffffULL));
  j.begin_array("objects");
  const std::string from = format_time(start - 86400 * kNsPerSec);
  size_t n = 0;
  auto indicator = [&](const std::string& name, const std::vector<std::string>& values) {
    std::string pattern;
    for (const auto& v : values) {
      IpAddr a;
      const bool ip = IpAddr::parse(v.substr(0, v.find('/')), a);
      pattern += fmt::format("{}[{}:value = '{}']", pattern.empty() ? "" : " OR ", ip ? (a.is_v4() ? "ipv4-addr" : "ipv6-addr") : "domain-name", v);
    }
    j.begin_object().str("type", "indicator").str("spec_version", "2.1")
        .str("id", fmt::format("indicator--00000000-0000-4000-8000-{:012x}", ++n)).str("created", from).str("modified", from)
        .str("valid_from", from).str("name", name).num("confidence", 90);
    j.begin_array("indicator_types").str_elem("malicious-activity").end_array();
    j.str("pattern", pattern).str("pattern_type", "stix").end_object();
  };
  for (const Label* l : named) {
    std::vector<std::string> values;
    for (const auto& d : l->destinations)
      if (external(d) && values.size() < 8) values.push_back(d);
    if (values.empty()) continue;
    r.scenarios.push_back(l->scenario);
    plain += "# " + l->scenario + "\n";
    for (const auto& v : values) plain += v + "\n";
    r.indicators += values.size();
    indicator("C2 of " + l->scenario, values);
  }
  // Indicators that never occur: documentation ranges and reserved names.
  std::vector<std::string> decoys;
  for (int i = 0; i < 20; ++i) decoys.push_back(fmt::format("203.0.113.{}", 1 + rng.below(250)));
  decoys.push_back("198.51.100.0/24");
  for (int i = 0; i < 10; ++i) decoys.push_back(fmt::format("c2-{}.never-seen.invalid", rng.below(100000)));
  plain += "# decoys (never in the data)\n";
  for (const auto& d : decoys) plain += d + "\n";
  r.decoys = decoys.size();
  indicator("decoys", decoys);
  j.end_array().end_object();
  stix.push_back('\n');
  for (const auto& [p, text] : {std::pair{path, &plain}, std::pair{path + ".stix.json", &stix}}) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << *text;
    if (!out) {
      error = "cannot write " + p;
      return false;
    }
  }
  return true;
}

}  // namespace outflow::sim
