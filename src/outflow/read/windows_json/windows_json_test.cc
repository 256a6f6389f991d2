// Every Windows JSON shape the reader takes, on records cut from the datasets (values kept,
// unused keys trimmed).
#include <gtest/gtest.h>

#include "outflow/join/usage_processes.h"

#include "outflow/testing/collect_sink.h"

namespace outflow {
namespace {

using testing::CollectSink;

std::unique_ptr<testing::ReadResult> read(const std::string& text) {
  return testing::read_result(read_windows_json, text);
}

// NXLog flat (OTRF atomic): note EventTime is local time, UtcTime is UTC.
const char* kFlatSysmon3 =
    R"({"EventID":3,"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"WORKSTATION6.theshire.local","ProcessGuid":"{d273d0f0-8078-5f67-cc06-000000000800}","EventTime":"2020-09-20 12:17:02","@timestamp":"2020-09-20T16:17:04.029Z","Protocol":"tcp","SourcePort":"63854","DestinationPort":"80","User":"NT AUTHORITY\\SYSTEM","DestinationIp":"10.10.10.5","SourceIp":"172.18.39.6","Initiated":"true","Image":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe","UtcTime":"2020-09-20 16:17:01.152","ExecutionProcessID":3392,"AccountName":"SYSTEM"})";

TEST(WindowsJson, FlatNxlogSysmon3) {
  auto r = read(std::string(kFlatSysmon3) + "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.type, HostEventType::net_connect);
  EXPECT_EQ(e.event_id, 3);
  EXPECT_EQ(e.host, "WORKSTATION6.theshire.local");
  EXPECT_EQ(format_time(e.time), "2020-09-20T16:17:01.152000Z");  // UtcTime, not EventTime
  EXPECT_EQ(e.time_field, TimeField::utc_time);
  EXPECT_EQ(e.src_ip.to_string(), "172.18.39.6");
  EXPECT_EQ(e.src_port, 63854);
  EXPECT_EQ(e.dst_port, 80);
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.initiated, 1);
  EXPECT_EQ(e.user, "NT AUTHORITY\\SYSTEM");
  EXPECT_EQ(e.pid, 0u);  // ExecutionProcessID is the logger's, not the process's
}

TEST(WindowsJson, UnusedEventsAreSkippedNotErrors) {
  auto r = read(R"({"EventID":10,"SourceName":"Microsoft-Windows-Sysmon","Hostname":"h"})" "\n"
                R"({"EventID":"7","Hostname":"h"})" "\n");
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->diag.bad_records(), 0u);
  EXPECT_EQ(r->diag.skipped_counts().at("windows event 10"), 1u);
  EXPECT_EQ(r->diag.skipped_counts().at("windows event 7"), 1u);
}

TEST(WindowsJson, SameIdOfAnotherProviderIsSkipped) {
  // Seen in otrf-atomic-host-network: Kernel-IO event 3 "failed to mount the volume".
  auto r = read(R"({"SourceName":"Microsoft-Windows-Kernel-IO","Channel":"Microsoft-Windows-Kernel-IO/Operational","Hostname":"DC01.pandalab.com","@timestamp":"2023-07-19T05:33:00.012Z","EventID":3,"VolumeName":"D:"})" "\n");
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->diag.bad_records(), 0u);
}

