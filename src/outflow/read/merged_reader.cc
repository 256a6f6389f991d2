#include "outflow/read/merged_reader.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>

#include "outflow/core/fiber_pool.h"
#include "outflow/model/host_event_codec.h"

namespace outflow {

namespace {

// A batch of records in arrival order. Endpoint events, the records of the many host files of an
// incident collection, are packed (model/host_event_codec.h); the others are assigned over, not
// rebuilt, so the strings of a reused batch keep their capacity (no allocation per record once
// warm).
struct Batch {
  enum Kind : uint8_t { kHost, kFlow, kDns, kApp, kDhcp, kLoss, kFile, kProxy, kAlert };
  std::string host;  // packed events; the order's index is an event's offset
  // A batch is handed over at this many packed bytes whatever its record count (lines of
  // megabytes); an offset then always fits the order's 32 bits.
  static constexpr size_t kMaxHostBytes = 16u << 20;
  std::vector<FlowRecord> flow;
  std::vector<DnsAnswer> dns;
  std::vector<AppRecord> app;
  std::vector<DhcpLease> dhcp;
  std::vector<CaptureLossRecord> loss;
  std::vector<FileRecord> file;
  std::vector<ProxyRecord> proxy;
  std::vector<AlertRecord> alert;
  size_t nf = 0, nd = 0, na = 0, ndh = 0, nl = 0, nfi = 0, np = 0, nal = 0;
  std::vector<std::pair<Kind, uint32_t>> order;

  void reset() {
    nf = nd = na = ndh = nl = nfi = np = nal = 0;
    order.clear();
    // The packed bytes keep their capacity, unless a batch of long lines made it far larger than
    // this one needed.
    const size_t used = host.size();
    host.clear();
    if (host.capacity() > 4 * used + (64u << 10)) host.shrink_to_fit();
  }
  // A string assigned over keeps its capacity (and libstdc++ grows it geometrically), so over a
  // long run every slot would drift up to the longest values of the input: a string holding
  // more than twice what it needs (and 64 bytes) is shrunk. Measured: without this the batches
  // grew from 11 to 14 MB between 1 and 8 GB of input, with a rebuild of whole slots as well.
  static void fit(std::string& s) {
    if (s.capacity() > 2 * s.size() + 64) s.shrink_to_fit();
  }
  static void fit(HostEvent& e) {
    for (std::string* s : {&e.host, &e.process_guid, &e.parent_guid, &e.image, &e.parent_image, &e.command_line,
                           &e.parent_command_line, &e.user, &e.integrity_level, &e.original_file_name, &e.company,
                           &e.hashes, &e.current_directory, &e.query_name, &e.query_results})
      fit(*s);
  }
  static void fit(FlowRecord&) {}  // its strings are short and capped at 1 KiB
  static void fit(DnsAnswer& d) {
    fit(d.query);
    fit(d.ptr_name);
    if (d.answers.capacity() > 2 * d.answers.size() + 8) d.answers.shrink_to_fit();
  }
  static void fit(AppRecord& a) {
    for (std::string* s : {&a.uid, &a.name, &a.method, &a.uri, &a.user_agent, &a.ja3, &a.ja3s}) fit(*s);
  }
  static void fit(DhcpLease&) {}         // short strings, capped at 1 KiB
  static void fit(CaptureLossRecord&) {}  // the same
  static void fit(FileRecord& f) {
    for (std::string* s : {&f.uid, &f.mime_type, &f.filename}) fit(*s);
  }
  static void fit(ProxyRecord& p) {
    for (std::string* s : {&p.proxy, &p.method, &p.url, &p.host, &p.result, &p.user, &p.hierarchy, &p.peer, &p.content_type}) fit(*s);
  }
  static void fit(AlertRecord& a) {
    for (std::string* s : {&a.uid, &a.signature, &a.category, &a.action}) fit(*s);
  }
  template <class T>
  static void put(std::vector<T>& v, size_t& n, const T& x) {
    if (n < v.size()) {
      v[n] = x;
      fit(v[n]);
    } else {
      v.push_back(x);
    }
    ++n;
  }
  void add(const HostEvent& e) {
    order.emplace_back(kHost, static_cast<uint32_t>(host.size()));
    pack_host_event(e, host);
  }
  void add(const FlowRecord& f) { order.emplace_back(kFlow, static_cast<uint32_t>(nf)), put(flow, nf, f); }
  // The next flow slot, filled in place by the reader (RecordSink::flow_slot), then committed.
  FlowRecord& flow_slot() {
    if (nf == flow.size()) flow.emplace_back();
    return flow[nf];
  }
  void commit_flow() { order.emplace_back(kFlow, static_cast<uint32_t>(nf++)); }
  void add(const DnsAnswer& d) { order.emplace_back(kDns, static_cast<uint32_t>(nd)), put(dns, nd, d); }
  void add(const AppRecord& a) { order.emplace_back(kApp, static_cast<uint32_t>(na)), put(app, na, a); }
  void add(const DhcpLease& d) { order.emplace_back(kDhcp, static_cast<uint32_t>(ndh)), put(dhcp, ndh, d); }
  void add(const CaptureLossRecord& l) { order.emplace_back(kLoss, static_cast<uint32_t>(nl)), put(loss, nl, l); }
  void add(const FileRecord& f) { order.emplace_back(kFile, static_cast<uint32_t>(nfi)), put(file, nfi, f); }
  void add(const ProxyRecord& p) { order.emplace_back(kProxy, static_cast<uint32_t>(np)), put(proxy, np, p); }
  void add(const AlertRecord& a) { order.emplace_back(kAlert, static_cast<uint32_t>(nal)), put(alert, nal, a); }
};

// One input: its reader, on a fiber of the pool, fills batches; the merging thread takes them.
// Two batches: one being filled while the other is merged.
struct Stream {
  MergeInput in;
  size_t index = 0;
  FiberPool* pool = nullptr;
  FiberPool::Fiber* fiber = nullptr;  // set and read by the merging thread

