#include "common/thread_pool.hpp"

#include <thread>

namespace simcore::app {

namespace {

// A thread that waits for work spins this many rounds (about 0.1 ms) before it
// sleeps; device loads come every millisecond or so.
constexpr int kSpinRounds = 4000;

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

}  // namespace

ThreadPool::ThreadPool(std::size_t threads) : threads_(threads < 1 ? 1 : threads) {
  workers_.reserve(threads_ - 1);
  for (std::size_t i = 1; i < threads_; ++i) workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_.store(true, std::memory_order_release);
  }
  start_.notify_all();
  for (auto& t : workers_) t.join();
}

// Claims tasks of run `gen` one at a time (under the lock) until none is left.
void ThreadPool::drainTasks(std::uint64_t gen) {
  while (true) {
    const std::function<void(std::size_t)>* fn;
    std::size_t t;
    {
      std::lock_guard<std::mutex> lock(m_);
      if (runGen_ != gen || next_ >= tasks_) return;
      t = next_++;
      fn = fn_;
    }
    (*fn)(t);
    done_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::run(std::size_t tasks, const std::function<void(std::size_t)>& fn) {
  if (threads() == 1 || tasks <= 1) {
    for (std::size_t t = 0; t < tasks; ++t) fn(t);
    return;
  }
  // Tasks are claimed one at a time by whichever thread is free: a worker that
  // wakes late finds them taken by the caller, so a run never waits for a
  // sleeping thread to wake. Who runs a task does not change what it computes.
  std::uint64_t gen;
  {
    std::lock_guard<std::mutex> lock(m_);
    fn_ = &fn;
    tasks_ = tasks;
    next_ = 0;
    done_.store(0, std::memory_order_relaxed);
    gen = runGen_ = generation_.load(std::memory_order_relaxed) + 1;
    generation_.store(gen, std::memory_order_release);
  }
  start_.notify_all();
  drainTasks(gen);
  while (done_.load(std::memory_order_acquire) != tasks) relax();  // tasks a worker is still running
}

void ThreadPool::work() {
  std::uint64_t seen = 0;
  while (true) {
    std::uint64_t g = generation_.load(std::memory_order_acquire);
    for (int k = 0; k < kSpinRounds && g == seen && !stop_.load(std::memory_order_relaxed); ++k) {
      relax();
      g = generation_.load(std::memory_order_acquire);
    }
    if (g == seen && !stop_.load(std::memory_order_acquire)) {
      std::unique_lock<std::mutex> lock(m_);
      start_.wait(lock, [&] {
        return stop_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen;
      });
      g = generation_.load(std::memory_order_acquire);
    }
    if (stop_.load(std::memory_order_acquire)) return;
    seen = g;
    drainTasks(g);
  }
}

ParallelFor ThreadPool::parallelFor() {
  return [this](std::size_t tasks, const std::function<void(std::size_t)>& fn) { run(tasks, fn); };
}

}  // namespace simcore::app
