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

}  // namespace
}  // namespace outflow
