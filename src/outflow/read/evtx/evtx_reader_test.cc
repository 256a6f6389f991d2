// EVTX reader: value rendering, known values from real files, determinism (corrupt input: evtx_corrupt_test.cc).
#include <gtest/gtest.h>

#include "outflow/read/evtx/evtx_test_util.h"
#include "outflow/read/evtx/evtx_values.h"

namespace outflow {
namespace {

using namespace evtx_test;

TEST(EvtxValues, Utf16ToUtf8) {
  std::string out;
  const uint8_t s[] = {'A', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 'z', 0, 0x00, 0xDC, 0, 0};
  evtx::append_utf16(s, 8, out);
  EXPECT_EQ(out, "A\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBDz\xEF\xBF\xBD");  // A é 😀 U+FFFD z U+FFFD
}

TEST(EvtxValues, Scalars) {
  std::string out;
  const uint8_t sid[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};
  ASSERT_TRUE(evtx::append_value(evtx::kSid, sid, sizeof sid, out));
  EXPECT_EQ(out, "S-1-5-32-544");
  out.clear();
  const uint8_t guid[] = {0x5F, 0x38, 0x70, 0x57, 0x2A, 0xC2, 0xE0, 0x43, 0xBF, 0x4C, 0x06, 0xF5, 0x69, 0x8F, 0xFB, 0xD9};
  ASSERT_TRUE(evtx::append_value(evtx::kGuid, guid, sizeof guid, out));
  EXPECT_EQ(out, "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}");
  out.clear();
  const uint8_t hex[] = {0xe7, 0x03, 0, 0, 0, 0, 0, 0};
  ASSERT_TRUE(evtx::append_value(evtx::kHexInt64, hex, 8, out));
  EXPECT_EQ(out, "0x3e7");
  out.clear();
  evtx::append_filetime(132386436285821234ULL, out);
  EXPECT_EQ(out, "2020-07-08T01:00:28.582123400Z");
  TimeNs t;
  ASSERT_TRUE(parse_datetime(out, t));
  EXPECT_EQ(evtx::filetime_to_ns(132386436285821234ULL), t);
  out.clear();
  EXPECT_FALSE(evtx::append_value(evtx::kUInt32, hex, 3, out));  // wrong size
  const uint8_t arr[] = {1, 0, 2, 0, 3, 0};
  ASSERT_TRUE(evtx::append_value(evtx::kUInt16 | evtx::kArrayFlag, arr, 6, out));
  EXPECT_EQ(out, "1, 2, 3");
}

TEST(EvtxReader, SysmonKnownValues) {
  const auto p = dataset("evtx-attack-samples/Lateral Movement/LM_sysmon_3_12_13_1_SharpRDP.evtx");
  REQUIRE_DATASET(p);
  Result r;
  read_bytes(slurp(p), r, Access::random, 2, p.string());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.stats.lines, 38u);
  EXPECT_EQ(r.diag.bad_records(), 0u);
  const HostEvent* start = nullptr;
  const HostEvent* conn = nullptr;
  for (const auto& e : r.sink.events) {
    if (e.event_id == 1 && e.pid == 2568) start = &e;
    if (e.event_id == 3 && !conn) conn = &e;
  }
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->type, HostEventType::process_start);
  EXPECT_EQ(start->host, "MSEDGEWIN10");
  EXPECT_EQ(start->process_guid, "{747F3D96-9371-5F07-0000-00102D024400}");
  EXPECT_EQ(start->parent_guid, "{747F3D96-86FC-5F07-0000-00101E4B0700}");
  EXPECT_EQ(start->ppid, 2356u);
  EXPECT_EQ(start->image, "C:\\Windows\\System32\\notepad.exe");
  EXPECT_EQ(start->parent_image, "C:\\Windows\\explorer.exe");
  EXPECT_EQ(start->command_line, "\"C:\\windows\\system32\\notepad.exe\" ");
  EXPECT_EQ(start->user, "MSEDGEWIN10\\IEUser");
  EXPECT_EQ(start->integrity_level, "Medium");
  EXPECT_EQ(start->original_file_name, "NOTEPAD.EXE");
  EXPECT_EQ(start->company, "Microsoft Corporation");
  EXPECT_EQ(start->current_directory, "C:\\windows\\system32\\");
  EXPECT_TRUE(start->hashes.starts_with("SHA1=B6D237154F2E528F0B503B58B025862D66B02B73,MD5="));
  EXPECT_EQ(start->time_field, TimeField::utc_time);
  TimeNs t;
  ASSERT_TRUE(parse_datetime("2020-07-09 22:00:17.578", t));
  EXPECT_EQ(start->time, t);

  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(conn->type, HostEventType::net_connect);
  EXPECT_EQ(conn->process_guid, "{747F3D96-85F1-5F07-0000-001074CB0000}");
  EXPECT_EQ(conn->pid, 428u);
  EXPECT_EQ(conn->image, "C:\\Windows\\System32\\svchost.exe");
  EXPECT_EQ(conn->user, "NT AUTHORITY\\NETWORK SERVICE");
  EXPECT_EQ(conn->src_ip.to_string(), "192.168.56.1");
  EXPECT_EQ(conn->dst_ip.to_string(), "192.168.56.101");
  EXPECT_EQ(conn->src_port, 52543);
  EXPECT_EQ(conn->dst_port, 3389);
  EXPECT_EQ(conn->proto, kProtoTcp);
  EXPECT_EQ(conn->initiated, 0);
  // Other Sysmon events (12, 13) are counted as skipped, not errors.
  uint64_t skipped = 0;
  for (const auto& [what, n] : r.diag.skipped_counts())
    if (what.starts_with("evtx event ")) skipped += n;
  EXPECT_EQ(skipped + r.sink.events.size(), 38u);
}

