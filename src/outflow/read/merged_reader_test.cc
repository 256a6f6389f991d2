// Reading inputs merged by time: order, wild timestamps, opening when due, errors, and the join
// on a simulated organisation giving what reading the endpoint logs first gives, in bounded state.
#include "outflow/read/merged_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "outflow/core/fiber_pool.h"
#include "outflow/join/pipeline.h"
#include "outflow/simulate/simulator.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/sim_org.h"

namespace outflow {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

constexpr const char* kNfHeader = "ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n";
// One nfdump record ending at `end` ("2020-01-01 00:00:05"), source port `sp`.
std::string nf(const char* start, const char* end, int sp) {
  return std::string(start) + "," + end + ",1.0,10.0.0.1,10.0.0.2," + std::to_string(sp) + ",80,TCP,1,100\n";
}
// A Sysmon 3 in the flat shape at `utc` ("2020-01-01 00:00:05.000"), source port `sp`.
std::string sysmon3(const char* utc, int sp) {
  return std::string(R"({"EventID":3,"Hostname":"WS1","ProcessGuid":"{d273d0f0-8078-5f67-cc06-000000000800}",)") +
         R"("Image":"C:\\x.exe","Protocol":"tcp","SourceIp":"10.0.0.1","SourcePort":")" + std::to_string(sp) +
         R"(","DestinationIp":"10.0.0.2","DestinationPort":"80","Initiated":"true","UtcTime":")" + utc + "\"}\n";
}

// Records what arrives, in order: (kind, time, source port).
struct OrderSink final : RecordSink {
  struct Item {
    char kind;
    TimeNs time;
    int port;
  };
  std::vector<Item> items;
  void on_host_event(const HostEvent& e) override { items.push_back({'h', e.time, e.src_port}); }
  void on_flow(const FlowRecord& f) override { items.push_back({'f', f.end, f.orig_p}); }
  void on_dns(const DnsAnswer& d) override { items.push_back({'d', d.time, 0}); }
};

MergeInput input(const std::string& path, bool endpoint) { return {path, probe_first_time(path), endpoint}; }

TEST(MergedReader, DeliversByKeyWithEndpointLeadAndTiesInInputOrder) {
  TempDir d("order");
  const auto a = d.write("a.csv", std::string(kNfHeader) + nf("2020-01-01 00:00:00", "2020-01-01 00:00:01", 1) +
                                       nf("2020-01-01 00:00:02", "2020-01-01 00:00:03", 3) +
                                       nf("2020-01-01 00:00:04", "2020-01-01 00:00:05", 5));
  const auto b = d.write("b.csv", std::string(kNfHeader) + nf("2020-01-01 00:00:01", "2020-01-01 00:00:02", 2) +
                                       nf("2020-01-01 00:00:02", "2020-01-01 00:00:03", 33) +
                                       nf("2020-01-01 00:00:03", "2020-01-01 00:00:04", 4));
  // Host events 10 s after the flows, read 10 s ahead of their time: they come first.
  const auto h = d.write("h.jsonl", sysmon3("2020-01-01 00:00:10.000", 100) + sysmon3("2020-01-01 00:00:12.000", 101));
  OrderSink sink;
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  MergeOptions o;
  o.lead = 10 * kNsPerSec;
  o.batch = 1;  // every record its own hand-over: the order cannot come from batching
  std::vector<TimeNs> clocks;
  o.on_clock = [&](TimeNs t) { clocks.push_back(t); };
  ASSERT_TRUE(read_merged({input(a, false), input(b, false), input(h, true)}, sink, o, diag, stats, err)) << err;
  std::string ports;
  for (const auto& i : sink.items) ports += std::to_string(i.port) + " ";
  // Keys: 1 (a), 2 (b), 3 (a: port 3 before b's 33, input order), 3 (b 33), 4 (b), 5 (a); the
  // host events' keys are 0 and 2 (10 s of lead).
  EXPECT_EQ(ports, "100 1 2 101 3 33 4 5 ");
  ASSERT_EQ(clocks.size(), sink.items.size());
  for (size_t i = 1; i < clocks.size(); ++i) EXPECT_LE(clocks[i - 1], clocks[i]);
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].path, a);
  EXPECT_EQ(stats[2].host_events, 2u);
  EXPECT_EQ(diag.bad_records(), 0u);
}

