// The factors of an entity's pairs (features/pairs.h): beacons scored as RITA v5 scores them,
// strobes, and long connections per destination address or name.
//
// The beacon window. RITA scores the last 24 h of the whole dataset: [max(first, last - 24 h),
// last]. On a multi-day input that forgets a beacon that ran for two days and stopped on the
// third, which a hunt over a week of logs must not. Outflow scores each pair over its own last
// 24 h: [max(dataset first, pair's last start - 24 h), pair's last start]. For a pair active until
// the end of the data this is RITA's window (shifted by the few seconds between the pair's last
// connection and the dataset's), so RITA's scores are reproduced; a pair that went quiet is
// scored over the day it was last active. Whole days are not rescored one by one: a beacon
// followed days later by irregular traffic to the same pair is scored on that later traffic.
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

// The start of the data (the earliest flow any sensor saw), for the beacon window.
TimeNs dataset_first(const SessionPipeline& pipe);
// The beacon window of one pair (see above).
BeaconWindow pair_window(const PairActivity& p, const BeaconAccumulator& acc, TimeNs first);

// Scores every pair of `a`, keeps the notable ones in f.pairs (at most 10: beacons and strobes
// first, then the longest connections, then bytes out) and adds the factors `beacon`, `strobe`
// and `long_connection`. Returns whether one of them makes the finding active.
bool score_pairs(const ScoreContext& sc, const ProcessActivity& a, Finding& f);
// T1071 for a beacon (a command channel over an application protocol), T1041 when it also
// carried data out.
void assign_pair_techniques(const ProcessActivity& a, Finding& f);

}  // namespace outflow
