// The join on hostile event streams: floods past the caps, PID reuse storms, duplicated and
// out-of-order events and flow records. Each case asserts the documented outcome
// (docs/robustness.md): what is kept, what is dropped and counted.
#include <gtest/gtest.h>

#include <random>

#include "outflow/join/pipeline.h"
#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::connect;
using testing::netflow;
using testing::start;
using testing::utc;

struct JoinRun {
  std::vector<Session> sessions;
  std::vector<Attribution> attrs;
  SessionPipeline pipe;
  explicit JoinRun(PipelineOptions o = {})
      : pipe(o, [this](const Session& s, const Attribution& a) {
          sessions.push_back(s);
          attrs.push_back(a);
        }) {}
};

std::string random_guid(std::mt19937_64& rng) {
  static const char* hex = "0123456789abcdef";
  std::string g = "{";
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) g += '-';
    g += hex[rng() & 15];
  }
  return g + "}";
}

TEST(PipelineHostile, FloodOfRandomGuidsStaysUnderTheProcessCapAndCountsDrops) {
  PipelineOptions o;
  o.max_processes = 1000;
  JoinRun r(o);
  std::mt19937_64 rng(42);
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  for (int i = 0; i < 100000; ++i) {
    const std::string g = random_guid(rng), pg = random_guid(rng);
    r.pipe.on_host_event(start("ws1", g.c_str(), pg.c_str(), "C:\\x.exe", "C:\\p.exe", t0 + i));
  }
  // Each of the first 500 starts made the process and a placeholder for its parent: 1000.
  EXPECT_EQ(r.pipe.processes().size(), 1000u);
  EXPECT_EQ(r.pipe.processes().dropped(), 99500u);
  // A network event of a dropped process is not attributed to anyone else.
  const std::string late = random_guid(rng);
  r.pipe.on_host_event(connect("ws1", late.c_str(), "10.0.0.5", 50000, "203.0.113.9", 443, t0 + 200000));
  EXPECT_EQ(r.pipe.processes().size(), 1000u);
  EXPECT_EQ(r.pipe.processes().dropped(), 99501u);
}

TEST(PipelineHostile, FloodOfMadeUpHostNamesStopsAtTheHostCap) {
  HostRegistry hosts(100);
  const HostId first = hosts.intern("ws-keep.example.org");
  for (int i = 0; i < 1000; ++i) hosts.intern("made-up-" + std::to_string(i));
  EXPECT_EQ(hosts.size(), 100u);
  EXPECT_EQ(hosts.dropped(), 901u);
  EXPECT_EQ(hosts.intern("WS-KEEP"), first);  // hosts already known are still found
  EXPECT_EQ(hosts.intern("one-more"), kNoHost);
}

HostEvent security_start(uint64_t pid, uint64_t creator, const std::string& image, TimeNs t) {
  HostEvent e;
  e.type = HostEventType::process_start, e.event_id = 4688, e.host = "ws1";
  e.pid = pid, e.ppid = creator, e.image = image, e.time = t;
  return e;
}
HostEvent security_end(uint64_t pid, TimeNs t) {
  HostEvent e;
  e.type = HostEventType::process_end, e.event_id = 4689, e.host = "ws1", e.pid = pid, e.time = t;
  return e;
}