TEST(WindowsJson, Winlogbeat7Shape) {
  // winlog.computer_name is the source host; host.name is the WEF collector.
  auto r = read(
      R"({"@timestamp":"2019-10-27T04:23:09.756Z","host":{"name":"WECServer"},"winlog":{"computer_name":"HR001.shire.com","channel":"Microsoft-Windows-Sysmon/Operational","provider_name":"Microsoft-Windows-Sysmon","event_id":1,"process":{"pid":3124},"event_data":{"UtcTime":"2019-10-27 04:23:09.748","ProcessGuid":"{a158f72c-0ac5-5db5-0000-001078090200}","ProcessId":"2928","Image":"C:\\Windows\\System32\\rundll32.exe","CommandLine":"rundll32.exe x.dll,Start","User":"SHIRE\\pgustavo","ParentProcessGuid":"{a158f72c-0ac4-5db5-0000-0010bf4d0100}","ParentProcessId":"1900","ParentImage":"C:\\Windows\\explorer.exe","IntegrityLevel":"Medium"}}})"
      "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.type, HostEventType::process_start);
  EXPECT_EQ(e.host, "HR001.shire.com");
  EXPECT_EQ(e.pid, 2928u);
  EXPECT_EQ(e.ppid, 1900u);
  EXPECT_EQ(e.parent_image, "C:\\Windows\\explorer.exe");
  EXPECT_EQ(e.integrity_level, "Medium");
  EXPECT_EQ(format_time(e.time), "2019-10-27T04:23:09.748000Z");
}

TEST(WindowsJson, Winlogbeat6Shape) {
  auto r = read(
      R"({"@timestamp":"2019-05-18T20:36:46.254Z","event_data":{"ProcessGuid":"{905CC552-2045-5CC5-0000-00105B2A0100}","ProcessId":"292","Initiated":"true","SourceIp":"172.18.39.5","User":"NT AUTHORITY\\NETWORK SERVICE","Image":"C:\\Windows\\System32\\svchost.exe","DestinationIp":"172.18.39.102","SourcePort":"57638","DestinationPort":"5985","UtcTime":"2019-05-18 20:35:52.569","Protocol":"tcp"},"host":{"name":"WECserver"},"process_id":1368,"source_name":"Microsoft-Windows-Sysmon","log_name":"Microsoft-Windows-Sysmon/Operational","event_id":3,"computer_name":"HFDC01.shire.com"})"
      "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.host, "HFDC01.shire.com");
  EXPECT_EQ(e.pid, 292u);
  EXPECT_EQ(e.dst_port, 5985);
  EXPECT_EQ(e.user, "NT AUTHORITY\\NETWORK SERVICE");
}

TEST(WindowsJson, AzureEmbeddedJsonEventData) {
  auto r = read(
      R"({"TimeGenerated":"2022-05-13T08:54:06.347Z","Provider":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"WORKSTATION5","EventData":"{\"UtcTime\":\"2022-05-13T08:54:05.1230000Z\",\"ProcessGuid\":\"{f3329a35-1c6c-627e-e516-000000000600}\",\"ProcessId\":\"3936\",\"Image\":\"C:\\\\ProgramData\\\\chocolatey\\\\lib\\\\Tomcat\\\\tools\\\\apache-tomcat-9.0.62\\\\bin\\\\tomcat9.exe\",\"User\":\"NT AUTHORITY\\\\LOCAL SERVICE\",\"Protocol\":\"tcp\",\"Initiated\":\"false\",\"SourceIp\":\"192.168.3.5\",\"SourcePort\":\"50452\",\"DestinationIp\":\"192.168.2.5\",\"DestinationPort\":\"8080\"}","EventID":3,"Type":"WindowsEvent"})"
      "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.host, "WORKSTATION5");
  EXPECT_EQ(e.pid, 3936u);
  EXPECT_EQ(e.initiated, 0);
  EXPECT_EQ(e.user, "NT AUTHORITY\\LOCAL SERVICE");
  EXPECT_EQ(format_time(e.time), "2022-05-13T08:54:05.123000Z");
  EXPECT_EQ(e.image, "C:\\ProgramData\\chocolatey\\lib\\Tomcat\\tools\\apache-tomcat-9.0.62\\bin\\tomcat9.exe");
}

TEST(WindowsJson, AzureXmlEventDataSecurity5156) {
  auto r = read(
      R"({"TimeGenerated":"2022-05-13T08:54:05.21Z","Computer":"WORKSTATION5","EventSourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","EventData":"\u003cEventData xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"\u003e\r\n  \u003cData Name=\"ProcessID\"\u003e3936\u003c/Data\u003e\r\n  \u003cData Name=\"Application\"\u003e\\device\\harddiskvolume2\\programdata\\tomcat9.exe\u003c/Data\u003e\r\n  \u003cData Name=\"Direction\"\u003e%%14592\u003c/Data\u003e\r\n  \u003cData Name=\"SourceAddress\"\u003e192.168.3.5\u003c/Data\u003e\r\n  \u003cData Name=\"SourcePort\"\u003e50452\u003c/Data\u003e\r\n  \u003cData Name=\"DestAddress\"\u003e192.168.2.5\u003c/Data\u003e\r\n  \u003cData Name=\"DestPort\"\u003e8080\u003c/Data\u003e\r\n  \u003cData Name=\"Protocol\"\u003e6\u003c/Data\u003e\r\n  \u003cData Name=\"LayerName\"\u003e%%14610\u003c/Data\u003e\r\n\u003c/EventData\u003e","EventID":5156,"Type":"SecurityEvent"})"
      "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.event_id, 5156);
  EXPECT_EQ(e.pid, 3936u);
  EXPECT_EQ(e.initiated, 0);
  EXPECT_EQ(e.src_port, 50452);
  EXPECT_EQ(e.dst_ip.to_string(), "192.168.2.5");
  EXPECT_EQ(e.proto, kProtoTcp);
  EXPECT_EQ(e.time_field, TimeField::time_generated);
}

TEST(WindowsJson, Security4688UserFromLogonId) {
  auto r = read(
      R"({"EventID":"4688","SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"WORKSTATION6","@timestamp":"2020-09-20T16:17:18.5Z","EventTime":"2020-09-20 12:17:18","NewProcessId":"0x270c","ProcessId":"0x10d8","NewProcessName":"C:\\Windows\\System32\\whoami.exe","ParentProcessName":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe","SubjectUserName":"WORKSTATION6$","SubjectDomainName":"THESHIRE","SubjectLogonId":"0x3e7","TargetUserName":"-","MandatoryLabel":"S-1-16-16384"})"
      "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  const HostEvent& e = r->sink.events[0];
  EXPECT_EQ(e.pid, 0x270cu);
  EXPECT_EQ(e.ppid, 0x10d8u);
  EXPECT_EQ(e.user, "NT AUTHORITY\\SYSTEM");
  EXPECT_EQ(e.integrity_level, "System");
  EXPECT_EQ(e.time_field, TimeField::timestamp);  // @timestamp (UTC) beats EventTime (local)
}

TEST(WindowsJson, Security4688KeepsTheAccountsSidForSrum) {
  // The creator (Subject) names the account; TargetUserSid S-1-0-0 (NULL SID, name "-") is not it.
  auto r = read(
      R"({"EventID":"4688","SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"WS1","@timestamp":"2020-09-20T16:17:18.5Z","NewProcessId":"0x270c","ProcessId":"0x10d8","NewProcessName":"C:\\Tools\\rclone.exe","SubjectUserSid":"S-1-5-21-1-2-3-1104","SubjectUserName":"alice","SubjectDomainName":"CORP","SubjectLogonId":"0x5f1a2","TargetUserSid":"S-1-0-0","TargetUserName":"-"})"
      "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_EQ(r->sink.events[0].user, "CORP\\alice");
  EXPECT_EQ(r->sink.events[0].user_sid, "S-1-5-21-1-2-3-1104");
  ProcessLog log;
  log.on_host_event(r->sink.events[0]);
  EXPECT_EQ(log.name_of_sid("ws1", "S-1-5-21-1-2-3-1104"), "CORP\\alice");
  EXPECT_EQ(log.name_of_sid("ws1", "S-1-5-21-1-2-3-1105"), "");
}

TEST(WindowsJson, MalformedLinesAreCountedWithLineNumbersAndTheRunGoesOn) {
  auto r = read(std::string(kFlatSysmon3) + "\n{\"EventID\":3,\"Hostname\n" + "not json at all\n\n" +
                std::string(kFlatSysmon3) + "\n");
  EXPECT_EQ(r->sink.events.size(), 2u);
  EXPECT_EQ(r->diag.bad_records(), 2u);
  ASSERT_GE(r->diag.samples().size(), 2u);
  EXPECT_EQ(r->diag.samples()[0].line, 2u);
  EXPECT_EQ(r->diag.samples()[1].line, 3u);
  EXPECT_EQ(r->diag.samples()[0].file, "test-input");
}

TEST(WindowsJson, InvalidUtf8IsRepairedNotDropped) {
  std::string line = kFlatSysmon3;
  const size_t pos = line.find("powershell.exe");
  line.insert(pos, "\xff\xfe");
  auto r = read(line + "\n");
  ASSERT_EQ(r->sink.events.size(), 1u);
  EXPECT_NE(r->sink.events[0].image.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(r->diag.bad_records(), 0u);
}

TEST(WindowsJson, MissingHostIsABadRecord) {
  auto r = read(R"({"EventID":3,"UtcTime":"2020-09-20 16:17:01.152","ProcessGuid":"{x}","SourceIp":"1.2.3.4","DestinationIp":"5.6.7.8","SourcePort":"1","DestinationPort":"2"})" "\n");
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->diag.bad_records(), 1u);
  EXPECT_NE(r->diag.samples()[0].reason.find("no host name"), std::string::npos);
}

TEST(WindowsJson, NonWindowsJsonIsReportedAsNotUnderstood) {
  auto r = read(R"({"TimeGenerated":"2022-05-11T18:09:38.868Z","Computer":"UBUNTU5","BytesSent":218})" "\n");
  EXPECT_TRUE(r->sink.events.empty());
  EXPECT_EQ(r->diag.bad_records(), 0u);
  ASSERT_EQ(r->diag.bad_inputs().size(), 1u);
}

}  // namespace
}  // namespace outflow
