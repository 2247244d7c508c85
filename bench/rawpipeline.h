#pragma once

#include "metrics/latencyhistogram.h"
#include "commands/commands.h"
#include "write/catalogsnapshot.h"

#include <QList>
#include <QString>

namespace cqrs::bench {

/// What the raw write/read pipeline achieved.
struct RawPipelineResult
{
    /// Start of a batch -> its COMMIT returned, per order.
    LatencyHistogram commit;
    /// Commit time stamped in the event -> the raw view's COMMIT returned.
    LatencyHistogram visibility;
    double ordersPerS = 0;
    /// Cores busy in this process while measuring (process CPU / wall time).
    double coresUsed = 0;
};

struct RawPipelineConfig
{
    QString writeDbPath;
    /// Empty: no reader (write latency only).
    QString readDbPath;
    CatalogSnapshot catalog;
    /// Orders to send, in order; at least rate × (warm-up + duration).
    QList<PlaceOrder> orders;
    double ratePerS = 1'000;
    double warmupS = 2;
    double seconds = 10;
};

/// The floor under the lab's latency figures, on the same machine in the
/// same run: a writer thread paced exactly like the LoadGenerator (a 5 ms
/// tick, the orders due by then in one transaction, as group commit does)
/// writing RawWriteStore rows, and, when a read store is given, a reader
/// thread woken by the writer after every commit (a condition variable, the
/// cheapest possible notification) that folds the new events into a raw
/// order-summary table, like one projector. No Qt in either loop.
RawPipelineResult runRawPipeline(const RawPipelineConfig& config);

} // namespace cqrs::bench
