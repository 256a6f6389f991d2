// The join on synthetic events: clock offsets, PID reuse, both-directions NetFlow stitching.
#include "outflow/join/pipeline.h"

#include <gtest/gtest.h>

#include "outflow/testing/collect_sink.h"
#include "outflow/testing/events.h"

namespace outflow {
namespace {

using testing::connect;
using testing::ip;
using testing::netflow;
using testing::start;
using testing::utc;

struct Out {
  std::vector<Session> sessions;
  std::vector<Attribution> attrs;
};

TEST(Pipeline, ClockOffsetOfHoursIsEstimatedAndDisambiguatesPortReuse) {
  // WS1's clock runs 3 h behind the sensor. Twenty connections with unique source ports give the
  // offset; then port 50000 is used twice, by two processes 40 minutes apart. Only with the
  // offset does each session go to its own process.
  Out out;
  PipelineOptions opt;
  SessionPipeline p(opt, [&](const Session& s, const Attribution& a) {
    out.sessions.push_back(s);
    out.attrs.push_back(a);
  });
  const TimeNs skew = 3 * 3600 * kNsPerSec;
  const TimeNs t0 = utc("2024-01-01 10:00:00");
  p.on_host_event(start("WS1", "{A}", "{P}", "C:\\Windows\\System32\\curl.exe", "C:\\Windows\\explorer.exe", t0 - skew));
  p.on_host_event(start("WS1", "{B}", "{P}", "C:\\Tools\\rclone.exe", "C:\\Windows\\explorer.exe", t0 - skew));
  for (int i = 0; i < 20; ++i)
    p.on_host_event(connect("WS1", "{A}", "10.0.0.5", static_cast<uint16_t>(40000 + i), "93.184.216.34", 443,
                            t0 - skew + i * kNsPerSec * 60));
  p.on_host_event(connect("WS1", "{A}", "10.0.0.5", 50000, "203.0.113.9", 443, t0 - skew + 3600 * kNsPerSec));
  p.on_host_event(connect("WS1", "{B}", "10.0.0.5", 50000, "203.0.113.9", 443, t0 - skew + 6000 * kNsPerSec));
  for (int i = 0; i < 20; ++i) {
    const TimeNs ts = t0 + i * kNsPerSec * 60 + kNsPerSec / 2;
    p.on_flow(netflow("10.0.0.5", static_cast<uint16_t>(40000 + i), "93.184.216.34", 443, ts, ts + kNsPerSec, 100));
  }
  p.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0 + 3600 * kNsPerSec, t0 + 3660 * kNsPerSec, 1000));
  p.on_flow(netflow("10.0.0.5", 50000, "203.0.113.9", 443, t0 + 6000 * kNsPerSec, t0 + 6060 * kNsPerSec, 999999));
  p.finish();

  const HostId ws1 = p.hosts().find("ws1");
  const OffsetEstimate off = p.offsets().connect_clock(ws1);
  ASSERT_TRUE(off.known);
  EXPECT_NEAR(static_cast<double>(off.offset), static_cast<double>(skew), 1e9);
  ASSERT_EQ(out.sessions.size(), 22u);
  int seen = 0;
  for (size_t i = 0; i < out.sessions.size(); ++i) {
    if (out.sessions[i].orig_p != 50000) continue;
    ++seen;
    ASSERT_EQ(out.attrs[i].status, AttributionStatus::matched);
    const std::string& image = p.processes().get(out.attrs[i].proc).image;
    if (out.sessions[i].orig_bytes == 1000) EXPECT_EQ(image, "C:\\Windows\\System32\\curl.exe");
    else EXPECT_EQ(image, "C:\\Tools\\rclone.exe");
  }
  EXPECT_EQ(seen, 2);
}