TEST(MergedReader, WildTimestampDoesNotHoldBackTheRestOfItsFile) {
  TempDir d("wild");
  const auto a = d.write("a.csv", std::string(kNfHeader) + nf("2020-01-01 00:00:00", "2020-01-01 00:00:01", 1) +
                                       nf("2090-01-01 00:00:00", "2090-01-01 00:00:01", 2) +
                                       nf("2020-01-01 00:00:02", "2020-01-01 00:00:03", 3));
  std::string btext = kNfHeader;
  for (int h = 0; h < 6; ++h) {
    const std::string t = "2020-01-01 0" + std::to_string(h) + ":30:00";
    btext += nf(t.c_str(), t.c_str(), 1000 + h);
  }
  const auto b = d.write("b.csv", btext);
  OrderSink sink;
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  MergeOptions o;
  o.batch = 1;
  ASSERT_TRUE(read_merged({input(a, false), input(b, false)}, sink, o, diag, stats, err)) << err;
  // The 2090 record is keyed at most an hour past its file's clock: port 3 comes within the
  // first hours of b's records, not after all of them.
  size_t pos3 = 0, pos_last_b = 0;
  for (size_t i = 0; i < sink.items.size(); ++i) {
    if (sink.items[i].port == 3) pos3 = i;
    if (sink.items[i].port == 1005) pos_last_b = i;
  }
  EXPECT_LT(pos3, pos_last_b);
  EXPECT_EQ(sink.items.size(), 9u);
}

TEST(MergedReader, OpensAnInputWhenTheMergeReachesItsFirstRecord) {
  TempDir d("lazy");
  std::vector<MergeInput> in;
  for (int day = 1; day <= 3; ++day) {
    std::string text = kNfHeader;
    for (int i = 0; i < 5; ++i) {
      const std::string t = "2020-01-0" + std::to_string(day) + " 00:00:0" + std::to_string(i);
      text += nf(t.c_str(), t.c_str(), day * 10 + i);
    }
    // Listed last day first: opening follows the records' times, not the order given.
    in.insert(in.begin(), input(d.write("day" + std::to_string(day) + ".csv", text), false));
  }
  OrderSink sink;
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  MergeOptions o;
  std::vector<std::pair<std::string, size_t>> opened;  // file, records delivered by then
  o.on_open = [&](size_t, size_t, const std::string& f) { opened.emplace_back(fs::path(f).filename().string(), sink.items.size()); };
  ASSERT_TRUE(read_merged(in, sink, o, diag, stats, err)) << err;
  ASSERT_EQ(opened.size(), 3u);
  EXPECT_EQ(opened[0], std::make_pair(std::string("day1.csv"), size_t{0}));
  EXPECT_EQ(opened[1], std::make_pair(std::string("day2.csv"), size_t{5}));  // day 1 read whole before
  EXPECT_EQ(opened[2], std::make_pair(std::string("day3.csv"), size_t{10}));
  ASSERT_EQ(sink.items.size(), 15u);
  for (size_t i = 1; i < sink.items.size(); ++i) EXPECT_LT(sink.items[i - 1].time, sink.items[i].time);
  // Stats stay in the order the inputs were given.
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(fs::path(stats[0].path).filename(), "day3.csv");
}

TEST(MergedReader, AMissingInputFailsTheRunWithItsName) {
  TempDir d("missing");
  const auto a = d.write("a.csv", std::string(kNfHeader) + nf("2020-01-01 00:00:00", "2020-01-01 00:00:01", 1));
  const std::string gone = (d.path / "gone.csv").string();
  OrderSink sink;
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  EXPECT_FALSE(read_merged({input(a, false), {gone, kNoTime, false}}, sink, MergeOptions{}, diag, stats, err));
  EXPECT_NE(err.find("gone.csv"), std::string::npos) << err;
}

