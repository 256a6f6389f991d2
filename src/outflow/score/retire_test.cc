// Retiring processes to disk: records read back whole; a hunt whose processes were retired
// during the run finds what a hunt that kept them all finds; roll-up across retired children.
#include "outflow/score/retire.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include <fmt/format.h>

#include <filesystem>

#include "outflow/read/merged_reader.h"
#include "outflow/score/hunter.h"
#include "outflow/simulate/simulator.h"
#include "outflow/testing/events.h"
#include "outflow/testing/sim_org.h"

namespace outflow {
namespace {

namespace fs = std::filesystem;
using testing::ip;

constexpr TimeNs kH = 3600 * kNsPerSec;
constexpr uint64_t kMB = 1'000'000;

const Factor* factor_named(const Finding& f, std::string_view name) {
  for (const auto& x : f.factors)
    if (x.name == name) return &x;
  return nullptr;
}

// A pipeline and aggregator wired as `outflow hunt` wires them.
struct HuntRun {
  DetectConfig cfg = default_config();
  std::unique_ptr<ActivityAggregator> agg;
  std::unique_ptr<SessionPipeline> pipe;
  std::unique_ptr<Retirer> retirer;
  explicit HuntRun(PipelineOptions po) {
    agg = std::make_unique<ActivityAggregator>(Hunter::aggregator_options(cfg));
    ActivityAggregator* a = agg.get();
    pipe = std::make_unique<SessionPipeline>(po, [a, this](const Session& s, const Attribution& at) {
      a->add(s, at, &pipe->processes());
    });
    retirer = std::make_unique<Retirer>(cfg, *pipe, *agg);
    Retirer* r = retirer.get();
    pipe->set_on_evict([r](ProcId id) { r->on_evict(id); });
  }
  HuntResult hunt(bool keep_all = false) {
    Hunter h(cfg, nullptr);
    h.keep_all_explanations(keep_all);
    return h.run(*pipe, *agg, nullptr, retirer.get());
  }
};

TEST(Retire, ARecordReadsBackWhole) {
  PipelineOptions po;
  HuntRun run(po);
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  run.pipe->on_host_event(testing::start("WS1", "{B}", "{A}", "C:\\Tools\\rclone.exe", "C:\\Windows\\cmd.exe", t0));
  run.pipe->on_host_event(testing::connect("WS1", "{B}", "10.0.0.5", 40000, "203.0.113.9", 443, t0 + kNsPerSec));
  run.pipe->on_host_event(testing::connect("WS1", "{B}", "10.0.0.5", 40001, "198.51.100.7", 8443, t0 + 2 * kNsPerSec));
  run.pipe->on_flow(testing::netflow("10.0.0.5", 40000, "203.0.113.9", 443, t0 + kNsPerSec, t0 + 90 * kNsPerSec, 7 * kMB));
  run.pipe->on_flow(testing::netflow("10.0.0.5", 40001, "198.51.100.7", 8443, t0 + 2 * kNsPerSec, t0 + 3 * kNsPerSec, 1000));
  run.pipe->finish();
  const ProcId b = run.pipe->processes().find_by_guid(0, "{B}");
  ASSERT_NE(b, kNoProc);
  ASSERT_EQ(run.agg->processes().size(), 1u);
  run.agg->processes().front().dests.back().via_proxy = testing::ip("10.0.0.3");  // reached through a proxy
  ProcessActivity before = run.agg->processes().front();
  ASSERT_EQ(before.proc, b);
  run.retirer->finish();
  EXPECT_EQ(run.agg->processes().front().host, kNoHost);  // taken: the slot is empty
  EXPECT_EQ(run.retirer->retired(), 1u);
  EXPECT_TRUE(run.retirer->on_disk());
  ASSERT_TRUE(run.retirer->rewind());
  RetiredRecord r;
  ASSERT_TRUE(run.retirer->next(r)) << run.retirer->error();
  EXPECT_FALSE(r.rollup);
  ASSERT_EQ(r.chain.size(), 2u);  // the placeholder parent {A}, then {B}
  EXPECT_EQ(r.chain[0].guid, "{A}");
  EXPECT_EQ(r.chain[0].image, "C:\\Windows\\cmd.exe");
  EXPECT_EQ(r.chain[1].image, "C:\\Tools\\rclone.exe");
  EXPECT_EQ(r.chain[1].user, "NT AUTHORITY\\SYSTEM");
  EXPECT_EQ(r.chain[1].start, t0);
  EXPECT_EQ(r.act.bytes_out, before.bytes_out);
  EXPECT_EQ(r.act.sessions, 2u);
  ASSERT_EQ(r.act.dests.size(), before.dests.size());
  for (size_t i = 0; i < r.act.dests.size(); ++i) {
    EXPECT_EQ(r.act.dests[i].ip, before.dests[i].ip);
    EXPECT_EQ(r.act.dests[i].via_proxy, before.dests[i].via_proxy);
    EXPECT_EQ(r.act.dests[i].bytes_out, before.dests[i].bytes_out);
    EXPECT_EQ(r.act.dests[i].longest, before.dests[i].longest);
    EXPECT_EQ(r.act.dests[i].out_sq, before.dests[i].out_sq);
  }
  EXPECT_EQ(r.act.dest_ips, before.dest_ips);
  EXPECT_EQ(r.act.window_out, before.window_out);
  EXPECT_EQ(r.act.peak_window_out(), before.peak_window_out());
  EXPECT_FALSE(run.retirer->next(r));
  EXPECT_TRUE(run.retirer->error().empty());
  // Read for roll-ups only: a record that is not one comes back undecoded, and the next full
  // read sees every record again.
  ASSERT_TRUE(run.retirer->rewind());
  ASSERT_TRUE(run.retirer->next(r, true));
  EXPECT_FALSE(r.rollup);
  EXPECT_TRUE(r.chain.empty());
  EXPECT_FALSE(run.retirer->next(r, true));
  ASSERT_TRUE(run.retirer->rewind());
  ASSERT_TRUE(run.retirer->next(r));
  EXPECT_EQ(r.chain.size(), 2u);
  EXPECT_EQ(r.act.bytes_out, before.bytes_out);
}

// A flow-only host (no monitored host has the address) is retired with its address.
TEST(Retire, AFlowOnlyHostReadsBackWithItsAddress) {
  PipelineOptions po;
  HuntRun run(po);
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  run.pipe->on_flow(testing::netflow("10.7.0.9", 40000, "203.0.113.9", 443, t0, t0 + 90 * kNsPerSec, 7 * kMB));
  run.pipe->finish();
  ASSERT_EQ(run.agg->processes().size(), 1u);
  EXPECT_TRUE(run.agg->processes().front().flow_only());
  run.retirer->finish();
  EXPECT_TRUE(run.agg->processes().front().empty_slot());
  ASSERT_TRUE(run.retirer->rewind());
  RetiredRecord r;
  ASSERT_TRUE(run.retirer->next(r)) << run.retirer->error();
  EXPECT_TRUE(r.chain.empty());
  EXPECT_TRUE(r.act.flow_only());
  EXPECT_EQ(r.act.entity_ip, ip("10.7.0.9"));
  EXPECT_EQ(r.act.bytes_out, 7 * kMB);
  EXPECT_TRUE(run.retirer->forgotten().hosts.count("ip:10.7.0.9"));
  EXPECT_FALSE(run.retirer->next(r));
}

// Where no temporary file can be made ($TMPDIR missing), records are kept in memory and read
// back the same.
TEST(Retire, WithoutATemporaryFileRecordsStayInMemory) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", "/nonexistent/outflow-no-such-dir", 1);
  PipelineOptions po;
  HuntRun run(po);
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  run.pipe->on_host_event(testing::start("WS1", "{B}", "{A}", "C:\\Tools\\rclone.exe", "C:\\Windows\\cmd.exe", t0));
  run.pipe->on_host_event(testing::connect("WS1", "{B}", "10.0.0.5", 40000, "203.0.113.9", 443, t0 + kNsPerSec));
  run.pipe->on_flow(testing::netflow("10.0.0.5", 40000, "203.0.113.9", 443, t0 + kNsPerSec, t0 + 90 * kNsPerSec, 7 * kMB));
  run.pipe->finish();
  const HuntResult r = run.hunt(/*keep_all=*/true);
  if (old) ::setenv("TMPDIR", saved.c_str(), 1);
  else ::unsetenv("TMPDIR");
  EXPECT_FALSE(run.retirer->on_disk());
  EXPECT_EQ(run.retirer->retired(), 1u);
  EXPECT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].act->bytes_out, 7 * kMB);
  EXPECT_EQ(run.pipe->processes().get(r.findings[0].proc).guid, "{B}");
}

