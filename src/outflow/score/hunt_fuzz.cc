// libFuzzer target: the detector on a mixed input (as pipeline_fuzz: endpoint part, "==FLOWS==",
// flow part): sessions aggregated per process, baselines, factors, ranking, and every finding
// written as JSON and as the explain view. Findings must be valid JSON and UTF-8, scores in
// 0..100, ranks 1..n without gaps.
#include <simdjson.h>

#include "outflow/config/detect_config.h"
#include "outflow/core/utf8.h"
#include "outflow/features/activity.h"
#include "outflow/join/pipeline.h"
#include "outflow/score/hunter.h"
#include "outflow/testing/fuzz_support.h"
#include "outflow/write/finding_json.h"
#include "outflow/write/finding_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace outflow;

  static const DetectConfig cfg = [] {
    DetectConfig c = default_config();
    c.min_score = 0;  // every candidate is a finding: all the output paths run
    c.rarity_min_hosts = 2;
    return c;
  }();
  PipelineOptions opt;
  opt.max_processes = 64;
  opt.stitch.max_open = 16;
  ActivityAggregator agg(Hunter::aggregator_options(cfg));
  SessionPipeline* pp = nullptr;
  SessionPipeline pipe(opt, [&](const Session& s, const Attribution& a) { agg.add(s, a, &pp->processes()); });
  pp = &pipe;
  fuzz::read_mixed(data, size, pipe);
  agg.finish(pipe.index());
  Hunter hunter(cfg, nullptr);
  const HuntResult r = hunter.run(pipe, agg, nullptr);
  static simdjson::dom::parser json;
  int expect_rank = 0;
  for (const auto& f : r.findings) {
    fuzz::check(f.score >= 0 && f.score <= 100);
    if (f.rank) fuzz::check(f.rank == ++expect_rank);
    std::string out;
    write_finding_json(out, f, pipe);
    fuzz::check(valid_utf8(out));
    simdjson::dom::element doc;
    fuzz::check(!json.parse(out).get(doc) && doc.is_object());
    fuzz::check(valid_utf8(explain_finding(f, r, pipe)));
  }
  fuzz::check(valid_utf8(findings_table(r, pipe, true, 1000)));
  return 0;
}