TEST(MergedReader, EveryInputsBadRecordsAreReportedWithTheirFile) {
  TempDir d("bad");
  const auto a = d.write("a.csv", std::string(kNfHeader) + nf("2020-01-01 00:00:00", "2020-01-01 00:00:01", 1) +
                                       "garbage,line\n");
  const auto b = d.write("b.jsonl", sysmon3("2020-01-01 00:00:00.000", 7) + "{\"EventID\": 3, broken\n");
  OrderSink sink;
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  ASSERT_TRUE(read_merged({input(a, false), input(b, true)}, sink, MergeOptions{}, diag, stats, err)) << err;
  EXPECT_EQ(sink.items.size(), 2u);
  EXPECT_EQ(diag.bad_records(), 2u);
  std::set<std::string> files;
  for (const auto& s : diag.samples()) files.insert(fs::path(s.file).filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"a.csv", "b.jsonl"}));
  EXPECT_EQ(stats[0].bad + stats[1].bad, 2u);
}

TEST(MergedReader, ProbeFindsTheFirstRecordTime) {
  TempDir d("probe");
  const auto a = d.write("a.csv", std::string(kNfHeader) + nf("2020-01-01 00:00:07", "2020-01-01 00:00:09", 1) +
                                       nf("2020-01-01 00:00:03", "2020-01-01 00:00:04", 2));
  EXPECT_EQ(probe_first_time(a), testing::utc("2020-01-01 00:00:04"));  // the earliest of the head
  EXPECT_EQ(probe_first_time(d.write("e.csv", "")), kNoTime);
  EXPECT_EQ(probe_first_time((d.path / "none").string()), kNoTime);
}

// The simulated organisation, one Sysmon file per host and a Zeek conn.log, joined twice: the
// endpoint files read whole first, and everything merged by time with a retention. Attribution
// is the same but for a few sessions that reading ahead of the future makes ambiguous, and
// with a short retention the join forgets what it no longer needs.
struct Joined {
  std::map<std::pair<std::string, TimeNs>, std::pair<AttributionStatus, std::string>> by_session;
  uint64_t sessions = 0, processes_seen = 0, processes_forgotten = 0, connects_forgotten = 0;
  size_t max_live_processes = 0;
  uint64_t max_connects = 0;
};

Joined join(const fs::path& org, bool merged, TimeNs retention) {
  Joined j;
  PipelineOptions po;
  po.retention = retention;
  SessionPipeline* pp = nullptr;
  SessionPipeline p(po, [&](const Session& s, const Attribution& a) {
    const std::string guid = a.proc != kNoProc ? pp->processes().get(a.proc).guid : "";
    j.by_session[{s.orig_h.to_string() + ":" + std::to_string(s.orig_p) + "-" + s.resp_h.to_string() + ":" +
                      std::to_string(s.resp_p),
                  s.start}] = {a.status, guid};
  });
  pp = &p;
  const std::vector<MergeInput> in = testing::org_inputs(org);
  Diagnostics diag;
  std::string err;
  if (!merged) {
    for (const auto& f : in) {  // the endpoint files first, then the conn.log
      FileStats fs_;
      EXPECT_TRUE(read_input_file(f.path, p, diag, fs_, err)) << err;
    }
  } else {
    MergeOptions o;
    o.on_clock = [&](TimeNs t) {
      p.advance(t);
      j.max_live_processes = std::max(j.max_live_processes, p.processes().live());
      j.max_connects = std::max(j.max_connects, p.index().connects_stored());
    };
    std::vector<FileStats> stats;
    EXPECT_TRUE(read_merged(in, p, o, diag, stats, err)) << err;
  }
  p.finish();
  EXPECT_EQ(diag.bad_records(), 0u);
  j.sessions = p.stats().sessions;
  j.processes_seen = p.processes().seen();
  j.processes_forgotten = p.processes().evicted();
  j.connects_forgotten = p.index().connects_evicted();
  return j;
}

