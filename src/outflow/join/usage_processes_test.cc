#include "outflow/join/usage_processes.h"

#include <gtest/gtest.h>

namespace outflow {
namespace {

constexpr TimeNs kH = 3600 * kNsPerSec;

HostEvent ev(HostEventType t, TimeNs time, const char* guid, uint64_t pid, const char* image) {
  HostEvent e;
  e.type = t;
  e.time = time;
  e.host = "WS1.corp.example";
  e.process_guid = guid;
  e.pid = pid;
  e.image = image;
  return e;
}

TEST(UsageProcesses, JoinsProcessesOfTheImageOverlappingTheInterval) {
  ProcessLog log;
  log.on_host_event(ev(HostEventType::process_start, 10 * kH, "{A}", 10, "C:\\TMP\\nbtscan.exe"));
  log.on_host_event(ev(HostEventType::process_end, 10 * kH + 5, "{A}", 10, "C:\\TMP\\nbtscan.exe"));
  log.on_host_event(ev(HostEventType::process_start, 12 * kH, "{B}", 11, "C:\\TMP\\nbtscan.exe"));  // never ends
  log.on_host_event(ev(HostEventType::process_start, 10 * kH, "{C}", 12, "C:\\Windows\\cmd.exe"));
  EXPECT_EQ(log.main_host(), "WS1.corp.example");
  // \device\harddiskvolume3\tmp\nbtscan.exe canonicalises to this too.
  auto j = log.join("ws1", "c:\\tmp\\nbtscan.exe", 9 * kH, 11 * kH);
  ASSERT_EQ(j.candidates.size(), 1u);
  EXPECT_EQ(j.candidates[0]->entity_id, "{A}");
  EXPECT_EQ(j.candidates[0]->end, 10 * kH + 5);
  j = log.join("WS1", "c:\\tmp\\nbtscan.exe", 11 * kH, 13 * kH);
  ASSERT_EQ(j.candidates.size(), 1u);  // {A} ended before; {B} runs on
  EXPECT_EQ(j.candidates[0]->entity_id, "{B}");
  j = log.join("ws1", "c:\\tmp\\nbtscan.exe", 9 * kH, 13 * kH);
  EXPECT_EQ(j.candidates.size(), 2u);  // both candidates, bytes never split
  EXPECT_EQ(log.join("ws1", "c:\\tmp\\nbtscan.exe", 9 * kH, 13 * kH, 1).reason,
            "1 more processes of this image overlap the interval");
}

TEST(UsageProcesses, SaysWhyThereIsNoProcess) {
  ProcessLog log;
  log.on_host_event(ev(HostEventType::process_start, 10 * kH, "{A}", 10, "C:\\x.exe"));
  log.on_host_event(ev(HostEventType::process_start, 20 * kH, "{B}", 11, "C:\\y.exe"));
  EXPECT_NE(log.join("other", "c:\\x.exe", 0, kH).reason.find("no Windows event log of this host"), std::string::npos);
  EXPECT_NE(log.join("ws1", "c:\\x.exe", 0, kH).reason.find("ends before the host's event log starts"), std::string::npos);
  EXPECT_NE(log.join("ws1", "c:\\z.exe", 9 * kH, 11 * kH).reason.find("may have started before the log"), std::string::npos);
  EXPECT_NE(log.join("ws1", "c:\\z.exe", 12 * kH, 13 * kH).reason.find("no process creation of this image"), std::string::npos);
  EXPECT_NE(log.join("ws1", "c:\\z.exe", 21 * kH, 22 * kH).reason.find("after the host's event log ends"), std::string::npos);
}

TEST(UsageProcesses, AVolumePathIsLookedForOnTheOneOtherDriveTheHostUsed) {
  ProcessLog log;
  log.on_host_event(ev(HostEventType::process_start, 10 * kH, "{D}", 10, "D:\\Tools\\rclone.exe"));
  // \device\harddiskvolume4\tools\rclone.exe reads as c:\tools\rclone.exe: found on d:.
  auto j = log.join("ws1", "c:\\tools\\rclone.exe", 9 * kH, 11 * kH);
  ASSERT_EQ(j.candidates.size(), 1u);
  EXPECT_EQ(j.candidates[0]->entity_id, "{D}");
  // On two other drives: which one is not known, so none.
  log.on_host_event(ev(HostEventType::process_start, 10 * kH, "{E}", 11, "E:\\Tools\\rclone.exe"));
  EXPECT_TRUE(log.join("ws1", "c:\\tools\\rclone.exe", 9 * kH, 11 * kH).candidates.empty());
}

TEST(UsageProcesses, KeepsEachProcesssOutboundDestinationsNamedByTheHostsDnsAnswers) {
  ProcessLog log;
  log.on_host_event(ev(HostEventType::process_start, 10 * kH, "{R}", 10, "C:\\Tools\\rclone.exe"));
  HostEvent q = ev(HostEventType::dns_query, 10 * kH + 1, "{R}", 10, "C:\\Tools\\rclone.exe");
  q.query_name = "g.api.mega.co.nz";
  q.query_results = "::ffff:66.203.125.11;66.203.125.12;";
  log.on_host_event(q);
  for (int k = 0; k < 3; ++k) {
    HostEvent c = ev(HostEventType::net_connect, 10 * kH + 2 + k, "{R}", 10, "C:\\Tools\\rclone.exe");
    IpAddr::parse(k < 2 ? "66.203.125.12" : "10.0.0.5", c.dst_ip);
    c.dst_port = 443;
    c.initiated = 1;
    log.on_host_event(c);
  }
  HostEvent in = ev(HostEventType::net_connect, 10 * kH + 9, "{R}", 10, "C:\\Tools\\rclone.exe");
  IpAddr::parse("10.0.0.9", in.dst_ip);
  in.initiated = 0;  // inbound: not a destination of it
  log.on_host_event(in);
  const auto j = log.join("ws1", "c:\\tools\\rclone.exe", 9 * kH, 11 * kH);
  ASSERT_EQ(j.candidates.size(), 1u);
  const auto& c = j.candidates[0]->connects;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].name, "g.api.mega.co.nz");
  EXPECT_EQ(c[0].connections, 2u);
  EXPECT_EQ(c[1].name, "");
  EXPECT_EQ(c[1].ip.to_string(), "10.0.0.5");
}

}  // namespace
}  // namespace outflow
