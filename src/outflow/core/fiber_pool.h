// Fibers on a few threads: many blocking producers (one per open input) run on as many threads
// as there are cores, not one thread each.
//
// Why: an incident collection is a file per host, thousands of them, all open at once since they
// cover the same days. Each input's reader is ordinary blocking code that pushes records into a
// sink (read_input_file); with a thread per input, 600 inputs were 600 threads and the kernel's
// switching between them. Here each such reader runs on a fiber (its own stack, switched with
// swapcontext) pinned to one of the pool's threads; where it would wait for room it parks, and
// its thread runs another fiber. No reader had to be rewritten as a resumable state machine.
//
// Rules for the code on a fiber:
//  - it may block on I/O and on short-lived locks (its thread's other fibers wait meanwhile), but
//    it must never wait for something only another fiber of the pool can do: it parks instead;
//  - a fiber never moves between threads (thread-local storage, which compilers may cache across
//    calls, stays right);
//  - the stack is kStackSize with a guard page below it: readers bound their recursion.
// The library has no coroutine support of its own: Debian 12's Boost.Context would do, but it is
// one more library for 150 lines; glibc's swapcontext costs a system call per switch (the signal
// mask), which is nothing at one switch per batch of records.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace outflow {

class FiberPool {
 public:
  static constexpr size_t kStackSize = 1u << 20;  // reserved; only the pages used are resident
  struct Fiber;   // opaque
  struct Worker;  // opaque: one thread and the fibers it runs

  // `threads` at least 1.
  explicit FiberPool(unsigned threads);
  // Waits for every fiber to end (join()).
  ~FiberPool();
  FiberPool(const FiberPool&) = delete;
  FiberPool& operator=(const FiberPool&) = delete;

  // Starts `fn` on a new fiber run by thread `slot % threads()`. The fiber ends when fn returns;
  // an exception leaving fn ends the process (catch what you throw). Null if no stack could be
  // mapped. Any thread.
  Fiber* spawn(std::function<void()> fn, size_t slot);
  // The same on a thread of its own, started for it: for a fiber whose reads may block for as
  // long as its writer likes (stdin, a pipe, a FIFO: `tail -f log | outflow ...`), which must not
  // hold up the fibers that share a thread. Not counted in threads(). One caller thread at a time.
  Fiber* spawn_alone(std::function<void()> fn);
  // Makes `f` ready to run if it is parked, else its next park() returns at once. Its thread, if
  // asleep, is woken once enough of its fibers are ready (one per 16 it runs, at most 16; one if
  // it runs fewer than 32), or by kick(), wake_all() or join(): whoever waits for what `f` makes
  // calls kick(f) first. Any thread, even before f has run; not after f has ended.
  void unpark(Fiber* f);
  // Wakes f's thread if it sleeps with fibers ready. Any thread; not after f has ended.
  void kick(Fiber* f);
  // kick() for every thread.
  void wake_all();
  // On a fiber: suspends it until unpark() (returns at once if unpark came since the last park).
  // Elsewhere: false, nothing done (the caller is not a fiber and must wait its own way).
  static bool park();
  // The fiber running on this thread, or null.
  static Fiber* current();

  // Waits until every fiber spawned so far has ended.
  void join();
  unsigned threads() const { return static_cast<unsigned>(workers_.size()); }

  // The number of threads for `inputs` fibers: one per usable core, at most one per fiber.
  static unsigned threads_for(size_t inputs);

 private:
  void run(Worker& w);
  Fiber* spawn_on(Worker& w, std::function<void()> fn);

  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<Worker>> alone_;  // spawn_alone's threads
  std::mutex m_;
  std::condition_variable all_done_;
  size_t live_ = 0;  // fibers spawned and not ended (under m_)
};

}  // namespace outflow