TEST(PipelineHostile, PidReuseStormKeepsLineageOfTheLiveProcess) {
  JoinRun r;
  const TimeNs t0 = utc("2024-01-02 03:00:00");
  const TimeNs step = 660 * kNsPerSec;  // longer than the table's 5-minute clock slack
  constexpr int kStorm = 20000;
  // PID 0x1234 started and ended 20,000 times, each by a different image.
  for (int k = 0; k < kStorm; ++k) {
    r.pipe.on_host_event(security_start(0x1234, 4, "C:\\p" + std::to_string(k) + ".exe", t0 + k * step));
    if (k + 1 < kStorm) r.pipe.on_host_event(security_end(0x1234, t0 + k * step + step / 2));
  }
  const TimeNs now = t0 + (kStorm - 1) * step + kNsPerSec;
  // The live one is found by PID, and a child it starts has it as parent.
  const ProcessTable& pt = r.pipe.processes();
  const HostId h = r.pipe.hosts().find("ws1");
  const ProcId live = pt.find_by_pid(h, 0x1234, now);
  ASSERT_NE(live, kNoProc);
  EXPECT_EQ(pt.get(live).image, "C:\\p19999.exe");
  r.pipe.on_host_event(security_start(0x999, 0x1234, "C:\\child.exe", now + kNsPerSec));
  const ProcId child = pt.find_by_pid(h, 0x999, now + 2 * kNsPerSec);
  ASSERT_NE(child, kNoProc);
  const auto chain = pt.lineage(child);
  ASSERT_GE(chain.size(), 2u);
  EXPECT_EQ(pt.get(chain[chain.size() - 2]).image, "C:\\p19999.exe");
  // Only the latest kPidHistory are findable by PID: earlier ones are counted, and a lookup at
  // a time only a forgotten one covered finds nothing rather than a wrong process.
  EXPECT_EQ(pt.pid_history_dropped(), static_cast<uint64_t>(kStorm - ProcessTable::kPidHistory));
  EXPECT_EQ(pt.find_by_pid(h, 0x1234, t0 + 5 * step + kNsPerSec), kNoProc);
  const ProcId recent = pt.find_by_pid(h, 0x1234, t0 + (kStorm - 10) * step + kNsPerSec);
  ASSERT_NE(recent, kNoProc);
  EXPECT_EQ(pt.get(recent).image, "C:\\p19990.exe");
}

TEST(PipelineHostile, DuplicatedEventsChangeNothing) {
  JoinRun r;
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  for (int i = 0; i < 3; ++i) {
    r.pipe.on_host_event(start("ws1", "{C}", "{P}", "C:\\up.exe", "C:\\p.exe", t0));
    r.pipe.on_host_event(connect("ws1", "{C}", "10.0.0.5", 50000, "203.0.113.9", 443, t0 + kNsPerSec));
  }
  EXPECT_EQ(r.pipe.processes().size(), 2u);  // the process and its parent
  r.pipe.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0 + kNsPerSec, t0 + 60 * kNsPerSec, 5000));
  r.pipe.finish();
  ASSERT_EQ(r.sessions.size(), 1u);
  EXPECT_EQ(r.attrs[0].status, AttributionStatus::matched);  // not "ambiguous" between copies
  EXPECT_EQ(r.pipe.processes().get(r.attrs[0].proc).image, "C:\\up.exe");
}

TEST(PipelineHostile, OutOfOrderEventsStillAttributeWithTheFullProcess) {
  // The connection event comes before the start event of its process, and the child before
  // its parent: the process seen first in a network event is filled in by its start.
  JoinRun r;
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  r.pipe.on_host_event(connect("ws1", "{C}", "10.0.0.5", 50000, "203.0.113.9", 443, t0 + kNsPerSec));
  r.pipe.on_host_event(start("ws1", "{C}", "{P}", "C:\\up.exe", "C:\\cmd.exe", t0));
  HostEvent parent = start("ws1", "{P}", "{R}", "C:\\cmd.exe", "C:\\explorer.exe", t0 - kNsPerSec);
  parent.command_line = "cmd /c up.exe";
  r.pipe.on_host_event(parent);
  r.pipe.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0 + kNsPerSec, t0 + 2 * kNsPerSec, 10));
  r.pipe.finish();
  ASSERT_EQ(r.sessions.size(), 1u);
  ASSERT_EQ(r.attrs[0].status, AttributionStatus::matched);
  const ProcessTable& pt = r.pipe.processes();
  std::vector<std::string> chain;
  for (ProcId id : pt.lineage(r.attrs[0].proc)) chain.push_back(pt.get(id).image);
  EXPECT_EQ(chain, (std::vector<std::string>{"C:\\explorer.exe", "C:\\cmd.exe", "C:\\up.exe"}));
  EXPECT_EQ(pt.get(pt.get(r.attrs[0].proc).parent).command_line, "cmd /c up.exe");
}