TEST(MergedReader, SimulatedOrganisationJoinsAsWhenEndpointLogsAreReadFirst) {
  TempDir d("org");
  sim::SimulateOptions so = testing::org_options(d.path, 5, 8, 4);
  so.netflow = false;
  sim::SimulateResult r;
  std::string err;
  ASSERT_TRUE(sim::simulate(so, r, err)) << err;

  const Joined first = join(d.path, false, 0);
  // The pipeline's retention counts from arrival, and endpoint events arrive MergeOptions::lead
  // (12 h) ahead: 12 h + 48 h as the CLI's default, 12 h + 6 h.
  const TimeNs lead = MergeOptions{}.lead;
  const Joined merged = join(d.path, true, lead + 48 * 3600 * kNsPerSec);
  const Joined tight = join(d.path, true, lead + 6 * 3600 * kNsPerSec);
  ASSERT_GT(first.sessions, 1000u);
  for (const Joined* j : {&merged, &tight}) {
    ASSERT_EQ(j->sessions, first.sessions);
    size_t differ = 0;
    for (const auto& [k, v] : first.by_session) {
      auto it = j->by_session.find(k);
      ASSERT_NE(it, j->by_session.end());
      if (it->second == v) continue;
      ++differ;
      // Reading ahead, the merged join knows less of the future: a process that connects to
      // the same place later cannot make an earlier session ambiguous.
      EXPECT_EQ(v.first, AttributionStatus::ambiguous);
      EXPECT_EQ(it->second.first, AttributionStatus::inferred);
    }
    EXPECT_LT(differ, first.sessions / 100) << differ;
  }
  // Four days with a 6-hour retention: ended processes and old connection events go, and what
  // is held at any moment is a fraction of what was seen.
  EXPECT_GT(tight.processes_forgotten, 0u);
  EXPECT_GT(tight.connects_forgotten, 0u);
  EXPECT_LT(tight.max_live_processes, tight.processes_seen * 2 / 3);
  EXPECT_LT(tight.max_connects, merged.max_connects);
}

// Zeek ssl/http, dhcp and capture_loss records are carried between threads and keyed by their
// time: an ssl record comes before the conn record of its connection (keyed by its end).
TEST(MergedReader, CarriesZeekAppDhcpCaptureLossAndFileRecords) {
  TempDir d("zeekaux");
  const std::string hdr = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n";
  const auto conn = d.write("conn.log", hdr + "#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\t"
                                              "proto\tduration\torig_bytes\tresp_bytes\tconn_state\n"
                                              "1577836810.0\tC1\t10.0.0.1\t5000\t10.0.0.2\t443\ttcp\t30.0\t9\t9\tSF\n");
  const auto ssl = d.write("ssl.log", hdr + "#path\tssl\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tserver_name\n"
                                            "1577836810.5\tC1\t10.0.0.1\t5000\t10.0.0.2\t443\tx.example\n");
  const auto aux = d.write("aux.log", hdr + "#path\tdhcp\n#fields\tts\tclient_addr\thost_name\n1577836805.0\t10.0.0.1\tWS1\n" +
                                            "#path\tcapture_loss\n#fields\tts\tts_delta\tpeer\tgaps\tacks\tpercent_lost\n"
                                            "1577836820.0\t10.0\tz\t1\t10\t10.0\n");
  const auto files = d.write("files.log", hdr + "#path\tfiles\n#fields\tts\tfuid\tuid\tid.orig_h\tid.orig_p\tid.resp_h\t"
                                                "id.resp_p\tis_orig\tseen_bytes\ttotal_bytes\tmime_type\tfilename\n"
                                                "1577836815.0\tF1\tC1\t10.0.0.1\t5000\t10.0.0.2\t443\tT\t700\t700\t"
                                                "text/plain\tloot.txt\n");
  struct Kinds final : RecordSink {
    std::string order;
    std::string name, host, peer, file;
    void on_host_event(const HostEvent&) override { order += 'h'; }
    void on_flow(const FlowRecord&) override { order += 'f'; }
    void on_dns(const DnsAnswer&) override { order += 'd'; }
    void on_app(const AppRecord& a) override { order += 'a', name = a.name; }
    void on_dhcp(const DhcpLease& l) override { order += 'l', host = l.host_name; }
    void on_capture_loss(const CaptureLossRecord& c) override { order += 'c', peer = c.peer; }
    void on_file(const FileRecord& f) override { order += 'F', file = f.filename; }
  } sink;
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  ASSERT_TRUE(read_merged({input(conn, false), input(ssl, false), input(aux, false), input(files, false)}, sink, MergeOptions{},
                          diag, stats, err))
      << err;
  // dhcp 5 s, ssl 10.5 s, files 15 s, capture_loss 20 s, conn ending at 40 s
  EXPECT_EQ(sink.order, "laFcf");
  EXPECT_EQ(sink.file, "loot.txt");
  EXPECT_EQ(sink.name, "x.example");
  EXPECT_EQ(sink.host, "WS1");
  EXPECT_EQ(sink.peer, "z");
  EXPECT_EQ(probe_first_time(aux), 1577836805 * kNsPerSec);
  EXPECT_EQ(probe_first_time(files), 1577836815 * kNsPerSec);
}

}  // namespace
}  // namespace outflow

