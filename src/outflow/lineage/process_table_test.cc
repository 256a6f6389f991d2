// Forgetting processes (inputs read merged by time): who goes, who stays, and what a reused
// slot looks like afterwards.
#include "outflow/lineage/process_table.h"

#include <gtest/gtest.h>

#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::start;

constexpr TimeNs kH = 3600 * kNsPerSec;

struct Table {
  HostRegistry hosts;
  ProcessTable procs{hosts};
  HostId h = hosts.intern("WS1");
  ProcId feed(const HostEvent& e, TimeNs clock) {
    procs.set_clock(clock);
    return procs.on_event(e, h);
  }
};

TEST(ProcessTableEviction, EndedChildGoesFirstThenItsParentNeverTheLiving) {
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  const ProcId parent = t.feed(start("WS1", "{P}", "{R}", "C:\\w\\cmd.exe", "C:\\w\\explorer.exe", t0), t0);
  const ProcId child = t.feed(start("WS1", "{C}", "{P}", "C:\\w\\curl.exe", "C:\\w\\cmd.exe", t0 + kH), t0 + kH);
  const ProcId other = t.feed(start("WS1", "{O}", "{R}", "C:\\w\\notepad.exe", "C:\\w\\explorer.exe", t0), t0);
  t.feed(testing::end("WS1", "{P}", t0 + 2 * kH), t0 + 2 * kH);
  const uint64_t gen = t.procs.generation();

  // The parent ended first but its child is alive: nothing goes.
  EXPECT_TRUE(t.procs.evict_before(t0 + 10 * kH, nullptr).empty());
  t.feed(testing::end("WS1", "{C}", t0 + 3 * kH), t0 + 3 * kH);
  // Not yet past the horizon: nothing goes.
  EXPECT_TRUE(t.procs.evict_before(t0 + 3 * kH, nullptr).empty());
  // Past it: the child, then (in the same pass) the parent; the root placeholder and the
  // process that never ended stay.
  std::vector<ProcId> seen_going;
  const auto gone = t.procs.evict_before(t0 + 10 * kH, [&](ProcId id) {
    seen_going.push_back(id);
    EXPECT_TRUE(t.procs.get(id).in_use);  // still readable when the hook sees it
  });
  EXPECT_EQ(gone, (std::vector<ProcId>{child, parent}));
  EXPECT_EQ(seen_going, gone);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{C}"), kNoProc);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{P}"), kNoProc);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{O}"), other);
  EXPECT_NE(t.procs.find_by_guid(t.h, "{R}"), kNoProc);
  EXPECT_EQ(t.procs.live(), 2u);  // {O} and the placeholder {R}
  EXPECT_EQ(t.procs.seen(), 4u);
  EXPECT_EQ(t.procs.evicted(), 2u);
  EXPECT_NE(t.procs.generation(), gen);

  // Their slots wait until the caller has dropped its references (release_forgotten), then the
  // next process reuses one, with nothing of the one before.
  EXPECT_EQ(t.procs.forgotten_pending(), 2u);
  EXPECT_EQ(t.procs.release_forgotten(), gone);
  EXPECT_EQ(t.procs.forgotten_pending(), 0u);
  const ProcId next = t.feed(start("WS1", "{N}", "{O}", "C:\\w\\ping.exe", "C:\\w\\notepad.exe", t0 + 11 * kH), t0 + 11 * kH);
  EXPECT_TRUE(next == child || next == parent);
  EXPECT_EQ(t.procs.get(next).image, "C:\\w\\ping.exe");
  EXPECT_EQ(t.procs.get(next).end, kNoTime);
  EXPECT_EQ(t.procs.get(next).parent, other);
  EXPECT_EQ(t.procs.lineage(next).size(), 3u);  // {R} -> {O} -> {N}
}

