#include "outflow/core/fiber_pool.h"

#include <sched.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

// AddressSanitizer must be told when a thread changes stacks, or it takes the fiber's frames for
// overflows of the thread's stack (and its fake stacks go wrong).
#if defined(__SANITIZE_ADDRESS__)
#define OUTFLOW_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OUTFLOW_FIBER_ASAN 1
#endif
#endif
#ifdef OUTFLOW_FIBER_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace outflow {

struct FiberPool::Fiber {
  std::function<void()> fn;
  Worker* worker = nullptr;
  ucontext_t ctx{};
  void* map = nullptr;  // the guard page, then the stack
  size_t map_size = 0;
  char* stack = nullptr;
  size_t stack_size = 0;
  bool parked = false, permit = false;  // under worker->m
  bool done = false;                    // its own thread only
  void* fake_stack = nullptr;           // ASan's, while switched out
};

struct FiberPool::Worker {
  std::mutex m;
  std::condition_variable cv;
  std::deque<Fiber*> ready;  // under m
  bool stop = false;         // under m
  bool idle = false;         // under m: waiting for a ready fiber
  size_t fibers = 0;         // under m: fibers pinned to it and not ended
  ucontext_t ctx{};
  Fiber* current = nullptr;  // its own thread only
  const void* stack_bottom = nullptr;  // ASan: the thread's own stack, learnt on the first switch
  size_t stack_size = 0;
  std::thread thread;
};

namespace {

thread_local FiberPool::Worker* tl_worker = nullptr;

// ASan's side of a switch: `save` null when the stack being left is never resumed.
inline void start_switch([[maybe_unused]] void** save, [[maybe_unused]] const void* bottom,
                         [[maybe_unused]] size_t size) {
#ifdef OUTFLOW_FIBER_ASAN
  __sanitizer_start_switch_fiber(save, bottom, size);
#endif
}
inline void finish_switch([[maybe_unused]] void* saved, [[maybe_unused]] const void** from_bottom,
                          [[maybe_unused]] size_t* from_size) {
#ifdef OUTFLOW_FIBER_ASAN
  __sanitizer_finish_switch_fiber(saved, from_bottom, from_size);
#endif
}

// From a fiber back to its thread's loop; `last` when it has ended.
void to_worker(FiberPool::Fiber& f, FiberPool::Worker& w, bool last) {
  start_switch(last ? nullptr : &f.fake_stack, w.stack_bottom, w.stack_size);
  swapcontext(&f.ctx, &w.ctx);
  finish_switch(f.fake_stack, &w.stack_bottom, &w.stack_size);
}

// makecontext passes int arguments: the fiber's address in two halves.
void trampoline(unsigned lo, unsigned hi) {
  auto* f = reinterpret_cast<FiberPool::Fiber*>((static_cast<uintptr_t>(hi) << 32) | lo);
  FiberPool::Worker& w = *f->worker;
  finish_switch(nullptr, &w.stack_bottom, &w.stack_size);
  f->fn();       // an exception here cannot unwind past the fiber's first frame: terminate
  f->fn = nullptr;  // what it captured goes now, on its own thread
  f->done = true;
  to_worker(*f, w, true);  // never resumed
}

}  // namespace

FiberPool::FiberPool(unsigned threads) {
  const unsigned n = threads ? threads : 1;
  for (unsigned i = 0; i < n; ++i) workers_.push_back(std::make_unique<Worker>());
  for (auto& w : workers_) w->thread = std::thread([this, p = w.get()] { run(*p); });
}

FiberPool::~FiberPool() {
  join();
  for (auto* list : {&workers_, &alone_}) {
    for (auto& w : *list) {
      {
        std::lock_guard<std::mutex> lock(w->m);
        w->stop = true;
      }
      w->cv.notify_all();
    }
    for (auto& w : *list) w->thread.join();
  }
}

unsigned FiberPool::threads_for(size_t inputs) {
  unsigned cpus = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<unsigned>(CPU_COUNT(&set));
  if (!cpus) cpus = std::thread::hardware_concurrency();
  if (!cpus) cpus = 1;
  return static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(inputs, cpus)));
}

FiberPool::Fiber* FiberPool::spawn(std::function<void()> fn, size_t slot) {
  return spawn_on(*workers_[slot % workers_.size()], std::move(fn));
}

FiberPool::Fiber* FiberPool::spawn_alone(std::function<void()> fn) {
  auto w = std::make_unique<Worker>();
  Worker& ref = *w;
  Fiber* f = spawn_on(ref, std::move(fn));
  if (!f) return nullptr;
  ref.thread = std::thread([this, &ref] { run(ref); });
  alone_.push_back(std::move(w));
  return f;
}