// winword.exe starts two powershell.exe that each upload 8 MB and end; days later everything
// has been forgotten and retired. The parent, without traffic of its own, is still a finding
// (roll-up) with its children's 16 MB.
TEST(Retire, RollUpOfRetiredChildren) {
  PipelineOptions po;
  po.retention = 2 * kH;
  HuntRun run(po);
  SessionPipeline& p = *run.pipe;
  const TimeNs t0 = 1'700'000'000 * kNsPerSec;
  auto at = [&](TimeNs t) { p.advance(t); };
  at(t0);
  HostEvent w = testing::start("WS1", "{W}", "{E}", "C:\\Program Files\\Microsoft Office\\winword.exe", "C:\\Windows\\explorer.exe", t0);
  w.user = "CORP\\alice";
  p.on_host_event(w);
  for (int i = 0; i < 2; ++i) {
    const std::string g = "{P" + std::to_string(i) + "}";
    HostEvent c = testing::start("WS1", g.c_str(), "{W}", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                 "C:\\Program Files\\Microsoft Office\\winword.exe", t0 + kNsPerSec);
    c.user = "CORP\\alice";
    p.on_host_event(c);
    const auto port = static_cast<uint16_t>(50000 + i);
    p.on_host_event(testing::connect("WS1", g.c_str(), "10.0.0.5", port, "203.0.113.80", 443, t0 + 2 * kNsPerSec));
    at(t0 + 3 * kNsPerSec);
    p.on_flow(testing::netflow("10.0.0.5", port, "203.0.113.80", 443, t0 + 2 * kNsPerSec, t0 + 60 * kNsPerSec, 8 * kMB));
    p.on_host_event(testing::end("WS1", g.c_str(), t0 + 120 * kNsPerSec));
  }
  p.on_host_event(testing::end("WS1", "{W}", t0 + 300 * kNsPerSec));
  // Hours of other traffic later: the sessions are emitted, the processes forgotten.
  for (int hour = 1; hour <= 6; ++hour) {
    at(t0 + hour * kH);
    p.on_flow(testing::netflow("10.0.0.9", 1000, "10.0.0.10", 80, t0 + hour * kH, t0 + hour * kH + kNsPerSec, 10));
  }
  p.finish();
  EXPECT_GE(p.processes().evicted(), 3u);
  EXPECT_EQ(p.processes().find_by_guid(0, "{W}"), kNoProc);
  const HuntResult r = run.hunt(/*keep_all=*/true);
  ASSERT_TRUE(r.error.empty()) << r.error;
  const Finding* rollup = nullptr;
  for (const auto& f : r.findings)
    if (f.rollup_only) rollup = &f;
  ASSERT_NE(rollup, nullptr);
  const Process& wp = p.processes().get(rollup->proc);  // restored for the writers
  EXPECT_EQ(wp.guid, "{W}");
  EXPECT_EQ(rollup->invoked_out, 16 * kMB);
  EXPECT_EQ(rollup->invoked_children, 2u);
  EXPECT_EQ(rollup->act->bytes_out, 16 * kMB);
  EXPECT_NE(factor_named(*rollup, "invoked_volume"), nullptr);
  // Each child is a finding of its own, with its lineage back for the writers.
  size_t children = 0;
  for (const auto& f : r.findings) {
    if (f.rollup_only || f.proc == kNoProc) continue;
    const auto chain = p.processes().lineage(f.proc);
    ASSERT_EQ(chain.size(), 3u);
    EXPECT_EQ(p.processes().get(chain[1]).guid, "{W}");
    ++children;
  }
  EXPECT_EQ(children, 2u);
}

