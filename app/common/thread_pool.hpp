// A small pool of worker threads that lends its threads to the engine through
// SimulationOptions::parallel (simcore/parallel.hpp). The engine itself starts
// no threads.
#pragma once

#include <condition_variable>
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
  // fn(0) ... fn(tasks - 1): task t runs on thread t % threads() (task 0 and
  // every threads()-th on the caller); returns when all have run. Not
  // reentrant: one run at a time.
  void run(std::size_t tasks, const std::function<void(std::size_t)>& fn);
  // A ParallelFor that calls run() on this pool (which must outlive it).
  ParallelFor parallelFor();

 private:
  void work(std::size_t id);

  std::size_t threads_;  // set before any worker starts (workers read it)
  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable start_, done_;
  const std::function<void(std::size_t)>* fn_ = nullptr;
  std::size_t tasks_ = 0;
  std::size_t pending_ = 0;       // workers still running the current generation
  std::uint64_t generation_ = 0;  // bumped by run(); workers wait for a new one
  bool stop_ = false;
};

}  // namespace simcore::app
