// Loading the feeds a run is given: the config's `intel:` list and `--intel [KIND:]PATH`
// arguments (a folder = every regular file in it, in name order, each its own feed), read into
// one IntelSet. Problems inside a feed are counted in its FeedStats; only a path that does not
// exist or cannot be opened is an error.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "outflow/intel/intel_set.h"

namespace outflow {

// "--intel PATH" (kind malicious, unless `configured` names the same path with another kind) or
// "--intel KIND:PATH". False with `err` for an unknown KIND.
bool parse_intel_arg(std::string_view arg, const std::vector<FeedSpec>& configured, FeedSpec& out, std::string& err);

// Loads every enabled spec into `set` and finishes it. False with `err` when a path cannot be
// opened (the run stops: a feed the user named and that is not read would be a silent gap).
bool load_intel(const std::vector<FeedSpec>& specs, IntelSet& set, std::string& err);

// Feeds whose newest date is older than their max_age before `ref` (the data's last record
// time): one warning each.
std::vector<std::string> stale_feed_warnings(const IntelSet& set, TimeNs ref);

}  // namespace outflow