  std::mutex m;
  std::condition_variable cv;
  Batch bufs[2];
  std::deque<Batch*> full;
  std::vector<Batch*> free{&bufs[0], &bufs[1]};
  bool done = false, ok = true, stop = false;
  bool waiting = false;  // its fiber is parked (or about to park) for a free batch
  bool opened = false;   // merging side only
  std::string error;
  Diagnostics diag;
  FileStats stats;

  // Merging side.
  Batch* cur = nullptr;
  size_t pos = 0;
  TimeNs clock = kNoTime;
  HostEvent head;  // the head record unpacked, when it is an endpoint event
};

class QueueSink final : public ForwardingSink {
 public:
  // `batch`: records per batch, changed by the merging thread as inputs open and end.
  QueueSink(Stream& s, const std::atomic<size_t>& batch) : s_(s), batch_(batch) {}
  void on_host_event(const HostEvent& e) override { add(e); }
  void on_flow(const FlowRecord& f) override { add(f); }
  FlowRecord& flow_slot(FlowRecord&) override {
    if (!filling_) acquire();
    slot_out_ = true;  // no flush until it is committed: the slot is in this batch
    return filling_->flow_slot();
  }
  void commit_flow(FlowRecord&) override {
    slot_out_ = false;
    filling_->commit_flow();
    added();
  }
  void on_dns(const DnsAnswer& d) override { add(d); }
  void on_app(const AppRecord& a) override { add(a); }
  void on_dhcp(const DhcpLease& d) override { add(d); }
  void on_capture_loss(const CaptureLossRecord& l) override { add(l); }
  void on_file(const FileRecord& f) override { add(f); }
  void on_proxy(const ProxyRecord& p) override { add(p); }
  void on_alert(const AlertRecord& a) override { add(a); }

  void flush() {
    if (!filling_ || filling_ == &discard_) return;
    if (filling_->order.empty()) {
      std::lock_guard<std::mutex> lock(s_.m);
      s_.free.push_back(filling_);
    } else {
      std::lock_guard<std::mutex> lock(s_.m);
      s_.full.push_back(filling_);
      s_.cv.notify_all();
    }
    filling_ = nullptr;
  }

