// The SRUM section of `outflow coverage` (issue 18): per SRUM input, its host, span, intervals
// and gaps between flushes, dirty state, the interfaces' connected time (the connectivity
// table), and what SRUM can and cannot answer; and the monitored hosts with no SRUM.
#pragma once
#include <string>
#include <vector>

#include "outflow/features/usage_totals.h"
#include "outflow/read/srum/srum_usage.h"
#include "outflow/write/json_out.h"

namespace outflow {

struct SrumCoverage {
  const srum::UsageFile* file = nullptr;  // rows already summed: its counts, flags and connectivity
  std::string host;                       // "" when unknown
  bool host_from_name = false;            // named by the file name
  UsageSpan span;                         // of every row read
  size_t read_twice = 0;                  // rows another input had already given
};

// One interface's connections from the connectivity table: each connection (a ConnectStartTime)
// counted once with its largest ConnectedTime.
struct InterfaceConnectivity {
  uint64_t luid = 0;
  size_t connections = 0;
  int64_t connected_seconds = 0;
  TimeNs first_start = kNoTime, last_end = kNoTime;  // first connection's start, last row's time
};
std::vector<InterfaceConnectivity> interface_connectivity(const std::vector<srum::ConnectivityRow>& rows);

// `monitored`: the hosts the event logs name (display names); those matching no SRUM input's
// host are listed as without SRUM.
void coverage_srum_text(std::string& o, const std::vector<SrumCoverage>& s, const std::vector<std::string>& monitored);
void coverage_srum_json(JsonOut& j, const std::vector<SrumCoverage>& s, const std::vector<std::string>& monitored);

}  // namespace outflow
