// `explain` sections of a finding's pairs (features/pairs.h): per pair bytes each way, sessions,
// longest and cumulative duration, beacon sub-scores with a text histogram of the window and
// the most frequent intervals; and bytes out per TimeWindow.
#pragma once
#include <string>

#include "outflow/score/finding.h"

namespace outflow {

std::string explain_pairs(const Finding& f);
// Bytes out per TimeWindow (`window`): per day, and the busiest windows.
std::string explain_windows(const ProcessActivity& a, TimeNs window);

}  // namespace outflow
