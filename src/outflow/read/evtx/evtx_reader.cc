// read_evtx: EVTX records -> HostEvents, the same ones the Windows JSON reader makes from the
// same events. Chunks are parsed in parallel (a batch at a time, one ChunkParser per worker)
// into per-chunk buffers that are delivered in file order, so output does not depend on the
// thread count.
#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include "outflow/read/evtx/evtx_file.h"
#include "outflow/read/input.h"
#include "outflow/read/windows_event/raw_fields.h"

namespace outflow {

namespace {

using evtx::Record;

// The System fields and EventData of a record, as the shared Windows-event fields: the mapping
// to a HostEvent is the JSON reader's own (windows_event/to_host_event.cc).
void gather(const Record& r, winevent::RawFields& f) {
  using winevent::Field;
  f.clear();
  if (r.has_event_id) f.put(Field::event_id, r.event_id_text);
  f.put(Field::provider, r.provider);
  f.put(Field::channel, r.channel);
  f.put(Field::host_computer_name, r.computer);
  f.system_time_ns = r.time;
  for (const auto& d : r.data()) {
    Field fld;
    if (winevent::lookup_field(winevent::Scope::event_data, d.name, fld)) f.put(fld, d.value);
  }
}

// What one chunk produced, kept until it is delivered in order.
struct ChunkOut {
  std::vector<HostEvent> ev;  // reused; first n_ev live
  size_t n_ev = 0;
  std::vector<std::pair<uint64_t, const char*>> bad;
  std::vector<std::pair<uint32_t, uint64_t>> skipped;  // event id -> count
  uint64_t records = 0;

  void reset() {
    n_ev = 0;
    bad.clear();
    skipped.clear();
    records = 0;
  }
};

class MapHandler final : public evtx::RecordHandler {
 public:
  ChunkOut* out = nullptr;

  bool want_data(const Record& r) override {
    if (r.has_event_id && winevent::wanted_event(r.event_id, r.provider, r.channel)) return true;
    const uint32_t id = r.has_event_id ? r.event_id : 0xFFFFFFFFu;
    for (auto& s : out->skipped)
      if (s.first == id) {
        ++s.second;
        return false;
      }
    out->skipped.emplace_back(id, 1);
    return false;
  }
  void on_record(const Record& r) override {
    ++out->records;
    if (!r.data_read) return;
    if (out->n_ev == out->ev.size()) out->ev.emplace_back();
    HostEvent& e = out->ev[out->n_ev];
    gather(r, raw_);
    std::string_view why;
    switch (winevent::to_host_event(raw_, e, why)) {
      case winevent::Verdict::ok: ++out->n_ev; break;
      case winevent::Verdict::bad: out->bad.emplace_back(r.offset, why.data()); break;  // literals
      case winevent::Verdict::skip: break;  // want_data() already filtered these
    }
  }
  void on_bad(uint64_t offset, std::string_view reason) override {
    // Reasons are string literals from the parser.
    out->bad.emplace_back(offset, reason.data());
  }

 private:
  winevent::RawFields raw_;
};

struct Worker {
  evtx::ChunkParser parser;
  MapHandler handler;
};

}  // namespace

bool read_evtx(ByteSource& src, ReadContext& ctx) {
  // Chunks are read a batch at a time into one of two buffers: while the workers parse one
  // batch, the calling thread reads the next into the other, then joins the parsing.
  constexpr size_t kBatch = 64;  // chunks (4 MiB)
  // Not zero-filled: pages a small file never reaches are never touched.
  constexpr size_t kBufSize = kBatch * evtx::kChunkSize;
  std::unique_ptr<uint8_t[]> bufs[2] = {std::unique_ptr<uint8_t[]>(new uint8_t[kBufSize]),
                                        std::unique_ptr<uint8_t[]>(new uint8_t[kBufSize])};
  std::vector<ChunkOut> outs(kBatch);
  std::vector<std::unique_ptr<Worker>> workers;
  const unsigned hw = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  for (unsigned i = 0; i < hw; ++i) workers.push_back(std::make_unique<Worker>());

  auto bad = [&](uint64_t off, const char* why) {
    ctx.diag.bad_record(ctx.file, 0, off, why);
    ++ctx.stats.bad;
  };
  long n = evtx::read_full(src, bufs[0].get(), evtx::kFileHeaderSize);
  if (n < 0) return false;
  ctx.stats.bytes += static_cast<uint64_t>(n);
  evtx::FileHeader fh;
  if (!evtx::parse_file_header(bufs[0].get(), static_cast<size_t>(n), fh)) {
    bad(0, "evtx: no ElfFile file header");
    return true;
  }
  if (static_cast<size_t>(n) < evtx::kFileHeaderSize) bad(0, "evtx: file header truncated");
  if (!fh.crc_ok) bad(0, "evtx: file header CRC32 mismatch");
  if (fh.flags & evtx::kFileFlagDirty) bad(0, "evtx: file header dirty flag set (not closed cleanly)");

  uint64_t off = evtx::kFileHeaderSize;
  std::string skip_name;
  int cur = 0;
  long got = static_cast<size_t>(n) < evtx::kFileHeaderSize ? 0 : evtx::read_full(src, bufs[0].get(), kBufSize);
  bool io_ok = got >= 0;
  while (got > 0) {
    const size_t total = static_cast<size_t>(got);
    const uint8_t* buf = bufs[cur].get();
    const size_t nchunks = (total + evtx::kChunkSize - 1) / evtx::kChunkSize;
    std::atomic<size_t> next{0};
    auto run = [&](Worker& w) {
      for (size_t i; (i = next.fetch_add(1)) < nchunks;) {
        ChunkOut& o = outs[i];
        o.reset();
        w.handler.out = &o;
        const size_t len = std::min(evtx::kChunkSize, total - i * evtx::kChunkSize);
        w.parser.parse(buf + i * evtx::kChunkSize, len, off + i * evtx::kChunkSize, w.handler);
      }
    };
    // Threads only pay off when there are several chunks in use.
    size_t used = 0;
    for (size_t i = 0; i < nchunks; ++i)
      if (buf[i * evtx::kChunkSize] == 'E') ++used;
    const size_t nthreads = std::min<size_t>(hw, used / 4 + 1);
    std::vector<std::thread> threads;
    for (size_t t = 1; t < nthreads; ++t) threads.emplace_back(run, std::ref(*workers[t]));
    long next_got = 0;
    if (total == kBufSize) {  // more may follow
      next_got = evtx::read_full(src, bufs[1 - cur].get(), kBufSize);
      if (next_got < 0) io_ok = false;
    }
    run(*workers[0]);
    for (auto& th : threads) th.join();

    for (size_t i = 0; i < nchunks; ++i) {
      ChunkOut& o = outs[i];
      for (const auto& [boff, why] : o.bad) bad(boff, why);
      for (const auto& [id, cnt] : o.skipped) {
        skip_name = "evtx event ";
        skip_name += id == 0xFFFFFFFFu ? std::string("without EventID") : std::to_string(id);
        ctx.diag.skipped(skip_name, cnt);
      }
      for (size_t k = 0; k < o.n_ev; ++k) ctx.sink.on_host_event(o.ev[k]);
      ctx.stats.host_events += o.n_ev;
      ctx.stats.lines += o.records;
    }
    ctx.stats.bytes += total;
    off += total;
    got = next_got;
    cur = 1 - cur;
  }
  return io_ok;
}

}  // namespace outflow