TEST(EvtxReader, Security4688) {
  const auto p = dataset(
      "evtx-to-mitre-attack/EVTX_full_APT_attack_steps/ID4624,4688,5140,5145-Eternal Romance - MS17_010_psexec (GLOBAL).evtx");
  REQUIRE_DATASET(p);
  Result r;
  read_bytes(slurp(p), r, Access::random, 2, p.string());
  const HostEvent* e = nullptr;
  for (const auto& x : r.sink.events)
    if (x.event_id == 4688 && x.pid == 0x7f0) e = &x;
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, HostEventType::process_start);
  EXPECT_EQ(e->ppid, 0x6e8u);
  EXPECT_EQ(e->image, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
  EXPECT_EQ(e->user, "NT AUTHORITY\\SYSTEM");  // SubjectLogonId 0x3e7
  EXPECT_EQ(e->host, "fs03vuln.offsec.lan");
  EXPECT_EQ(e->time_field, TimeField::system_time);
  EXPECT_TRUE(e->command_line.starts_with("powershell.exe  -nop -w hidden"));
}

TEST(EvtxReader, Security5156) {
  const auto p = dataset("evtx-attack-samples/Defense Evasion/DE_1102_security_log_cleared.evtx");
  REQUIRE_DATASET(p);
  Result r;
  read_bytes(slurp(p), r, Access::random, 2, p.string());
  const HostEvent* e = nullptr;
  for (const auto& x : r.sink.events)
    if (x.event_id == 5156 && x.pid == 812 && x.src_port == 546) e = &x;
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, HostEventType::net_connect);
  EXPECT_EQ(e->image, "\\device\\harddiskvolume1\\windows\\system32\\svchost.exe");
  EXPECT_EQ(e->src_ip.to_string(), "fe80::80ac:4126:fa58:1b81");
  EXPECT_EQ(e->dst_ip.to_string(), "ff02::1:2");
  EXPECT_EQ(e->dst_port, 547);
  EXPECT_EQ(e->proto, kProtoUdp);
  EXPECT_EQ(e->initiated, 1);  // %%14593 outbound
  EXPECT_EQ(e->host, "PC01.example.corp");
  TimeNs t;
  ASSERT_TRUE(parse_datetime("2019-03-19T23:35:08.786016500Z", t));
  EXPECT_EQ(e->time, t);
  EXPECT_EQ(e->time_field, TimeField::system_time);
}

