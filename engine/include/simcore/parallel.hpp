// The hook through which a front end lends the engine its threads.
#pragma once

#include <cstddef>
#include <functional>

namespace simcore {

// Runs fn(0), ..., fn(tasks - 1), possibly at the same time on other threads,
// and returns when every call has finished. The engine starts no threads: a
// front end that wants several cores passes one (simcore run --threads).
using ParallelFor = std::function<void(std::size_t tasks, const std::function<void(std::size_t task)>& fn)>;

}  // namespace simcore
