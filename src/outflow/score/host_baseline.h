// A flow-only host against its own days and its role's (baselines per host and per host role):
// - its busiest day well above the other days of the same host (host_baseline_min_days of them),
//   or, with fewer, above the days of the hosts of its role: factor volume_vs_baseline (+10);
// - its busiest day not above its own other days (the same test, however few: one is enough),
//   its bytes out kept to a daily schedule (scheduled_job_hours), and nothing notable
//   (volume_notable) uploaded to a destination it used on one day only: its routine (the backup
//   server's nightly upload to cloud storage). Its volume and repetition factors then count a
//   quarter, and factor host_routine (0 points) says why. A one-off upload of the same size from a
//   host whose other days are small, or to a destination of one day, gets no discount.
#pragma once
#include "outflow/score/factors.h"

namespace outflow {

// After score_activity, for a flow-only host. Returns whether the finding is active (as
// score_activity does), `active` updated.
bool score_host_baseline(const ScoreContext& sc, const ProcessActivity& a, Finding& f, bool active);

}  // namespace outflow
