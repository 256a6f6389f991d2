// libFuzzer target: a whole EVTX stream through read_evtx() (file header, chunk batches,
// records, the mapping to HostEvents). See evtx_chunk_fuzz.cc for one chunk at a time.
#include "outflow/testing/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace outflow;
  auto src = memory_byte_source(std::string(reinterpret_cast<const char*>(data), size));
  fuzz::CheckingSink sink;
  Diagnostics diag;
  FileStats stats;
  const std::string file = "fuzz.evtx";
  ReadContext ctx{file, sink, diag, stats};
  read_evtx(*src, ctx);
  fuzz::check(stats.host_events == sink.host_events);
  return 0;
}