TEST(ProcessTableEviction, AnEventKeepsAProcessFresh) {
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  const ProcId a = t.feed(start("WS1", "{A}", "{R}", "C:\\w\\a.exe", "C:\\w\\explorer.exe", t0), t0);
  const ProcId b = t.feed(start("WS1", "{B}", "{R}", "C:\\w\\b.exe", "C:\\w\\explorer.exe", t0), t0);
  const ProcId root = t.procs.get(a).parent;
  t.feed(testing::end("WS1", "{A}", t0 + kH), t0 + kH);
  t.feed(testing::end("WS1", "{B}", t0 + kH), t0 + kH);
  // An event naming B arrives late (its Sysmon 3 logged after the end): B is fresh again, and
  // so is their parent, which still has B.
  HostEvent late = testing::connect("WS1", "{B}", "10.0.0.1", 5000, "10.0.0.2", 80, t0 + kH);
  t.feed(late, t0 + 8 * kH);
  EXPECT_EQ(t.procs.evict_before(t0 + 5 * kH, nullptr), std::vector<ProcId>({a}));
  // Later B goes, and then their parent, known only from them.
  EXPECT_EQ(t.procs.evict_before(t0 + 9 * kH, nullptr), std::vector<ProcId>({b, root}));
}

TEST(ProcessTableEviction, UnderPressureTheLongestIdleLeavesGoRunningOrNotParentsAfterTheirChildren) {
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  // explorer (placeholder root {R}) -> cmd -> curl, and notepad: all still running.
  const ProcId cmd = t.feed(start("WS1", "{P}", "{R}", "C:\\w\\cmd.exe", "C:\\w\\explorer.exe", t0), t0);
  const ProcId curl = t.feed(start("WS1", "{C}", "{P}", "C:\\w\\curl.exe", "C:\\w\\cmd.exe", t0 + kH), t0 + kH);
  const ProcId note = t.feed(start("WS1", "{O}", "{R}", "C:\\w\\notepad.exe", "C:\\w\\explorer.exe", t0 + 5 * kH),
                             t0 + 5 * kH);
  // Running processes are never candidates of the ordinary eviction.
  EXPECT_TRUE(t.procs.evict_before(t0 + 100 * kH, nullptr).empty());
  // Leaves only (curl, notepad) count for the horizon: one of them is curl, named at t0 + 1 h.
  EXPECT_EQ(t.procs.idle_horizon(1), t0 + kH + 1);
  EXPECT_EQ(t.procs.idle_horizon(3), kNoTime);  // only two leaves
  std::vector<ProcId> seen;
  const auto gone = t.procs.evict_idle_before(t0 + 2 * kH, [&](ProcId id) { seen.push_back(id); });
  // curl goes, then cmd (its parent, idle since t0) in the next pass; notepad (fresh) and the
  // root that still has notepad as child stay.
  EXPECT_EQ(gone, std::vector<ProcId>({curl, cmd}));
  EXPECT_EQ(seen, gone);
  EXPECT_EQ(t.procs.evicted_idle(), 2u);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{C}"), kNoProc);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{O}"), note);
  EXPECT_NE(t.procs.find_by_guid(t.h, "{R}"), kNoProc);
  // A restored copy is never forgotten this way.
  t.procs.release_forgotten();
  const ProcId copy = t.procs.restore(t.procs.get(note), kNoProc);
  t.procs.evict_idle_before(t0 + 100 * kH, nullptr);
  EXPECT_TRUE(t.procs.get(copy).in_use);
  EXPECT_FALSE(t.procs.get(note).in_use);
}

TEST(ProcessTableEviction, WithoutAClockNothingIsTrackedForForgetting) {
  // Endpoint logs read whole first (no clock): every process stays, as before.
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  t.procs.on_event(start("WS1", "{A}", "{R}", "C:\\w\\a.exe", "C:\\w\\explorer.exe", t0), t.h);
  t.procs.on_event(testing::end("WS1", "{A}", t0 + kH), t.h);
  EXPECT_TRUE(t.procs.evict_before(t0 + 1000 * kH, nullptr).empty());
  EXPECT_EQ(t.procs.live(), 2u);
}

TEST(ProcessTableEviction, AParentKnownOnlyFromItsChildrenGoesWithThem) {
  // winlogon.exe never logged its start (it ran before logging began) nor its end: once its
  // child has gone and nothing has named it for the retention, it goes too.
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  t.feed(start("WS1", "{U}", "{W}", "C:\\w\\userinit.exe", "C:\\w\\winlogon.exe", t0), t0);
  const ProcId w = t.procs.find_by_guid(t.h, "{W}");
  ASSERT_NE(w, kNoProc);
  EXPECT_EQ(t.procs.get(w).origin, Process::Origin::placeholder_parent);
  t.feed(testing::end("WS1", "{U}", t0 + kH), t0 + kH);
  EXPECT_EQ(t.procs.evict_before(t0 + 5 * kH, nullptr).size(), 2u);  // userinit, then winlogon
  EXPECT_EQ(t.procs.live(), 0u);
}

