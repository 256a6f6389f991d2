// One EVTX chunk turned into what the rest of Outflow wants: normalized HostEvents plus the
// chunk's bookkeeping (damage, recovered records, skipped event ids), held until the
// reader delivers it in file order. Used by one thread at a time; each worker has its own
// ChunkWorker, each chunk in flight its own ChunkEvents (both reused, keeping their capacity).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "outflow/model/events.h"
#include "outflow/read/evtx/evtx_file.h"
#include "outflow/read/windows_event/raw_fields.h"

namespace outflow::evtx {

struct ChunkEvents {
  std::vector<HostEvent> ev;  // reused; the first n_ev are live
  size_t n_ev = 0;
  // (file offset, reason literal)
  std::vector<std::pair<uint64_t, const char*>> bad, recovered;
  std::vector<std::pair<uint32_t, uint64_t>> skipped;  // event id (kNoEventId: none) -> count
  uint64_t records = 0;  // records read, wanted or not

  static constexpr uint32_t kNoEventId = 0xFFFFFFFFu;
  void reset();
};

// Parses chunks into ChunkEvents: binary XML -> Record -> the Windows-event fields -> the same
// HostEvent the JSON readers make (windows_event/to_host_event.cc).
class ChunkWorker final : RecordHandler {
 public:
  // `chunk` holds `size` bytes found at `file_offset`; `out` is reset first.
  void parse(const uint8_t* chunk, size_t size, uint64_t file_offset, ChunkEvents& out);

 private:
  bool want_data(const Record& r) override;
  void on_record(const Record& r) override;
  void on_bad(uint64_t offset, std::string_view reason) override;

  ChunkParser parser_;
  winevent::RawFields raw_;
  ChunkEvents* out_ = nullptr;
};

}  // namespace outflow::evtx