// A file libevtx 20181227 cannot read (plain binary XML without templates).
TEST(EvtxReader, ReadsWhatLibevtxRejects) {
  const auto p = dataset(
      "evtx-to-mitre-attack/TA0007-Discovery/T1069-Permission Groups Discovery/"
      "ID4799-4624-Local admin group enumerated by SharpHound.evtx");
  REQUIRE_DATASET(p);
  struct H final : evtx::RecordHandler {
    int n = 0, bad = 0;
    void on_record(const evtx::Record& r) override {
      if (n++ == 0) {
        EXPECT_EQ(r.record_id_text, "9796981");
        EXPECT_EQ(r.event_id, 4624u);
        EXPECT_EQ(r.computer, "atanids01.offsec.lan");
        EXPECT_EQ(r.get("TargetUserName"), "admmig");
        EXPECT_EQ(r.get("TargetUserSid"), "S-1-5-21-4230534742-2542757381-3142984815-1111");
        EXPECT_EQ(r.get("IpAddress"), "10.23.23.9");
        EXPECT_EQ(r.get("LogonGuid"), "{500826FC-0D33-FC69-5CB3-DE2713BDC56A}");
      }
    }
    void on_bad(uint64_t, std::string_view) override { ++bad; }
  } h;
  auto src = memory_byte_source(slurp(p));
  evtx::ReadTotals t;
  std::string err;
  ASSERT_TRUE(evtx::read_file(*src, h, t, err));
  EXPECT_EQ(h.n, 55);
  EXPECT_EQ(h.bad, 0);
}

// Chunks are parsed in parallel: the output must be in file order, as a sequential read gives,
// whatever the thread count and whether the file is read by position or as a stream.
TEST(EvtxReader, ParallelOutputInFileOrder) {
  const auto p = dataset(kMultiChunk);
  REQUIRE_DATASET(p);
  std::string bytes = slurp(p);
  // More chunks than the reader keeps in flight: the file twice over (34 chunks).
  std::string twice = bytes + bytes.substr(evtx::kFileHeaderSize);
  struct Seq final : evtx::RecordHandler {
    std::vector<std::pair<uint16_t, TimeNs>> keys;
    bool want_data(const evtx::Record&) override { return true; }
    void on_record(const evtx::Record& x) override {
      const uint32_t id = x.event_id;
      const bool sysmon = x.provider == "Microsoft-Windows-Sysmon";
      if (sysmon && (id == 1 || id == 3 || id == 5 || id == 22))
        keys.emplace_back(static_cast<uint16_t>(id), x.time);
    }
    void on_bad(uint64_t, std::string_view) override {}
  } seq;
  auto src = memory_byte_source(twice);
  evtx::ReadTotals t;
  std::string err;
  ASSERT_TRUE(evtx::read_file(*src, seq, t, err));
  ASSERT_GT(seq.keys.size(), 1000u);
  for (Access access : {Access::random, Access::stream}) {
    for (unsigned threads : {1u, 2u, 3u}) {
      SCOPED_TRACE(::testing::Message() << (access == Access::random ? "random access" : "stream") << ", threads " << threads);
      Result r;
      read_bytes(twice, r, access, threads);
      ASSERT_TRUE(r.ok);
      ASSERT_EQ(r.sink.events.size(), seq.keys.size());
      for (size_t i = 0; i < seq.keys.size(); ++i) {
        ASSERT_EQ(r.sink.events[i].event_id, seq.keys[i].first) << i;
        ASSERT_EQ(r.sink.events[i].time_field == TimeField::system_time ? r.sink.events[i].time : seq.keys[i].second,
                  seq.keys[i].second) << i;
        ASSERT_FALSE(r.sink.events[i].recovered) << i;
      }
      EXPECT_EQ(r.stats.lines, t.records);
      EXPECT_EQ(r.stats.bytes, twice.size());
      EXPECT_EQ(r.stats.bad, 0u);
      EXPECT_EQ(r.stats.recovered, 0u);
    }
  }
}

}  // namespace
}  // namespace outflow
