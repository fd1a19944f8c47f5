// A small pool of worker threads that lends its threads to the engine through
// SimulationOptions::parallel (simcore/parallel.hpp). The engine itself starts
// no threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "simcore/parallel.hpp"

namespace simcore::app {

class ThreadPool {
 public:
  // threads >= 1: the calling thread plus threads - 1 workers.
  explicit ThreadPool(std::size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::size_t threads() const { return threads_; }
  // fn(0) ... fn(tasks - 1), each once, on whichever of the caller and the
  // workers claims it first; returns when all have run. Not reentrant: one
  // run at a time, from one thread.
  void run(std::size_t tasks, const std::function<void(std::size_t)>& fn);
  // A ParallelFor that calls run() on this pool (which must outlive it).
  ParallelFor parallelFor();

 private:
  void work();
  void drainTasks(std::uint64_t gen);

  std::size_t threads_;  // set before any worker starts (workers read it)
  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable start_;
  // The current run (under m_): a thread claims task next_++ while next_ <
  // tasks_ and runGen_ is the generation it woke for, runs it and counts it in
  // done_.
  const std::function<void(std::size_t)>* fn_ = nullptr;
  std::size_t tasks_ = 0, next_ = 0;
  std::uint64_t runGen_ = 0;
  std::atomic<std::size_t> done_{0};
  std::atomic<std::uint64_t> generation_{0};  // bumped by run(); idle workers spin, then sleep, until it moves
  std::atomic<bool> stop_{false};
};

}  // namespace simcore::app