FiberPool::Fiber* FiberPool::spawn_on(Worker& w, std::function<void()> fn) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  auto f = std::make_unique<Fiber>();
  f->map_size = kStackSize + page;
  // Reserved, not committed: a fiber costs the pages its deepest call touched.
  f->map = mmap(nullptr, f->map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                -1, 0);
  if (f->map == MAP_FAILED) return nullptr;
  if (mprotect(f->map, page, PROT_NONE) != 0) {  // an overflow faults instead of writing over the heap
    munmap(f->map, f->map_size);
    return nullptr;
  }
  f->stack = static_cast<char*>(f->map) + page;
  f->stack_size = kStackSize;
  f->fn = std::move(fn);
  f->worker = &w;
  getcontext(&f->ctx);
  f->ctx.uc_stack.ss_sp = f->stack;
  f->ctx.uc_stack.ss_size = f->stack_size;
  f->ctx.uc_link = nullptr;
  const auto addr = reinterpret_cast<uintptr_t>(f.get());
  // void(*)() is the one function pointer type GCC lets any other be cast to without a warning.
  makecontext(&f->ctx, reinterpret_cast<void (*)()>(&trampoline), 2, static_cast<unsigned>(addr & 0xffffffffu),
              static_cast<unsigned>(addr >> 32));
  {
    std::lock_guard<std::mutex> lock(m_);
    ++live_;
  }
  Fiber* raw = f.release();
  {
    std::lock_guard<std::mutex> lock(w.m);
    ++w.fibers;
    w.ready.push_back(raw);
  }
  w.cv.notify_one();
  return raw;
}

void FiberPool::unpark(Fiber* f) {
  Worker& w = *f->worker;
  {
    std::lock_guard<std::mutex> lock(w.m);
    if (!f->parked) {
      f->permit = true;
      return;
    }
    f->parked = false;
    w.ready.push_back(f);
    // Waking a sleeping thread is a system call and, on a VM, an interrupt to another CPU: with
    // 600 inputs and batches of 16 records it was 13% of the merging thread. A thread with many
    // fibers is woken once several are ready (kick() wakes it when one is needed now).
    const size_t at = std::clamp<size_t>(w.fibers / 16, 1, 16);
    if (!w.idle || w.ready.size() < at) return;
    w.idle = false;  // woken: no second wake before it has looked
  }
  w.cv.notify_one();
}

void FiberPool::kick(Fiber* f) {
  Worker& w = *f->worker;
  {
    std::lock_guard<std::mutex> lock(w.m);
    if (!w.idle || w.ready.empty()) return;
    w.idle = false;
  }
  w.cv.notify_one();
}

void FiberPool::wake_all() {
  for (auto* list : {&workers_, &alone_})
    for (auto& w : *list) {
      {
        std::lock_guard<std::mutex> lock(w->m);
        if (!w->idle || w->ready.empty()) continue;
        w->idle = false;
      }
      w->cv.notify_one();
    }
}

bool FiberPool::park() {
  Worker* w = tl_worker;
  if (!w || !w->current) return false;
  Fiber& f = *w->current;
  {
    std::lock_guard<std::mutex> lock(w->m);
    if (f.permit) {
      f.permit = false;
      return true;
    }
    // From here an unpark() queues the fiber; its thread only takes it from the queue after the
    // switch below has saved its context (a fiber never runs on another thread).
    f.parked = true;
  }
  to_worker(f, *w, false);
  return true;
}

FiberPool::Fiber* FiberPool::current() { return tl_worker ? tl_worker->current : nullptr; }

void FiberPool::join() {
  // Fibers unparked since their thread last looked may wait in a sleeping thread's queue: wake
  // those, and look again now and then.
  for (;;) {
    wake_all();
    std::unique_lock<std::mutex> lock(m_);
    if (all_done_.wait_for(lock, std::chrono::milliseconds(20), [&] { return live_ == 0; })) return;
  }
}

void FiberPool::run(Worker& w) {
  tl_worker = &w;
  for (;;) {
    Fiber* f = nullptr;
    {
      std::unique_lock<std::mutex> lock(w.m);
      while (w.ready.empty() && !w.stop) {
        w.idle = true;
        w.cv.wait(lock);
        w.idle = false;
      }
      if (w.ready.empty()) break;
      f = w.ready.front();
      w.ready.pop_front();
    }
    w.current = f;
    void* fake = nullptr;
    start_switch(&fake, f->stack, f->stack_size);
    swapcontext(&w.ctx, &f->ctx);
    finish_switch(fake, nullptr, nullptr);
    w.current = nullptr;
    if (f->done) {
      {
        std::lock_guard<std::mutex> lock(w.m);
        --w.fibers;
      }
      munmap(f->map, f->map_size);
      delete f;
      std::lock_guard<std::mutex> lock(m_);
      if (--live_ == 0) all_done_.notify_all();
    }
  }
  tl_worker = nullptr;
}

}  // namespace outflow
