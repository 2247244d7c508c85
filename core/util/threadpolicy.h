#pragma once

namespace cqrs {

/// Marks the calling thread as background work: it keeps its fair share of
/// the CPU, but waking it never preempts the thread that woke it.
///
/// Every commit wakes the projectors (and the event stream); under Linux's
/// normal policy the woken thread took the command worker's core at once,
/// and the commands queued behind it made the commit-latency tail
/// (docs/benchmarks.md, target 2). Under SCHED_BATCH it waits for the
/// command worker to block or for the other core. Unlike a higher nice
/// value it keeps its weight, so a batch thread holding a lock the command
/// worker wants is not starved.
///
/// Returns whether the policy was applied (Linux only; elsewhere a no-op).
bool runAsBackgroundThread();

} // namespace cqrs
