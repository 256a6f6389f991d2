#include "intel_common.h"

#include <fmt/format.h>

#include "command.h"
#include "outflow/intel/feed_loader.h"
#include "outflow/write/terminal.h"

namespace outflow::cli {

int load_run_intel(const CommonOptions& o, const DetectConfig& cfg, IntelSet& set) {
  std::vector<FeedSpec> specs = cfg.intel;
  std::string err;
  for (const auto& arg : o.intel) {
    FeedSpec f;
    if (!parse_intel_arg(arg, cfg.intel, f, err)) {
      fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
      return kExitError;
    }
    bool dup = false;
    for (const auto& s : cfg.intel) dup |= s.path == f.path && s.enabled;
    if (!dup) specs.push_back(f);
  }
  if (specs.empty()) return kExitOk;
  if (!load_intel(specs, set, err)) {
    fmt::print(stderr, "outflow: {}\n", terminal_safe(err));
    return kExitError;
  }
  return kExitOk;
}

void report_intel_warnings(IntelSet& set, TimeNs ref, bool quiet) {
  set.count_expired(ref);
  if (quiet) return;
  for (size_t i = 0; i < set.feeds().size(); ++i) {
    const FeedStats& st = set.stats()[i];
    if (!st.error.empty())
      fmt::print(stderr, "outflow: warning: intel feed {} not read: {}\n", terminal_safe(set.feeds()[i].name), terminal_safe(st.error));
    else if (st.bad + st.unevaluable > 0)
      fmt::print(stderr, "outflow: intel feed {}: {} indicator(s); {} bad line(s), {} unevaluable (`outflow coverage --intel` lists them)\n",
                 terminal_safe(set.feeds()[i].name), st.indicators(), st.bad, st.unevaluable);
  }
  for (const auto& w : stale_feed_warnings(set, ref)) fmt::print(stderr, "outflow: warning: {}\n", terminal_safe(w));
}

}  // namespace outflow::cli