TEST(ProcessTableEviction, ABootEndsWhatRanBeforeIt) {
  // Sysmon logs no end for what runs at shutdown. When the host boots again (wininit.exe), the
  // processes of the previous boot have ended: their PIDs are free and they can be forgotten.
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  const ProcId svc = t.feed(start("WS1", "{S}", "{V}", "C:\\w\\svchost.exe", "C:\\w\\services.exe", t0), t0);
  HostEvent other = start("WS2", "{O}", "{V2}", "C:\\w\\svchost.exe", "C:\\w\\services.exe", t0);
  const HostId ws2 = t.hosts.intern("WS2");
  t.procs.set_clock(t0);
  const ProcId on_ws2 = t.procs.on_event(other, ws2);
  const TimeNs boot = t0 + 20 * kH;
  const ProcId wi = t.feed(start("WS1", "{I}", "{M}", "C:\\w\\wininit.exe", "C:\\w\\smss.exe", boot), boot);
  EXPECT_EQ(t.procs.get(svc).end, boot);
  EXPECT_EQ(t.procs.get(wi).end, kNoTime);
  EXPECT_EQ(t.procs.get(on_ws2).end, kNoTime);  // another host's processes are not touched
  EXPECT_EQ(t.procs.ended_by_boot(), 1u);
  // Another wininit start within 10 minutes (a flood) does not walk the table again.
  t.feed(start("WS1", "{I2}", "{M}", "C:\\w\\wininit.exe", "C:\\w\\smss.exe", boot + 60 * kNsPerSec), boot);
  EXPECT_EQ(t.procs.ended_by_boot(), 1u);
  const auto gone = t.procs.evict_before(boot + 10 * kH, nullptr);
  EXPECT_NE(std::find(gone.begin(), gone.end(), svc), gone.end());
}

TEST(ProcessTableGeneration, ANewProcessDoesNotChangeItFillingAKnownOneDoes) {
  // Writers cache rendered processes by generation: a new process must not throw the cache away.
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  t.feed(start("WS1", "{A}", "{R}", "C:\\w\\a.exe", "C:\\w\\explorer.exe", t0), t0);
  const uint64_t g = t.procs.generation();
  t.feed(start("WS1", "{B}", "{A}", "C:\\w\\b.exe", "C:\\w\\a.exe", t0), t0);
  EXPECT_EQ(t.procs.generation(), g);
  // The root placeholder {R} gets its own start event: it changes.
  t.feed(start("WS1", "{R}", "{Q}", "C:\\w\\explorer.exe", "C:\\w\\userinit.exe", t0 - kH), t0);
  EXPECT_NE(t.procs.generation(), g);
}

}  // namespace
}  // namespace outflow

namespace outflow {
namespace {

TEST(ProcessTableGuids, OneProcessWhateverTheCaseAndTheDashesOfItsGuid) {
  // GUIDs are keyed as two integers: the usual layout by table, any other by the general parse;
  // both must give the same key for the same 32 digits, in either case.
  Table t;
  const TimeNs t0 = 1'600'000'000 * kNsPerSec;
  const ProcId p = t.feed(start("WS1", "{D273D0F0-8078-5F67-CC06-000000000800}", "{R}", "C:\\w\\cmd.exe", "C:\\w\\x.exe", t0), t0);
  ASSERT_NE(p, kNoProc);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{d273d0f0-8078-5f67-cc06-000000000800}"), p);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{d273d0f08078-5f67-cc06-00000000-0800}"), p);  // dashes elsewhere
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{d273d0f0-8078-5f67-cc06-000000000801}"), kNoProc);
  // Not hex in the usual layout: keyed by its text, never confused with a GUID's digits.
  const ProcId q = t.feed(start("WS1", "{g273d0f0-8078-5f67-cc06-000000000800}", "{R}", "C:\\w\\a.exe", "C:\\w\\x.exe", t0), t0);
  ASSERT_NE(q, kNoProc);
  EXPECT_NE(q, p);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{g273d0f0-8078-5f67-cc06-000000000800}"), q);
  EXPECT_EQ(t.procs.find_by_guid(t.h, "{G273D0F0-8078-5F67-CC06-000000000800}"), kNoProc);
}

}  // namespace
}  // namespace outflow
