#include "outflow/core/fiber_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>

namespace outflow {
namespace {

TEST(FiberPool, RunsManyFibersOnFewThreads) {
  std::mutex m;
  std::set<std::thread::id> ids;
  std::atomic<int> ran{0};
  {
    FiberPool pool(2);
    for (int i = 0; i < 2000; ++i)
      ASSERT_NE(pool.spawn(
                    [&] {
                      EXPECT_NE(FiberPool::current(), nullptr);
                      std::lock_guard<std::mutex> lock(m);
                      ids.insert(std::this_thread::get_id());
                      ++ran;
                    },
                    static_cast<size_t>(i)),
                nullptr);
    pool.join();
    EXPECT_EQ(ran.load(), 2000);
  }
  EXPECT_EQ(ids.size(), 2u);  // both threads, and only they
  EXPECT_EQ(ids.count(std::this_thread::get_id()), 0u);
}

TEST(FiberPool, ParkOutsideAFiberDoesNothing) {
  EXPECT_EQ(FiberPool::current(), nullptr);
  EXPECT_FALSE(FiberPool::park());
}

TEST(FiberPool, UnparkBeforeParkIsKept) {
  FiberPool pool(1);
  std::atomic<bool> go{false}, parked_once{false};
  FiberPool::Fiber* f = pool.spawn(
      [&] {
        while (!go) std::this_thread::yield();
        EXPECT_TRUE(FiberPool::park());  // the permit given before: returns at once
        parked_once = true;
      },
      0);
  ASSERT_NE(f, nullptr);
  pool.unpark(f);
  go = true;
  pool.join();
  EXPECT_TRUE(parked_once);
}

// Producers on fibers hand values to this thread through one-element mailboxes, parking while
// theirs is full: the shape of the merged reader's batches. Every value arrives, in each
// producer's order, and a fiber never changes thread.
TEST(FiberPool, ProducersParkUntilTheConsumerMakesRoom) {
  constexpr int kFibers = 300, kValues = 200;
  struct Box {
    std::mutex m;
    std::condition_variable cv;
    bool full = false, waiting = false, done = false, moved = false;
    int value = 0;
    FiberPool::Fiber* fiber = nullptr;
  };
  std::vector<Box> boxes(kFibers);
  FiberPool pool(2);
  for (int i = 0; i < kFibers; ++i) {
    Box& b = boxes[static_cast<size_t>(i)];
    b.fiber = pool.spawn(
        [&b] {
          const auto self = std::this_thread::get_id();
          for (int v = 0; v < kValues; ++v) {
            for (;;) {
              std::unique_lock<std::mutex> lock(b.m);
              if (!b.full) break;
              b.waiting = true;
              lock.unlock();
              ASSERT_TRUE(FiberPool::park());
              if (std::this_thread::get_id() != self) b.moved = true;
            }
            std::lock_guard<std::mutex> lock(b.m);
            b.value = v;
            b.full = true;
            b.cv.notify_all();
          }
          std::lock_guard<std::mutex> lock(b.m);
          b.done = true;
          b.cv.notify_all();
        },
        static_cast<size_t>(i));
    ASSERT_NE(b.fiber, nullptr);
  }
  long long sum = 0;
  for (int v = 0; v < kValues; ++v) {
    for (auto& b : boxes) {
      std::unique_lock<std::mutex> lock(b.m);
      if (!b.full) pool.kick(b.fiber);  // it may be ready on a thread that waits for more to be
      b.cv.wait(lock, [&] { return b.full; });
      EXPECT_EQ(b.value, v);
      sum += b.value;
      b.full = false;
      if (b.waiting) {
        b.waiting = false;
        pool.unpark(b.fiber);
      }
    }
  }
  for (auto& b : boxes) {
    std::unique_lock<std::mutex> lock(b.m);
    if (!b.done) pool.kick(b.fiber);  // alive: it sets `done` under this lock, then ends
    b.cv.wait(lock, [&] { return b.done; });
    EXPECT_FALSE(b.moved);
  }
  pool.join();
  EXPECT_EQ(sum, static_cast<long long>(kFibers) * kValues * (kValues - 1) / 2);
}

// A reader may use a few hundred KiB of stack (nested parsing): well within a fiber's.
int deep(int n, int x) {
  volatile char frame[4096];
  std::memset(const_cast<char*>(frame), x & 0xff, sizeof frame);
  if (n == 0) return frame[100];
  return deep(n - 1, x + 1) + frame[7];
}

TEST(FiberPool, StackHoldsHundredsOfKilobytes) {
  FiberPool pool(1);
  int got = -1;
  ASSERT_NE(pool.spawn([&] { got = deep(150, 0); }, 0), nullptr);  // about 600 KiB
  pool.join();
  EXPECT_EQ(got, deep(150, 0));
}

TEST(FiberPool, DestructorWaitsForEveryFiber) {
  std::atomic<int> ran{0};
  {
    FiberPool pool(2);
    for (int i = 0; i < 50; ++i)
      pool.spawn(
          [&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            ++ran;
          },
          static_cast<size_t>(i));
  }
  EXPECT_EQ(ran.load(), 50);
}

// A fiber that blocks (a read from a pipe whose writer is slow) on a thread of its own holds up
// no other fiber, even with one shared thread.
TEST(FiberPool, AFiberAloneBlocksNoOther) {
  FiberPool pool(1);
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  int done = 0;
  ASSERT_NE(pool.spawn_alone([&] {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return release; });  // blocks its thread, not parks
  }),
            nullptr);
  for (int i = 0; i < 20; ++i)
    ASSERT_NE(pool.spawn(
                  [&] {
                    std::lock_guard<std::mutex> lock(m);
                    ++done;
                    cv.notify_all();
                  },
                  static_cast<size_t>(i)),
              nullptr);
  {
    std::unique_lock<std::mutex> lock(m);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return done == 20; }));
    release = true;
  }
  cv.notify_all();
  pool.join();
  EXPECT_EQ(pool.threads(), 1u);
}

TEST(FiberPool, ThreadsForInputs) {
  EXPECT_EQ(FiberPool::threads_for(0), 1u);
  EXPECT_EQ(FiberPool::threads_for(1), 1u);
  EXPECT_GE(FiberPool::threads_for(5000), 1u);
  EXPECT_LE(FiberPool::threads_for(5000), std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace outflow