TEST(Pipeline, NetflowDirectionsAndActiveTimeoutPiecesAreOneSession) {
  Out out;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) {
    out.sessions.push_back(s);
    out.attrs.push_back(a);
  });
  const TimeNs t0 = utc("2024-01-01 10:00:00");
  const TimeNs half = 1800 * kNsPerSec;
  // Reverse direction first in the file; three active-timeout pieces each way.
  for (int k = 0; k < 3; ++k) {
    p.on_flow(netflow("198.51.100.7", 443, "10.0.0.5", 51000, t0 + k * half, t0 + (k + 1) * half, 10));
    p.on_flow(netflow("10.0.0.5", 51000, "198.51.100.7", 443, t0 + k * half, t0 + (k + 1) * half, 1000));
  }
  p.finish();
  ASSERT_EQ(out.sessions.size(), 1u);
  const Session& s = out.sessions[0];
  EXPECT_EQ(s.orig_h.to_string(), "10.0.0.5");  // the ephemeral-port side initiated
  EXPECT_EQ(s.orig_bytes, 3000u);
  EXPECT_EQ(s.resp_bytes, 30u);
  EXPECT_EQ(s.records, 6u);
  EXPECT_EQ(s.end - s.start, 3 * half);
  EXPECT_EQ(out.attrs[0].status, AttributionStatus::host_unknown);
}

TEST(Pipeline, ZeekSnapshotsAndFinalRecordOfOneUidAreOneSession) {
  std::vector<Session> got;
  FlowStitcher st(FlowStitcher::Options{}, [&](Session&& s) { got.push_back(std::move(s)); });
  const TimeNs t0 = utc("2024-01-01 10:00:00");
  auto zeek = [&](const char* uid, FlowSource src, TimeNs dur_s, uint64_t ob) {
    FlowRecord f;
    f.source = src;
    f.uid = uid;
    f.orig_h = ip("10.0.0.5"), f.resp_h = ip("198.51.100.7"), f.orig_p = 50123, f.resp_p = 443;
    f.proto = kProtoTcp, f.start = t0, f.end = t0 + dur_s * kNsPerSec;
    f.orig_bytes = ob, f.resp_bytes = ob / 10, f.orig_pkts = ob / 100, f.resp_pkts = 1;
    f.conn_state = src == FlowSource::zeek_conn ? "SF" : "";
    return f;
  };
  st.add(zeek("C1", FlowSource::zeek_open_conn, 3600, 1000));
  st.add(zeek("C1", FlowSource::zeek_open_conn, 7200, 5000));
  st.add(zeek("C1", FlowSource::zeek_conn, 9000, 7000));   // final: emitted at once
  st.add(zeek("C1", FlowSource::zeek_open_conn, 3600, 1000));  // late snapshot: a duplicate
  st.add(zeek("C2", FlowSource::zeek_conn, 10, 300));      // no snapshot: fast path
  st.finish();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].uid, "C1");
  EXPECT_EQ(got[0].records, 3u);
  EXPECT_EQ(got[0].orig_bytes, 7000u);
  EXPECT_EQ(got[0].end - got[0].start, 9000 * kNsPerSec);
  EXPECT_EQ(got[0].conn_state, "SF");
  EXPECT_EQ(got[0].source, FlowSource::zeek_conn);
  EXPECT_EQ(got[1].uid, "C2");
  EXPECT_EQ(got[1].records, 1u);
  EXPECT_EQ(got[1].orig_bytes, 300u);
  EXPECT_EQ(st.duplicate_snapshots(), 1u);
}

TEST(Pipeline, InferredForBeaconsWithoutTheirOwnEvent) {
  // Sysmon logged the C2 process's first connection only; later beacons use new ports.
  Out out;
  SessionPipeline p(PipelineOptions{}, [&](const Session& s, const Attribution& a) {
    out.sessions.push_back(s);
    out.attrs.push_back(a);
  });
  const TimeNs t0 = utc("2024-01-01 10:00:00");
  p.on_host_event(start("WS2", "{C2}", "{S}", "C:\\Users\\Public\\svchost.exe", "C:\\Windows\\System32\\cmd.exe", t0));
  p.on_host_event(connect("WS2", "{C2}", "10.0.0.6", 60000, "198.51.100.9", 80, t0 + kNsPerSec));
  for (int i = 0; i < 5; ++i) {
    const TimeNs ts = t0 + kNsPerSec + i * 60 * kNsPerSec;
    p.on_flow(netflow("10.0.0.6", static_cast<uint16_t>(60000 + i), "198.51.100.9", 80, ts, ts + kNsPerSec, 500));
  }
  p.finish();
  ASSERT_EQ(out.sessions.size(), 5u);
  EXPECT_EQ(out.attrs[0].status, AttributionStatus::matched);
  for (size_t i = 1; i < 5; ++i) {
    EXPECT_EQ(out.attrs[i].status, AttributionStatus::inferred) << i;
    EXPECT_EQ(p.processes().get(out.attrs[i].proc).guid, "{C2}");
  }
}

