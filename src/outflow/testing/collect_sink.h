// Test helpers: a sink that keeps everything, a one-call reader over an in-memory input, and
// literals for addresses and times.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "outflow/read/input.h"

namespace outflow::testing {

struct CollectSink final : RecordSink {
  std::vector<HostEvent> events;
  std::vector<FlowRecord> flows;
  std::vector<DnsAnswer> dns;
  std::vector<AppRecord> app;
  std::vector<DhcpLease> dhcp;
  std::vector<CaptureLossRecord> loss;
  std::vector<FileRecord> files;
  std::vector<AlertRecord> alerts;
  std::vector<ProxyRecord> proxy;
  void on_host_event(const HostEvent& e) override { events.push_back(e); }
  void on_flow(const FlowRecord& f) override { flows.push_back(f); }
  void on_dns(const DnsAnswer& d) override { dns.push_back(d); }
  void on_app(const AppRecord& r) override { app.push_back(r); }
  void on_dhcp(const DhcpLease& d) override { dhcp.push_back(d); }
  void on_capture_loss(const CaptureLossRecord& l) override { loss.push_back(l); }
  void on_file(const FileRecord& f) override { files.push_back(f); }
  void on_alert(const AlertRecord& a) override { alerts.push_back(a); }
  void on_proxy(const ProxyRecord& r) override { proxy.push_back(r); }
};

// A file of ../shared/datasets (tests skip with REQUIRE_FILE where it is absent).
inline std::string dataset(const std::string& rel) { return std::string(OUTFLOW_DATASETS_DIR) + "/" + rel; }
inline std::string rita(const std::string& rel) { return dataset("rita-zeek-testdata/test_data/" + rel); }
#define REQUIRE_FILE(path)                                                              \
  do {                                                                                  \
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "datasets absent: " << (path); \
  } while (0)

// One file read as the CLI reads it (format detected from content).
struct FileRun {
  CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  std::string error;
  bool ok = false;
  void read(const std::string& path) { ok = read_input_file(path, sink, diag, stats, error); }
};

inline IpAddr ip(const char* s) {
  IpAddr a;
  EXPECT_TRUE(IpAddr::parse(s, a)) << s;
  return a;
}
inline TimeNs epoch(const char* s) {  // "1517422326.539915"
  TimeNs t = kNoTime;
  EXPECT_TRUE(parse_epoch_seconds(s, t)) << s;
  return t;
}
inline TimeNs utc(const char* s) {  // "2020-09-20 16:17:01"
  TimeNs t = kNoTime;
  EXPECT_TRUE(parse_datetime(s, t)) << s;
  return t;
}

// Reads `text` as the given line format ("windows_json" etc. via the function pointer).
template <typename ReadFn>
bool read_text(ReadFn fn, const std::string& text, CollectSink& sink, Diagnostics& diag, FileStats& stats) {
  auto src = memory_byte_source(text);
  LineReader lines(*src);
  const std::string file = "test-input";
  ReadContext ctx{file, sink, diag, stats};
  return fn(lines, ctx);
}

// What reading one in-memory input produced, with counts by reason.
struct ReadResult {
  CollectSink sink;
  Diagnostics diag;
  FileStats stats;
  uint64_t bad(const std::string& reason) const {
    auto it = diag.bad_by_reason().find(reason);
    return it == diag.bad_by_reason().end() ? 0 : it->second;
  }
  uint64_t dubious(const std::string& reason) const {
    auto it = diag.dubious_by_reason().find(reason);
    return it == diag.dubious_by_reason().end() ? 0 : it->second;
  }
  uint64_t skipped(const std::string& what) const {
    auto it = diag.skipped_counts().find(what);
    return it == diag.skipped_counts().end() ? 0 : it->second;
  }
};

template <typename ReadFn>
std::unique_ptr<ReadResult> read_result(ReadFn fn, const std::string& text) {
  auto r = std::make_unique<ReadResult>();
  EXPECT_TRUE(read_text(fn, text, r->sink, r->diag, r->stats));
  return r;
}

}  // namespace outflow::testing