// A simulated organisation read by time, twice: retiring forgotten processes during the run,
// and keeping every process to the end. The findings are the same.
TEST(Retire, HuntWithProcessesRetiredDuringTheRunFindsTheSame) {
  testing::TempDir tmp("retire");
  const fs::path& dir = tmp.path;
  sim::SimulateOptions so = testing::org_options(dir, 9, 8, 4);
  so.netflow = false;
  sim::SimulateResult sr;
  std::string err;
  ASSERT_TRUE(sim::simulate(so, sr, err)) << err;

  auto hunt = [&](bool evict, uint64_t* retired_early) {
    PipelineOptions po;
    po.retention = MergeOptions{}.lead + 24 * kH;
    po.evict_processes = evict;
    auto run = std::make_unique<HuntRun>(po);
    const std::vector<MergeInput> in = testing::org_inputs(dir);
    MergeOptions mo;
    SessionPipeline* pp = run->pipe.get();
    mo.on_clock = [pp](TimeNs t) { pp->advance(t); };
    Diagnostics diag;
    std::vector<FileStats> stats;
    EXPECT_TRUE(read_merged(in, *run->pipe, mo, diag, stats, err)) << err;
    run->pipe->finish();
    *retired_early = run->retirer->retired();
    HuntResult r = run->hunt();
    EXPECT_TRUE(r.error.empty()) << r.error;
    std::vector<std::string> out;
    for (const auto& f : r.findings) {
      const std::string guid = f.proc != kNoProc ? run->pipe->processes().get(f.proc).guid : "-";
      out.push_back(fmt::format("{} {} {} {} {}", f.rank, f.score, guid, f.act->bytes_out, f.suppressed_by));
    }
    out.push_back(fmt::format("{} {} {} {}", r.candidates, r.reported, r.suppressed, r.below_threshold));
    return out;
  };
  uint64_t early_kept = 0, early_retired = 0;
  const auto kept = hunt(false, &early_kept);
  const auto retired = hunt(true, &early_retired);
  EXPECT_EQ(early_kept, 0u);
  EXPECT_GT(early_retired, 50u);  // many processes left before the end
  EXPECT_EQ(kept, retired);
  EXPECT_GT(kept.size(), 3u);
}

}  // namespace
}  // namespace outflow