TEST(ProcessTable, LineageWithPlaceholderRootAndPidReuse) {
  HostRegistry hosts;
  ProcessTable t(hosts);
  const HostId h = hosts.intern("WS1.corp.local");
  const TimeNs t0 = utc("2024-01-01 10:00:00");
  // Child before parent in the file: the parent placeholder is filled in later.
  HostEvent c = start("WS1", "{C}", "{B}", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\System32\\cmd.exe", t0 + 10);
  HostEvent b = start("WS1", "{B}", "{A}", "C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\services.exe", t0);
  const ProcId pc = t.on_event(c, h);
  t.on_event(b, h);
  std::vector<std::string> chain;
  for (ProcId id : t.lineage(pc)) chain.push_back(image_basename(t.get(id).image));
  EXPECT_EQ(chain, (std::vector<std::string>{"services.exe", "cmd.exe", "powershell.exe"}));
  // Security 4688: PID 100 reused by a second process after the first ended.
  HostEvent s1;
  s1.type = HostEventType::process_start, s1.event_id = 4688, s1.host = "WS1", s1.pid = 100, s1.image = "a.exe", s1.time = t0;
  HostEvent e1;
  e1.type = HostEventType::process_end, e1.event_id = 4689, e1.host = "WS1", e1.pid = 100, e1.time = t0 + 60 * kNsPerSec;
  HostEvent s2 = s1;
  s2.image = "b.exe", s2.time = t0 + 3 * 3600 * kNsPerSec;
  const ProcId a = t.on_event(s1, h);
  t.on_event(e1, h);
  const ProcId bb = t.on_event(s2, h);
  EXPECT_NE(a, bb);
  EXPECT_EQ(t.find_by_pid(h, 100, t0 + 30 * kNsPerSec), a);
  EXPECT_EQ(t.find_by_pid(h, 100, t0 + 4 * 3600 * kNsPerSec), bb);
}

TEST(ProcessTable, GuidsMatchWhateverTheirCaseAndOtherIdsStayDistinct) {
  HostRegistry hosts;
  ProcessTable t(hosts);
  const HostId h = hosts.intern("h");
  const ProcId a = t.on_event(start("h", "{905CC552-2045-5CC5-0000-00105B2A0100}", "", "a.exe", "", 1), h);
  EXPECT_EQ(t.find_by_guid(h, "{905cc552-2045-5cc5-0000-00105b2a0100}"), a);
  EXPECT_EQ(t.find_by_guid(h, "{905cc552-2045-5cc5-0000-00105b2a0101}"), kNoProc);
  EXPECT_EQ(t.find_by_guid(hosts.intern("other"), "{905cc552-2045-5cc5-0000-00105b2a0100}"), kNoProc);
  const ProcId x = t.on_event(start("h", "proc-1", "", "x.exe", "", 2), h);
  const ProcId y = t.on_event(start("h", "proc-2", "", "y.exe", "", 3), h);
  EXPECT_NE(x, y);
  EXPECT_EQ(t.find_by_guid(h, "proc-2"), y);
}

TEST(ProcessTable, CapDropsAndCounts) {
  HostRegistry hosts;
  ProcessTable t(hosts, 1000);
  const HostId h = hosts.intern("h");
  for (int i = 0; i < 5000; ++i) {
    std::string g = "{" + std::to_string(i) + "}";
    t.on_event(start("h", g.c_str(), "", "x.exe", "", i), h);
  }
  EXPECT_EQ(t.size(), 1000u);
  EXPECT_EQ(t.dropped(), 4000u);
}

}  // namespace
}  // namespace outflow
