// libFuzzer target: one EVTX chunk (header, string and template tables, records, binary XML)
// through ChunkParser, delivering every record with its EventData. The input is the chunk
// itself; inputs shorter than 64 KiB are truncated chunks, as at the end of a cut file.
#include <algorithm>

#include "outflow/read/evtx/evtx_file.h"
#include "outflow/testing/fuzz_support.h"

namespace {

class TouchHandler final : public outflow::evtx::RecordHandler {
 public:
  uint64_t sum = 0, records = 0;
  void on_record(const outflow::evtx::Record& r) override {
    using outflow::fuzz::touch;
    ++records;
    sum += touch(r.provider) + touch(r.channel) + touch(r.computer) + touch(r.event_id_text) +
           touch(r.time_text) + r.event_id;
    for (const auto& d : r.data()) sum += touch(d.name) + touch(d.value);
  }
  void on_bad(uint64_t, std::string_view reason) override { sum += reason.size(); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static outflow::evtx::ChunkParser parser;  // reused across inputs, as the reader reuses it
  TouchHandler h;
  const size_t n = std::min(size, outflow::evtx::kChunkSize);
  const uint64_t delivered = parser.parse(data, n, outflow::evtx::kFileHeaderSize, h);
  outflow::fuzz::check(delivered == h.records);
  return 0;
}
