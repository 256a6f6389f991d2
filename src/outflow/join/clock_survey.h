// A first look at the clocks, before the real read.
//
// Reading inputs merged by time (read/merged_reader.h) puts an endpoint event next to the flows
// of the same moment only if the host's clock is within the merge's lead (12 h) of the
// sensor's; a host whose connection events are days behind would have them forgotten (or not
// yet read) when their flows come. So before the merge, the join runs once over the first part
// of every input (the survey: endpoint inputs first, then flows, keeping everything, as
// `--read-order endpoint-first` does) and estimates each clock (host, event type, time field)
// the way the real run does. The merge then keys each endpoint event at its time corrected by
// the survey's offset, so that offsets of days or months cost no memory, and the real run's
// estimates start from the survey's (priors, until their own samples suffice).
//
// Bounded: the survey's join holds the state of at most `budget` bytes of input while it runs,
// and only its clocks (4,096 samples per clock at most) afterwards. It reads at most `budget` bytes (decompressed) in all, split over the
// inputs (flow inputs get four shares: they are denser in connections and cheap to parse);
// what it finds outside those prefixes it does not know. Inputs that cannot be read twice
// (stdin, pipes, FIFOs) are not surveyed. Deterministic: the same inputs give the same survey.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "outflow/join/pipeline.h"

namespace outflow {

struct SurveyInput {
  std::string path;
  bool endpoint = false;
};

struct ClockSurvey {
  // What the survey's join learnt of the clocks (the rest of its state is freed at once).
  std::unique_ptr<HostRegistry> hosts;
  std::unique_ptr<ClockOffsets> clocks;
  uint64_t bytes = 0;                     // decompressed bytes read
  size_t inputs = 0, skipped = 0;         // surveyed, and not (not re-readable)
  TimeNs largest = 0;                     // the largest |offset| found

  // The shift of an endpoint event onto the sensor's clock (0 when unknown), for the merge's
  // keys. Not thread-safe: called on the merging thread only.
  std::function<TimeNs(const HostEvent&)> shift() const;
  // The survey's estimates, to seed the real run (ClockOffsets::set_priors).
  void seed(SessionPipeline& real) const;
};

// Default budget: 2% of the inputs' size, at least 16 MiB and at most 128 MiB.
uint64_t survey_budget(const std::vector<SurveyInput>& inputs);
ClockSurvey survey_clocks(const std::vector<SurveyInput>& inputs, uint64_t budget, const PipelineOptions& o);

}  // namespace outflow
