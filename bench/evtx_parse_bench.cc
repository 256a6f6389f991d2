// evtx_parse_bench: the EVTX reader alone, without the join: reads files through the same
// read_input_file() as the CLI into a sink that only counts, and prints what it read with the
// wall and CPU (user + sys) seconds it took. With bench/evtx_bench.sh it separates the parse
// stage from the whole `outflow coverage` run (where the single-threaded join consumes the
// events), to see where the serial part is.
//
//   evtx_parse_bench [--threads N] FILE...
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "outflow/read/input.h"

namespace {

struct CountingSink final : outflow::RecordSink {
  uint64_t events = 0;
  void on_host_event(const outflow::HostEvent&) override { ++events; }
  void on_flow(const outflow::FlowRecord&) override {}
  void on_dns(const outflow::DnsAnswer&) override {}
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: evtx_parse_bench [--threads N] FILE...\n");
    return 2;
  }
  CountingSink sink;
  outflow::Diagnostics diag;
  uint64_t bytes = 0, records = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = cpu_seconds();
  for (const auto& f : files) {
    outflow::FileStats st;
    std::string err;
    if (!outflow::read_input_file(f, sink, diag, st, err, threads)) {
      std::fprintf(stderr, "evtx_parse_bench: %s\n", err.c_str());
      return 2;
    }
    bytes += st.bytes;
    records += st.lines;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - c0;
  std::printf("files %zu bytes %llu records %llu events %llu bad %llu wall_s %.4f cpu_s %.4f\n", files.size(),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(records),
              static_cast<unsigned long long>(sink.events), static_cast<unsigned long long>(diag.bad_records()), wall, cpu);
  return 0;
}
