// The factors of AN0080, one function per family. Each adds Factor entries (name, observed,
// threshold or baseline, contribution) to a Finding; the score is their sum (capped at 100),
// times the host role's criticality.
#pragma once
#include "outflow/baseline/baselines.h"
#include "outflow/features/geoip.h"
#include "outflow/intel/intel_set.h"
#include "outflow/join/pipeline.h"
#include "outflow/score/context.h"
#include "outflow/score/finding.h"

namespace outflow {

struct ScoreContext {
  const DetectConfig& cfg;
  const ContextRules& rules;
  const SessionPipeline& pipe;
  const Baselines& base;   // state + input
  const Baselines* state;  // the stored state alone, or null
  const GeoIp* geo;
  uint32_t org_hosts = 0;
  const DnsView* dns = nullptr;  // the DNS tunnelling view (ActivityAggregator::dns()), if any
  // The earliest and latest outbound session starts (ActivityAggregator::first_outbound): the
  // data's span, for the beacon windows.
  TimeNs data_first = kNoTime, data_last = kNoTime;
  const IntelSet* intel = nullptr;  // loaded feeds (score/threat_intel.h), if any
};

// Fills f.dests (top destinations with prevalence, country) and every factor; returns whether
// any "activity" factor fired (volume, duration, repetition, fan-out, DNS, country): context
// alone (who, from where) makes a finding only together with a suspicious lineage.
bool score_activity(const ScoreContext& sc, const ProcessActivity& a, Finding& f);
void score_context(const ScoreContext& sc, const Process& p, Finding& f);
void assign_techniques(const ScoreContext& sc, const ProcessActivity& a, Finding& f);

}  // namespace outflow
