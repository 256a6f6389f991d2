// The factors of an entity's pairs (features/pairs.h): beacons scored as RITA v5 scores them,
// strobes, and long connections per destination address or name.
//
// The beacon window. RITA scores the last 24 h of the whole dataset: [max(first, last - 24 h),
// last]. On a multi-day input that forgets a beacon that ran for two days and stopped on the
// third, which a hunt over a week of logs must not. Outflow keeps RITA's window for every pair
// active in the data's last 24 h (so RITA's scores are reproduced, quiet hours at the end
// included), and scores a pair that went quiet before that over its own last 24 h:
// [max(data start, pair's last start - 24 h), pair's last start]. The data's span is that of the
// outbound sessions (internal -> external, as RITA's import filters them). Whole days are not
// rescored one by one: a beacon followed days later by irregular traffic to the same pair is
// scored on that later traffic.
#pragma once
#include <vector>

#include "outflow/score/factors.h"

namespace outflow {

// Beacon score grades (RITA's score is 0..1): at or above each, the points of the beacon factor.
struct BeaconGrade {
  double score;
  double points;
};
inline constexpr BeaconGrade kBeaconGrades[] = {{0.95, 22}, {0.9, 18}, {0.8, 12}, {0.7, 6}};
inline constexpr double kBeaconMinScore = 0.7;  // below: reported with the pair, no factor
inline constexpr double kStrobePoints = 10;

// The beacon window of one pair (see above).
BeaconWindow pair_window(const BeaconAccumulator& acc, TimeNs data_first, TimeNs data_last);

// Scores every pair of `a`, keeps the notable ones in f.pairs (at most 10: beacons and strobes
// first, then the longest connections, then bytes out) and adds the factors `beacon`, `strobe`
// and `long_connection`. Returns whether one of them makes the finding active.
bool score_pairs(const ScoreContext& sc, const ProcessActivity& a, Finding& f);
// T1071 for a beacon (a command channel over an application protocol), T1041 when it also
// carried data out.
void assign_pair_techniques(const ProcessActivity& a, Finding& f);

}  // namespace outflow