 private:
  template <class T>
  void add(const T& x) {
    if (!filling_) acquire();
    filling_->add(x);
    added();
  }
  void added() {
    if (slot_out_) return;
    if (filling_ == &discard_) {
      discard_.reset();  // the run was abandoned: read on to the end, keep nothing
    } else if (filling_->order.size() >= batch_.load(std::memory_order_relaxed) ||
               filling_->host.size() >= Batch::kMaxHostBytes) {
      flush();
    }
  }
  void acquire() {
    std::unique_lock<std::mutex> lock(s_.m);
    while (s_.free.empty() && !s_.stop) {
      // Both batches are with the merge: park this fiber, its thread reads other inputs.
      s_.waiting = true;
      lock.unlock();
      if (!FiberPool::park()) {  // not on a fiber (cannot happen in read_merged): wait as a thread
        lock.lock();
        s_.cv.wait(lock, [&] { return !s_.free.empty() || s_.stop; });
        break;
      }
      lock.lock();
    }
    if (s_.stop) {
      filling_ = &discard_;
      return;
    }
    filling_ = s_.free.back();
    s_.free.pop_back();
  }

  Stream& s_;
  const std::atomic<size_t>& batch_;
  Batch* filling_ = nullptr;
  Batch discard_;
  bool slot_out_ = false;
};

// Wakes the stream's fiber if it waits for a free batch (or to see `stop`). Under s.m.
void wake(Stream& s) {
  if (s.waiting) {
    s.waiting = false;
    s.pool->unpark(s.fiber);
  }
  s.cv.notify_all();
}

// On a fiber: nothing may leave it as an exception.
void produce(Stream& s, const MergeOptions& o, const std::atomic<size_t>& batch) {
  QueueSink sink(s, batch);
  bool ok = false;
  std::string err;
  try {
    ok = read_input_file(s.in.path, s.in.once.get(), sink, s.diag, s.stats, err, o.threads, o.line_buffer);
    sink.flush();
  } catch (const std::exception& e) {
    err = s.in.path + ": " + e.what();
    ok = false;
  } catch (...) {
    err = s.in.path + ": unknown error";
    ok = false;
  }
  std::lock_guard<std::mutex> lock(s.m);
  s.done = true;
  s.ok = ok;
  s.error = err;
  s.cv.notify_all();
}

// The next batch of `s` (blocking), or false when the input is read to its end.
bool next_batch(Stream& s) {
  std::unique_lock<std::mutex> lock(s.m);
  if (s.cur) {
    s.cur->reset();
    s.free.push_back(s.cur);
    s.cur = nullptr;
    wake(s);
  }
  // Its fiber may be ready on a thread that sleeps until more are (FiberPool::unpark).
  if (s.full.empty() && !s.done && s.fiber) s.pool->kick(s.fiber);
  s.cv.wait(lock, [&] { return !s.full.empty() || s.done; });
  if (s.full.empty()) return false;
  s.cur = s.full.front();
  s.full.pop_front();
  s.pos = 0;
  return true;
}

// The time of the stream's head record; an endpoint event is unpacked into s.head on the way.
TimeNs record_time(Stream& s, const MergeOptions& o) {
  const Batch& b = *s.cur;
  const auto [kind, i] = b.order[s.pos];
  switch (kind) {
    case Batch::kHost: {
      unpack_host_event(b.host.data() + i, s.head);
      Batch::fit(s.head);
      const TimeNs t = s.head.time;
      if (t == kNoTime) return kNoTime;
      return t - o.lead + (o.endpoint_shift ? o.endpoint_shift(s.head) : 0);
    }
    case Batch::kFlow: return b.flow[i].end != kNoTime ? b.flow[i].end : b.flow[i].start;
    case Batch::kDns: return b.dns[i].time;
    case Batch::kApp: return b.app[i].ts;  // before the connection's record, keyed by its end
    case Batch::kDhcp: return b.dhcp[i].ts;
    case Batch::kLoss: return b.loss[i].ts;
    case Batch::kFile: return b.file[i].ts;  // before the connection's record, as kApp
    case Batch::kProxy: return b.proxy[i].end != kNoTime ? b.proxy[i].end : b.proxy[i].start;  // logged at its end
    case Batch::kAlert: return b.alert[i].ts;
  }
  return kNoTime;
}

// The head record's key: its time, but never more than kMaxStep past its input's clock.
TimeNs head_key(Stream& s, const MergeOptions& o, TimeNs merge_clock) {
  TimeNs t = record_time(s, o);
  const TimeNs base = s.clock != kNoTime ? s.clock : merge_clock;
  if (t == kNoTime) return base;
  if (base != kNoTime && t > base + MergeOptions::kMaxStep) t = base + MergeOptions::kMaxStep;
  return t;
}

struct HeapItem {
  TimeNs key;
  size_t stream;
  bool operator>(const HeapItem& o) const { return key != o.key ? key > o.key : stream > o.stream; }
};

}  // namespace

MergeOptions MergeOptions::for_inputs(size_t inputs) const {
  MergeOptions e = *this;
  const size_t n = std::max<size_t>(inputs, 1);
  e.batch = std::clamp(batch_total / n, std::min(kMinBatch, batch), batch);
  e.line_buffer = std::clamp(line_buffer_total / n, std::min(kMinLineBuffer, line_buffer), line_buffer);
  return e;
}

bool read_merged(const std::vector<MergeInput>& inputs, RecordSink& sink, const MergeOptions& o,
                 Diagnostics& diag, std::vector<FileStats>& stats, std::string& error) {
  const MergeOptions eff = o.for_inputs(inputs.size());
  std::vector<std::unique_ptr<Stream>> streams;
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto s = std::make_unique<Stream>();
    s->in = inputs[i];
    s->index = i;
    streams.push_back(std::move(s));
  }
  // Opening order: by the key of the first record; unknown first: at once.
  auto first_key = [&](const Stream& s) {
    if (s.in.first == kNoTime) return std::numeric_limits<TimeNs>::min();
    return s.in.endpoint ? s.in.first - o.lead : s.in.first;
  };
  std::vector<Stream*> pending;
  for (auto& s : streams) pending.push_back(s.get());
  std::stable_sort(pending.begin(), pending.end(),
                   [&](const Stream* a, const Stream* b) { return first_key(*a) < first_key(*b); });
  size_t next_pending = 0, opened = 0;