namespace outflow {
namespace {

TEST(MergedReader, PerInputBuffersShrinkOnlyBeyond64InputsAndNeverBelowTheMinimum) {
  const MergeOptions o;
  for (size_t n : {0, 1, 50, 64}) {
    EXPECT_EQ(o.for_inputs(n).batch, 128u) << n;
    EXPECT_EQ(o.for_inputs(n).line_buffer, size_t{128u << 10}) << n;
  }
  EXPECT_EQ(o.for_inputs(128).batch, 64u);
  EXPECT_EQ(o.for_inputs(128).line_buffer, size_t{64u << 10});
  EXPECT_EQ(o.for_inputs(600).batch, MergeOptions::kMinBatch);
  EXPECT_EQ(o.for_inputs(600).line_buffer, MergeOptions::kMinLineBuffer);
  EXPECT_EQ(o.for_inputs(5'000).batch * o.for_inputs(5'000).line_buffer, MergeOptions::kMinBatch * MergeOptions::kMinLineBuffer);
  MergeOptions one;
  one.batch = 1;  // a caller's smaller setting is kept, not raised to the minimum
  EXPECT_EQ(one.for_inputs(600).batch, 1u);
  MergeOptions lone;
  lone.batch = 1024;  // one input read alone (cli/common.cc): its larger batch stays
  EXPECT_EQ(lone.for_inputs(1).batch, 1024u);
}

TEST(MergedReader, ManyInputsWithSmallerBuffersStillMergeEveryRecordInOrder) {
  // More inputs than the per-input totals allow at full size (MergeOptions::batch_total): the
  // batches and line buffers shrink, and a file longer than one batch still comes whole and in
  // key order, however its records interleave with the others'.
  TempDir d("many");
  MergeOptions o;
  o.batch_total = 64 * 8;  // 70 inputs: batches at the minimum
  std::vector<MergeInput> inputs;
  constexpr int kInputs = 70, kRecords = 150;  // 150 records: more than two batches of 64
  for (int i = 0; i < kInputs; ++i) {
    std::string text = kNfHeader;
    for (int r = 0; r < kRecords; ++r) {
      const int s = r * kInputs + i;  // input i's records interleave with the others'
      char t[32];
      std::snprintf(t, sizeof t, "2020-01-01 %02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
      text += nf(t, t, 1000 + i);
    }
    inputs.push_back(input(d.write("f" + std::to_string(i) + ".csv", text), false));
  }
  OrderSink sink;
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  ASSERT_TRUE(read_merged(inputs, sink, o, diag, stats, err)) << err;
  ASSERT_EQ(sink.items.size(), size_t{kInputs} * kRecords);
  for (size_t k = 0; k < sink.items.size(); ++k) {
    ASSERT_EQ(sink.items[k].port, 1000 + static_cast<int>(k % kInputs)) << k;
    if (k > 0) {
      ASSERT_LE(sink.items[k - 1].time, sink.items[k].time) << k;
    }
  }
  EXPECT_EQ(stats.size(), size_t{kInputs});
}

// An incident collection: a Sysmon file per host, more inputs than cores. Every event arrives,
// packed and unpacked on its way (model/host_event_codec.h) with its values whole, in key order
// (ties in input order); a command line of 50 KB passes; and the files are read by at most one
// thread per core, not one each.
TEST(MergedReader, ManyHostFilesArriveWholeOnAThreadPerCore) {
  TempDir d("hosts");
  constexpr int kHosts = 200, kEvents = 40;
  std::vector<MergeInput> inputs;
  for (int h = 0; h < kHosts; ++h) {
    std::string text;
    for (int k = 0; k < kEvents; ++k) {
      char utc[40];
      std::snprintf(utc, sizeof utc, "2020-01-01 %02d:%02d:00.000", k / 60, k % 60);
      const std::string cmd = h == 7 && k == 3 ? std::string(50'000, 'x') : "run " + std::to_string(h * 1000 + k);
      text += std::string(R"({"EventID":1,"Hostname":"WS)") + std::to_string(h) +
              R"(","ProcessGuid":"{d273d0f0-8078-5f67-cc06-)" + std::to_string(100000000000 + h * 100 + k) +
              R"(}","ProcessId":")" + std::to_string(h * 100 + k) + R"(","Image":"C:\\p)" + std::to_string(k) +
              R"(.exe","CommandLine":")" + cmd + R"(","User":"CORP\\u)" + std::to_string(h) + R"(","UtcTime":")" +
              utc + "\"}\n";
    }
    inputs.push_back(input(d.write("h" + std::to_string(h) + ".jsonl", text), true));
  }
  struct Sink final : RecordSink {
    std::vector<HostEvent> got;
    void on_host_event(const HostEvent& e) override { got.push_back(e); }
    void on_flow(const FlowRecord&) override { ADD_FAILURE(); }
    void on_dns(const DnsAnswer&) override { ADD_FAILURE(); }
  } sink;
  size_t max_threads = 0;
  MergeOptions o;
  o.on_clock = [&](TimeNs) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& t : fs::directory_iterator("/proc/self/task")) ++n;
    max_threads = std::max(max_threads, n);
  };
  Diagnostics diag;
  std::vector<FileStats> stats;
  std::string err;
  const size_t before = static_cast<size_t>(std::distance(fs::directory_iterator("/proc/self/task"), fs::directory_iterator{}));
  ASSERT_TRUE(read_merged(inputs, sink, o, diag, stats, err)) << err;
  ASSERT_EQ(sink.got.size(), size_t{kHosts} * kEvents);
  EXPECT_LE(max_threads, before + FiberPool::threads_for(kHosts));
  for (size_t i = 0; i < sink.got.size(); ++i) {
    const HostEvent& e = sink.got[i];
    const int h = static_cast<int>(i % kHosts), k = static_cast<int>(i / kHosts);  // by time, then input
    ASSERT_EQ(e.host, "WS" + std::to_string(h)) << i;
    EXPECT_EQ(e.pid, static_cast<uint64_t>(h * 100 + k));
    EXPECT_EQ(e.image, "C:\\p" + std::to_string(k) + ".exe");
    EXPECT_EQ(e.user, "CORP\\u" + std::to_string(h));
    const std::string cmd = h == 7 && k == 3 ? std::string(50'000, 'x') : "run " + std::to_string(h * 1000 + k);
    EXPECT_TRUE(e.command_line == cmd) << i << ": " << e.command_line.size() << " bytes, " << e.command_line.substr(0, 40);
    EXPECT_EQ(e.time, testing::utc("2020-01-01 00:00:00") + TimeNs{k} * 60 * kNsPerSec);
  }
}

}  // namespace
}  // namespace outflow
