#include "common/thread_pool.hpp"

namespace simcore::app {

ThreadPool::ThreadPool(std::size_t threads) : threads_(threads < 1 ? 1 : threads) {
  workers_.reserve(threads_ - 1);
  for (std::size_t i = 1; i < threads_; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
  }
  start_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run(std::size_t tasks, const std::function<void(std::size_t)>& fn) {
  const std::size_t n = threads();
  if (n == 1 || tasks <= 1) {
    for (std::size_t t = 0; t < tasks; ++t) fn(t);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(m_);
    fn_ = &fn;
    tasks_ = tasks;
    pending_ = workers_.size();
    ++generation_;
  }
  start_.notify_all();
  for (std::size_t t = 0; t < tasks; t += n) fn(t);
  std::unique_lock<std::mutex> lock(m_);
  done_.wait(lock, [this] { return pending_ == 0; });
  fn_ = nullptr;
}

void ThreadPool::work(std::size_t id) {
  std::uint64_t seen = 0;
  const std::size_t n = threads();
  while (true) {
    const std::function<void(std::size_t)>* fn;
    std::size_t tasks;
    {
      std::unique_lock<std::mutex> lock(m_);
      start_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      fn = fn_;
      tasks = tasks_;
    }
    for (std::size_t t = id; t < tasks; t += n) (*fn)(t);
    {
      std::lock_guard<std::mutex> lock(m_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
}

ParallelFor ThreadPool::parallelFor() {
  return [this](std::size_t tasks, const std::function<void(std::size_t)>& fn) { run(tasks, fn); };
}

}  // namespace simcore::app