  std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<HeapItem>> heap;
  TimeNs clock = kNoTime;
  Stream* failed = nullptr;
  // Records per batch for the inputs open now: small while hundreds are open, back to full size
  // as they end (600 host files end hours of record time before their conn.log, which then ran on
  // with batches of 16 and a thread wake-up each: 13% of this thread).
  size_t live = 0;
  std::atomic<size_t> batch_now{eff.batch};
  const auto resize = [&] { batch_now.store(o.for_inputs(live).batch, std::memory_order_relaxed); };
  // The readers' threads: one per core at most, each running the fibers of many inputs. After
  // what the fibers use (`streams`, `batch_now`) so that it ends, every fiber with it, first.
  FiberPool pool(FiberPool::threads_for(inputs.size()));

  auto open = [&](Stream& s) {
    ++opened;
    ++live;
    resize();
    s.opened = true;
    if (o.on_open) o.on_open(opened, streams.size(), s.in.path);
    s.pool = &pool;
    // An input that may block its reader for as long as its writer likes (stdin, a pipe, a
    // FIFO) gets a thread of its own: the other inputs' readers go on meanwhile.
    const bool stream = s.in.once || !reopenable(s.in.path);
    const auto run = [&s, &eff, &batch_now] { produce(s, eff, batch_now); };
    s.fiber = stream ? pool.spawn_alone(run) : pool.spawn(run, opened);
    if (!s.fiber) {  // no memory for its stack: as an input that cannot be read
      std::lock_guard<std::mutex> lock(s.m);
      s.done = true;
      s.ok = false;
      s.error = s.in.path + ": cannot start its reader (out of memory for its stack)";
    }
  };
  // Takes the stream's next batch and queues its head; at its end, notes a failure.
  auto refill = [&](Stream& s) {
    if (next_batch(s)) {
      heap.push({head_key(s, o, clock), s.index});
      return;
    }
    --live;
    resize();
    if (!s.ok && !failed) failed = &s;
  };

