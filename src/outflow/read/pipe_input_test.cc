// Inputs that can be read only once (a pipe, as bash's <(...) gives /dev/fd/63, and a named
// FIFO): detection, the first-time probe and the reader share one opening, for every format,
// plain, gzip and zstd, and read exactly the records the same bytes give from a regular file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <gtest/gtest.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <thread>

#include "outflow/read/evtx/evtx_test_util.h"
#include "outflow/read/merged_reader.h"
#include "outflow/testing/collect_sink.h"
#include "outflow/testing/sim_org.h"

namespace outflow {
namespace {

using testing::CollectSink;
using testing::TempDir;

// Ends the test program when a test hangs (a reader or writer left blocked on a pipe), which
// would otherwise stall the whole suite until ctest's timeout.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::seconds limit) {
    thread_ = std::thread([this, limit] {
      std::unique_lock lk(m_);
      if (!cv_.wait_for(lk, limit, [this] { return done_; })) {
        std::fprintf(stderr, "pipe_input_test: hung for %llds, giving up\n", static_cast<long long>(limit.count()));
        std::_Exit(3);
      }
    });
  }
  ~Watchdog() {
    {
      std::lock_guard lk(m_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

void write_and_close(int fd, const std::string& bytes) {
  size_t at = 0;
  while (at < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;  // the reader went away (EPIPE: SIGPIPE is ignored here)
    at += static_cast<size_t>(w);
  }
  ::close(fd);
}

// A writer thread feeding bytes into a pipe or a FIFO, as `cat file` behind <(...) does.
struct Feed {
  std::string path;
  int read_fd = -1;  // a pipe's read end, kept until the end of the test
  std::thread writer;
  ~Feed() {
    if (read_fd >= 0) ::close(read_fd);  // a writer still blocked gets EPIPE
    if (writer.joinable()) writer.join();
  }
};

// Over pipe(2); the reader opens /proc/self/fd/N, as it would bash's /dev/fd/63.
std::unique_ptr<Feed> through_pipe(std::string bytes) {
  auto f = std::make_unique<Feed>();
  int p[2];
  EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
  f->read_fd = p[0];
  f->path = "/proc/self/fd/" + std::to_string(p[0]);
  f->writer = std::thread([w = p[1], b = std::move(bytes)] { write_and_close(w, b); });
  return f;
}

// Into a FIFO made at `path`: the writer's open waits for the reader's.
std::unique_ptr<Feed> through_fifo(const std::string& path, std::string bytes) {
  auto f = std::make_unique<Feed>();
  EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0);
  f->path = path;
  f->writer = std::thread([path, b = std::move(bytes)] {
    const int w = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (w >= 0) write_and_close(w, b);
  });
  return f;
}

// What one input gave, read as the CLI reads it: probe, detect, then read from what detection
// kept open (nothing for a regular file, which is opened again).
struct Read {
  CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  InputFormat detected = InputFormat::unknown;
  bool once = false, ok = false;
  TimeNs first = kNoTime;
  std::string error;
};

void read_like_cli(const std::string& path, Read& r) {
  r.first = probe_first_time(path);
  DetectedInput in;
  ASSERT_TRUE(detect_input(path, in, r.error)) << r.error;
  r.detected = in.format;
  r.once = in.once != nullptr;
  r.ok = read_input_file(path, in.once.get(), r.sink, r.diag, r.stats, r.error);
}

// The records, as text (not the NetFlow sensor, which is named after the file).
std::vector<std::string> records(const CollectSink& s) {
  std::vector<std::string> out;
  for (const auto& e : s.events)
    out.push_back(fmt::format("h {} {} {} {} {} {} {}:{} {}:{}", e.event_id, e.time, e.host, e.process_guid, e.image,
                              e.command_line, e.src_ip.to_string(), e.src_port, e.dst_ip.to_string(), e.dst_port));
  for (const auto& f : s.flows)
    out.push_back(fmt::format("f {} {} {}:{} {}:{} {} {} {} {}", f.start, f.end, f.orig_h.to_string(), f.orig_p,
                              f.resp_h.to_string(), f.resp_p, f.proto, f.orig_bytes, f.resp_bytes, f.uid));
  for (const auto& d : s.dns) out.push_back(fmt::format("d {} {} {}", d.time, d.query, d.answers.size()));
  return out;
}

// --- Inputs of every format, each larger than a pipe's buffer (64 KiB) and than the bytes
// detection (8 KiB) and the probe (128 KiB) look at.

std::string sysmon_jsonl() {
  std::string s;
  for (int i = 0; i < 1500; ++i) {
    const int sec = i % 60, min = (i / 60) % 60;
    s += fmt::format(R"({{"EventID":3,"Hostname":"WS1","ProcessGuid":"{{d273d0f0-8078-5f67-cc06-{:012d}}}",)"
                     R"("Image":"C:\\Tools\\x{}.exe","Protocol":"tcp","SourceIp":"10.0.0.1","SourcePort":"{}",)"
                     R"("DestinationIp":"10.0.0.2","DestinationPort":"443","Initiated":"true",)"
                     R"("UtcTime":"2020-01-01 00:{:02d}:{:02d}.000"}})"
                     "\n",
                     i, i, 1024 + i, min, sec);
  }
  return s;
}

std::string zeek_tsv() {
  std::string s =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\t"
      "resp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\t"
      "resp_pkts\tresp_ip_bytes\ttunnel_parents\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\t"
      "count\tstring\tcount\tcount\tcount\tcount\tset[string]\n";
  for (int i = 0; i < 2000; ++i)
    s += fmt::format("{}.25\tC{:08d}\t10.0.0.1\t{}\t10.0.0.2\t443\ttcp\tssl\t1.5\t{}\t{}\tSF\tT\tF\t0\tShADadFf\t"
                     "10\t900\t12\t5000\t-\n",
                     1577836800 + i, i, 1024 + i, 100 + i, 2000 + i);
  return s + "#close\t2020-01-01-01-00-00\n";
}

std::string zeek_json() {
  std::string s;
  for (int i = 0; i < 1500; ++i)
    s += fmt::format(R"({{"ts":{}.5,"uid":"J{:08d}","id.orig_h":"10.0.0.1","id.orig_p":{},"id.resp_h":"10.0.0.3",)"
                     R"("id.resp_p":80,"proto":"tcp","duration":2.0,"orig_bytes":{},"resp_bytes":7,"conn_state":"SF"}})"
                     "\n",
                     1577836800 + i, i, 2048 + i, 10 * i);
  return s;
}

std::string nfdump_csv() {
  std::string s = "ts,te,td,sa,da,sp,dp,pr,ipkt,ibyt\n";
  for (int i = 0; i < 3000; ++i) {
    const int sec = i % 60, min = (i / 60) % 60;
    s += fmt::format("2020-01-01 00:{:02d}:{:02d},2020-01-01 00:{:02d}:{:02d},0.0,10.0.0.1,10.0.0.4,{},53,UDP,1,{}\n", min,
                     sec, min, sec, 3000 + i, 60 + i);
  }
  return s;
}

std::string zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string evtx_bytes() {
  const auto p = evtx_test::dataset(evtx_test::kMultiChunk);
  return std::filesystem::exists(p) ? evtx_test::slurp(p) : std::string();
}

struct Case {
  const char* name;
  InputFormat format;
  std::string (*make)();
};

const Case kCases[] = {
    {"windows_json", InputFormat::windows_json, sysmon_jsonl},
    {"zeek_tsv", InputFormat::zeek_tsv, zeek_tsv},
    {"zeek_json", InputFormat::zeek_json, zeek_json},
    {"nfdump_csv", InputFormat::nfdump_csv, nfdump_csv},
    {"evtx", InputFormat::evtx, evtx_bytes},
    {"windows_json_gzip", InputFormat::windows_json, [] { return evtx_test::gzip(sysmon_jsonl()); }},
    {"zeek_tsv_zstd", InputFormat::zeek_tsv, [] { return zstd(zeek_tsv()); }},
    {"nfdump_csv_gzip", InputFormat::nfdump_csv, [] { return evtx_test::gzip(nfdump_csv()); }},
    {"zeek_json_zstd", InputFormat::zeek_json, [] { return zstd(zeek_json()); }},
    // Without the dataset: no bytes (the case is skipped), not a zstd frame of nothing.
    {"evtx_zstd", InputFormat::evtx, [] {
       const std::string e = evtx_bytes();
       return e.empty() ? e : zstd(e);
     }},
};

class PipeInput : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override { std::signal(SIGPIPE, SIG_IGN); }
  Watchdog watchdog_{std::chrono::seconds(60)};
};

// Reads `bytes` from a regular file and through `feed`, and checks both give the same.
void expect_same_as_file(const Case& c, const std::string& bytes, const std::string& file, Feed& feed) {
  Read want, got;
  read_like_cli(file, want);
  ASSERT_TRUE(want.ok) << want.error;
  EXPECT_FALSE(want.once) << "a regular file is opened again, not kept";
  EXPECT_EQ(want.detected, c.format);
  ASSERT_GT(want.stats.host_events + want.stats.flows + want.stats.dns, 100u);

  read_like_cli(feed.path, got);
  ASSERT_TRUE(got.ok) << got.error;
  EXPECT_TRUE(got.once) << "a pipe or FIFO stays open from detection on";
  EXPECT_EQ(got.first, kNoTime) << "the probe must not open what can be read only once";
  EXPECT_EQ(got.detected, c.format);
  EXPECT_EQ(got.stats.format, c.format);
  EXPECT_EQ(got.stats.bytes, want.stats.bytes);
  EXPECT_EQ(got.stats.raw_bytes, bytes.size());
  EXPECT_EQ(got.stats.lines, want.stats.lines);
  EXPECT_EQ(got.stats.bad, want.stats.bad);
  EXPECT_EQ(got.stats.host_events, want.stats.host_events);
  EXPECT_EQ(got.stats.flows, want.stats.flows);
  EXPECT_EQ(got.stats.dns, want.stats.dns);
  EXPECT_EQ(records(got.sink), records(want.sink));
}

// Feeds the case's bytes through a pipe or a FIFO, and compares with them in a regular file.
void check_case(const Case& c, bool fifo) {
  const std::string bytes = c.make();
  if (bytes.empty()) GTEST_SKIP() << "dataset absent: " << evtx_test::dataset(evtx_test::kMultiChunk);
  TempDir d(std::string(fifo ? "fifo-" : "pipe-") + c.name);
  const std::string file = d.write("input", bytes);
  auto feed = fifo ? through_fifo((d.path / "fifo").string(), bytes) : through_pipe(bytes);
  expect_same_as_file(c, bytes, file, *feed);
}

TEST_P(PipeInput, ThroughAPipeReadsWhatTheFileGives) { check_case(GetParam(), false); }

TEST_P(PipeInput, ThroughAFifoReadsWhatTheFileGives) { check_case(GetParam(), true); }

INSTANTIATE_TEST_SUITE_P(EveryFormat, PipeInput, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

TEST(PipeInputSource, OnlyRegularFilesCanBeOpenedAgain) {
  std::signal(SIGPIPE, SIG_IGN);
  Watchdog watchdog(std::chrono::seconds(60));
  TempDir d("reopen");
  const std::string file = d.write("f.csv", nfdump_csv());
  std::string err;
  auto regular = open_byte_source(file, err);
  ASSERT_TRUE(regular) << err;
  EXPECT_FALSE(regular->read_once());
  EXPECT_TRUE(reopenable(file));
  auto feed = through_pipe("ts,te\n");
  EXPECT_FALSE(reopenable(feed->path));
  auto piped = open_byte_source(feed->path, err);
  ASSERT_TRUE(piped) << err;
  EXPECT_TRUE(piped->read_once());
  EXPECT_FALSE(reopenable("-"));
  EXPECT_FALSE(reopenable((d.path / "missing").string()));
  EXPECT_FALSE(reopenable(d.path.string()));
}

// Read merged by time, a piped endpoint log (opened at once) gives what the same file gives.
TEST(PipeInputSource, MergedReadingTakesThePipeOnce) {
  std::signal(SIGPIPE, SIG_IGN);
  Watchdog watchdog(std::chrono::seconds(60));
  TempDir d("merged");
  const std::string sysmon = d.write("sysmon.jsonl", sysmon_jsonl());
  const std::string flows = d.write("flows.csv", nfdump_csv());
  auto run = [&](const std::string& endpoint_path, std::shared_ptr<ByteSource> once) {
    CollectSink sink;
    Diagnostics diag;
    std::vector<FileStats> stats;
    std::string err;
    MergeOptions o;
    const std::vector<MergeInput> in{{endpoint_path, once ? kNoTime : probe_first_time(endpoint_path), true, once},
                                     {flows, probe_first_time(flows), false}};
    EXPECT_TRUE(read_merged(in, sink, o, diag, stats, err)) << err;
    return records(sink);
  };
  const auto want = run(sysmon, nullptr);
  auto feed = through_pipe(sysmon_jsonl());
  DetectedInput in;
  std::string err;
  ASSERT_TRUE(detect_input(feed->path, in, err)) << err;
  ASSERT_TRUE(in.once);
  EXPECT_EQ(in.format, InputFormat::windows_json);
  const auto got = run(feed->path, in.once);
  EXPECT_EQ(got.size(), 4500u);
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace outflow
