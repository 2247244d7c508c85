#pragma once

namespace cqrs {

/// Marks the calling thread as background work: it keeps its fair share of
/// the CPU, but waking it never preempts the thread that woke it.
///
/// Every commit wakes the projectors (and the event stream); on Linux the
/// woken thread used to take over the command worker's core on the spot. At
/// 1,000 orders/s one run counted 1,258 such preemptions in 6 s, 134 of them
/// longer than 0.5 ms (the longest 1.5 ms), and the commands queued behind
/// them made up the commit-latency tail (docs/benchmarks.md, target 2). Under
/// SCHED_BATCH the woken thread waits for the command worker to block or for
/// the other core instead. Unlike a higher nice value it keeps its weight, so
/// a batch thread holding a lock the command worker wants is not starved.
///
/// Returns whether the policy was applied (Linux only; elsewhere a no-op).
bool runAsBackgroundThread();

} // namespace cqrs