  while (!failed) {
    // Open every input whose first record is due before the next record of those open.
    while (next_pending < pending.size() &&
           (heap.empty() || first_key(*pending[next_pending]) <= heap.top().key)) {
      Stream& s = *pending[next_pending++];
      open(s);
      refill(s);
      if (failed) break;
    }
    if (failed || heap.empty()) break;
    const HeapItem top = heap.top();
    heap.pop();
    Stream& s = *streams[top.stream];
    if (clock == kNoTime || top.key > clock) clock = top.key;
    if (s.clock == kNoTime || top.key > s.clock) s.clock = top.key;
    if (o.on_clock) o.on_clock(clock);
    const auto [kind, i] = s.cur->order[s.pos];
    switch (kind) {
      case Batch::kHost: sink.on_host_event(s.head); break;  // unpacked by head_key
      case Batch::kFlow: sink.on_flow(s.cur->flow[i]); break;
      case Batch::kDns: sink.on_dns(s.cur->dns[i]); break;
      case Batch::kApp: sink.on_app(s.cur->app[i]); break;
      case Batch::kDhcp: sink.on_dhcp(s.cur->dhcp[i]); break;
      case Batch::kLoss: sink.on_capture_loss(s.cur->loss[i]); break;
      case Batch::kFile: sink.on_file(s.cur->file[i]); break;
      case Batch::kProxy: sink.on_proxy(s.cur->proxy[i]); break;
      case Batch::kAlert: sink.on_alert(s.cur->alert[i]); break;
    }
    if (++s.pos < s.cur->order.size()) {
      heap.push({head_key(s, o, clock), s.index});
    } else {
      refill(s);
    }
  }

  // Stop whatever still runs (only after a failure: its reader reads on to the end of its input
  // and keeps nothing), then collect in input order.
  for (auto& s : streams) {
    std::lock_guard<std::mutex> lock(s->m);
    s->stop = true;
    if (s->fiber) wake(*s);
  }
  pool.join();
  for (auto& s : streams) {
    if (!s->opened) continue;
    diag.merge(s->diag);
    stats.push_back(s->stats);
  }
  if (failed) {
    error = failed->error.empty() ? failed->in.path + ": read error" : failed->error;
    return false;
  }
  return true;
}

TimeNs probe_first_time(const std::string& path, const std::function<TimeNs(const HostEvent&)>& shift) {
  if (!reopenable(path)) return kNoTime;  // opening a pipe would take its bytes from the reader
  std::string err;
  auto src = open_byte_source(path, err);
  if (!src) return kNoTime;
  // An EVTX file's first chunk starts at 4 KiB and is 64 KiB long.
  std::string head;
  read_up_to(*src, 128u << 10, head);
  struct FirstTime final : ForwardingSink {
    explicit FirstTime(const std::function<TimeNs(const HostEvent&)>& f) : shift(f) {}
    const std::function<TimeNs(const HostEvent&)>& shift;
    TimeNs t = kNoTime;
    void see(TimeNs x) {
      if (x != kNoTime && (t == kNoTime || x < t)) t = x;
    }
    void on_host_event(const HostEvent& e) override {
      if (e.time != kNoTime) see(e.time + (shift ? shift(e) : 0));
    }
    void on_flow(const FlowRecord& f) override { see(f.end != kNoTime ? f.end : f.start); }
    void on_dns(const DnsAnswer& d) override { see(d.time); }
    void on_app(const AppRecord& a) override { see(a.ts); }
    void on_dhcp(const DhcpLease& d) override { see(d.ts); }
    void on_capture_loss(const CaptureLossRecord& l) override { see(l.ts); }
    void on_file(const FileRecord& f) override { see(f.ts); }
    void on_proxy(const ProxyRecord& p) override { see(p.end != kNoTime ? p.end : p.start); }
    void on_alert(const AlertRecord& a) override { see(a.ts); }
  } first(shift);
  auto mem = memory_byte_source(std::move(head));
  Diagnostics scratch;  // the head ends mid-record: what it says about that is not news
  FileStats fs;
  std::string e2;
  read_input(*mem, path, first, scratch, fs, e2, LineReader::kDefaultMaxLine, 1, 64u << 10);
  return first.t;
}

}  // namespace outflow
