// read_evtx: EVTX records -> HostEvents (the ones the Windows JSON reader makes from the same
// events), chunks parsed in parallel and delivered in file order, so output does not depend on
// the thread count.
//
// How the work is split. Chunks are numbered in file order; chunk i is parsed into slot
// i % slots by whichever thread claims it (a worker or the calling thread), and the calling
// thread alone delivers slots to the sink, in order. The sink (process table, connection index)
// is single-threaded: delivery is the serial part. It runs while later chunks are being parsed
// (not after a whole batch, as before), and the calling thread parses whenever the next chunk to
// deliver is not ready yet, so on 2 cores both stay busy as long as delivery is under half the
// work. Each thread has its own parser, field buffers and 64 KiB chunk buffer; the slots' event
// vectors are reused. Threads meet once per chunk (a mutex held for a few instructions), never
// per record.
//
// Bytes: an uncompressed file is read by positional reads, by the thread that parses the chunk
// (the copies run in parallel and the chunk is in that core's cache when parsed); a compressed
// stream is read in order by the calling thread into the slots, ahead of the parsers.
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "outflow/read/evtx/chunk_events.h"
#include "outflow/read/evtx/evtx_file.h"
#include "outflow/read/input.h"

namespace outflow {

namespace {

using evtx::kChunkSize;
using evtx::kFileHeaderSize;

constexpr unsigned kMaxThreads = 8;
// Chunks in flight per thread. With 4, the window was often full and the two threads woke each
// other once per chunk (27k context switches for 16k chunks); with 16, about 200.
constexpr size_t kSlotsPerThread = 16;
// Unclaimed chunks that make one more thread worth starting (a thread costs about as much as
// parsing one chunk; most files of a folder pulled from hosts have one to three chunks).
constexpr uint64_t kSpawnBacklog = 4;

unsigned usable_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return static_cast<unsigned>(std::max(1, CPU_COUNT(&set)));
  return std::max(1u, std::thread::hardware_concurrency());
}

// Reads exactly n bytes at `offset` unless the file ends; the count, or -1 (errno set).
long read_full_at(const ByteSource& src, uint64_t offset, uint8_t* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    const long r = src.read_at(offset + got, reinterpret_cast<char*>(buf) + got, n - got);
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<long>(got);
}

// Header facts, reported straight to the context (the calling thread).
class HeaderHandler final : public evtx::RecordHandler {
 public:
  explicit HeaderHandler(ReadContext& ctx) : ctx_(ctx) {}
  void on_record(const evtx::Record&) override {}
  void on_bad(uint64_t offset, std::string_view reason) override {
    ctx_.diag.bad_record(ctx_.file, 0, offset, std::string(reason));
    ++ctx_.stats.bad;
  }
  void on_note(uint64_t offset, std::string_view reason) override {
    ctx_.diag.note(ctx_.file, offset, std::string(reason));
  }

 private:
  ReadContext& ctx_;
};

class OrderedChunkReader {
 public:
  OrderedChunkReader(ByteSource& src, ReadContext& ctx, unsigned threads)
      : src_(src), ctx_(ctx), want_threads_(threads), slots_(kSlotsPerThread * threads + 2) {
    const int64_t size = src.random_access_size();
    random_ = size >= 0;
    if (random_) {
      size_ = static_cast<uint64_t>(size);
      total_ = size_ > kFileHeaderSize ? (size_ - kFileHeaderSize + kChunkSize - 1) / kChunkSize : 0;
      eof_ = true;
    } else {
      for (auto& s : slots_) s.bytes.reset(new uint8_t[kChunkSize]);  // not zero-filled
    }
  }

  // Returns false on an I/O error, having delivered every chunk it could read.
  bool run() {
    std::unique_lock lk(mu_);
    try {
      loop(lk);
    } catch (...) {  // the sink threw (out of memory): stop the workers before unwinding
      if (!lk.owns_lock()) lk.lock();
      stop_workers(lk);
      throw;
    }
    stop_workers(lk);
    return io_ok_;
  }

 private:
  struct Slot {
    evtx::ChunkEvents out;
    std::unique_ptr<uint8_t[]> bytes;  // a stream's chunk, read by the calling thread
    size_t len = 0;                    // bytes of the chunk (fewer for a truncated last one)
    int read_errno = 0;                // a positional read failed
    bool ready = false;                // parsed, waiting for delivery
  };
  struct ThreadState {
    evtx::ChunkWorker worker;
    std::unique_ptr<uint8_t[]> buf;  // positional reads land here
  };