TEST(PipelineHostile, DuplicatedNetflowRecordsAreCountedOnce) {
  JoinRun r;
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  const FlowRecord a = netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0, t0 + 1800 * kNsPerSec, 1000);
  const FlowRecord b = netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0 + 1800 * kNsPerSec, t0 + 3600 * kNsPerSec, 700);
  // The whole export read twice, the second time out of order.
  r.pipe.on_flow(a);
  r.pipe.on_flow(b);
  r.pipe.on_flow(b);
  r.pipe.on_flow(a);
  r.pipe.finish();
  ASSERT_EQ(r.sessions.size(), 1u);
  EXPECT_EQ(r.sessions[0].orig_bytes, 1700u);
  EXPECT_EQ(r.sessions[0].records, 2u);
  EXPECT_EQ(r.pipe.stitcher().duplicate_records(), 2u);
}

TEST(PipelineHostile, OutOfOrderNetflowPiecesAreStitched) {
  JoinRun r;
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  const TimeNs half = 1800 * kNsPerSec;
  for (int k = 2; k >= 0; --k)
    r.pipe.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0 + k * half, t0 + (k + 1) * half, 100 + k));
  r.pipe.finish();
  ASSERT_EQ(r.sessions.size(), 1u);
  EXPECT_EQ(r.sessions[0].orig_bytes, 303u);
  EXPECT_EQ(r.sessions[0].start, t0);
  EXPECT_EQ(r.sessions[0].end, t0 + 3 * half);
}

TEST(PipelineHostile, DuplicatedZeekConnRecordIsOneSession) {
  JoinRun r;
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  FlowRecord z = netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0, t0 + kNsPerSec, 10);
  z.source = FlowSource::zeek_conn, z.bidirectional = true, z.uid = "Cabc";
  r.pipe.on_flow(z);
  r.pipe.on_flow(z);
  r.pipe.finish();
  EXPECT_EQ(r.sessions.size(), 1u);
  EXPECT_EQ(r.pipe.stitcher().duplicate_snapshots(), 1u);
}

TEST(PipelineHostile, ARecordFromTheFarFutureFlushesOpenSessionsWithoutLosingBytes) {
  // Record time is the clock: one record dated 2099 makes every open session idle, so they
  // are emitted then; a later piece of one of them starts a new session. Nothing is lost.
  JoinRun r;
  const TimeNs t0 = utc("2024-01-02 03:04:05");
  r.pipe.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0, t0 + 10 * kNsPerSec, 100));
  r.pipe.on_flow(netflow("10.0.0.6", 1, "203.0.113.9", 443, utc("2099-12-31 00:00:00"), utc("2099-12-31 00:00:01"), 1));
  for (int i = 0; i < 70000; ++i)  // enough records for a sweep
    r.pipe.on_flow(netflow("10.0.0.7", static_cast<uint16_t>(1024 + i % 60000), "203.0.113.9", 443,
                           utc("2099-12-31 00:00:00"), utc("2099-12-31 00:00:01"), 1));
  r.pipe.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0 + 20 * kNsPerSec, t0 + 30 * kNsPerSec, 50));
  r.pipe.finish();
  uint64_t bytes_from_5 = 0;
  int sessions_from_5 = 0;
  for (const Session& s : r.sessions)
    if (s.orig_h == testing::ip("10.0.0.5")) bytes_from_5 += s.orig_bytes, ++sessions_from_5;
  EXPECT_EQ(bytes_from_5, 150u);
  EXPECT_EQ(sessions_from_5, 2);
}

}  // namespace
}  // namespace outflow