  // The calling thread: delivers in order, reads a stream ahead, starts workers, parses.
  void loop(std::unique_lock<std::mutex>& lk) {
    ThreadState mine;
    for (;;) {
      while (delivered_ < total_ && slots_[delivered_ % slots_.size()].ready) {
        Slot& s = slots_[delivered_ % slots_.size()];
        lk.unlock();
        deliver(s);
        lk.lock();
        s.ready = false;
        ++delivered_;
        cv_work_.notify_one();  // a slot is free: one more chunk may be claimed
      }
      if (eof_ && delivered_ == total_) break;
      if (!eof_ && total_ < delivered_ + slots_.size()) {  // a stream: read ahead into a free slot
        Slot& s = slots_[total_ % slots_.size()];
        lk.unlock();
        const long n = evtx::read_full(src_, s.bytes.get(), kChunkSize);
        lk.lock();
        if (n < 0) io_ok_ = false;
        if (n > 0) {
          s.len = static_cast<size_t>(n);
          ++total_;
          cv_work_.notify_one();
        }
        if (n < static_cast<long>(kChunkSize)) eof_ = true;
        continue;
      }
      if (threads_.size() + 1 < want_threads_ && total_ - claimed_ >= kSpawnBacklog) {
        try {
          threads_.emplace_back([this] { work(); });
        } catch (const std::system_error&) {
          want_threads_ = static_cast<unsigned>(threads_.size() + 1);  // no more threads: go on with these
        }
        continue;
      }
      if (claimable()) {
        const uint64_t i = claimed_++;
        lk.unlock();
        parse(i, mine);
        lk.lock();
        slots_[i % slots_.size()].ready = true;
        continue;
      }
      // The next chunk to deliver is being parsed by a worker.
      cv_main_.wait(lk, [&] { return slots_[delivered_ % slots_.size()].ready; });
    }
  }

  // Called with the lock held; returns without it, every worker joined.
  void stop_workers(std::unique_lock<std::mutex>& lk) {
    stop_ = true;
    cv_work_.notify_all();
    lk.unlock();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  bool claimable() const { return claimed_ < total_ && claimed_ < delivered_ + slots_.size(); }

  void work() {
    ThreadState mine;
    std::unique_lock lk(mu_);
    for (;;) {
      cv_work_.wait(lk, [&] { return stop_ || claimable(); });
      if (stop_) return;
      const uint64_t i = claimed_++;
      lk.unlock();
      parse(i, mine);
      lk.lock();
      slots_[i % slots_.size()].ready = true;
      if (i == delivered_) cv_main_.notify_one();
    }
  }

  // Any thread, without the lock: slot i % slots is this thread's until it is marked ready.
  void parse(uint64_t i, ThreadState& t) {
    Slot& s = slots_[i % slots_.size()];
    const uint64_t off = kFileHeaderSize + i * kChunkSize;
    if (!random_) {
      t.worker.parse(s.bytes.get(), s.len, off, s.out);
      return;
    }
    if (!t.buf) t.buf.reset(new uint8_t[kChunkSize]);
    s.len = static_cast<size_t>(std::min<uint64_t>(kChunkSize, size_ - off));
    const long n = read_full_at(src_, off, t.buf.get(), s.len);
    s.read_errno = n < 0 ? errno : 0;
    if (n < 0) {
      s.out.reset();
      return;
    }
    s.len = static_cast<size_t>(n);  // the file may have shrunk since it was measured
    t.worker.parse(t.buf.get(), s.len, off, s.out);
  }

  // The calling thread only.
  void deliver(Slot& s) {
    const evtx::ChunkEvents& o = s.out;
    if (s.read_errno) {  // the chunk could not be read: the file's reading fails, after the rest
      io_ok_ = false;
      ctx_.diag.bad_record(ctx_.file, 0, kFileHeaderSize + delivered_ * kChunkSize,
                           std::string("evtx: read error: ") + std::strerror(s.read_errno));
      ++ctx_.stats.bad;
    }
    for (const auto& [off, why] : o.bad) {
      ctx_.diag.bad_record(ctx_.file, 0, off, why);
      ++ctx_.stats.bad;
    }
    for (const auto& [off, why] : o.recovered) ctx_.diag.recovered(ctx_.file, off, why);
    ctx_.stats.recovered += o.recovered.size();
    for (const auto& [id, n] : o.skipped) {
      skip_name_ = "evtx event ";
      skip_name_ += id == evtx::ChunkEvents::kNoEventId ? std::string("without EventID") : std::to_string(id);
      ctx_.diag.skipped(skip_name_, n);
    }
    for (size_t k = 0; k < o.n_ev; ++k) ctx_.sink.on_host_event(o.ev[k]);
    ctx_.stats.host_events += o.n_ev;
    ctx_.stats.lines += o.records;
    ctx_.stats.bytes += s.len;
  }

  ByteSource& src_;
  ReadContext& ctx_;
  unsigned want_threads_;
  bool random_ = false;
  uint64_t size_ = 0;  // random access: the file's size
  std::vector<Slot> slots_;
  std::vector<std::thread> threads_;
  std::string skip_name_;

  std::mutex mu_;  // guards what follows
  std::condition_variable cv_work_, cv_main_;
  uint64_t total_ = 0;      // chunks that may be claimed (stream: read so far)
  uint64_t claimed_ = 0;    // next chunk to parse
  uint64_t delivered_ = 0;  // next chunk to deliver
  bool eof_ = false;        // total_ is final
  bool stop_ = false;
  bool io_ok_ = true;
};

}  // namespace

bool read_evtx(ByteSource& src, ReadContext& ctx) {
  uint8_t header[kFileHeaderSize];
  const long n = evtx::read_full(src, header, kFileHeaderSize);
  if (n < 0) return false;
  ctx.stats.bytes += static_cast<uint64_t>(n);
  HeaderHandler hh(ctx);
  if (!evtx::check_file_header(header, static_cast<size_t>(n), hh) || static_cast<size_t>(n) < kFileHeaderSize)
    return true;
  const unsigned threads = std::min(kMaxThreads, ctx.threads ? ctx.threads : usable_cpus());
  OrderedChunkReader reader(src, ctx, threads);
  return reader.run();
}

}  // namespace outflow
