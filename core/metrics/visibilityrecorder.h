#pragma once

#include "metrics/latencyhistogram.h"

#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <mutex>

namespace cqrs {

/// Collects visibility latencies (applied time minus commit time, one
/// monotonic clock) per projection: a sliding window of the last few
/// seconds and a cumulative histogram. Thread-safe; projectors record a
/// batch under one lock.
class VisibilityRecorder final
{
public:
    static constexpr qint64 slotNs = 250'000'000;  // 250 ms
    static constexpr int slotCount = 20;          // 5 s window


    void record(const QString& projection, qint64 appliedNs, const QList<qint64>& latenciesNs);

    struct Snapshot
    {
        LatencyHistogram window;
        LatencyHistogram cumulative;
    };
    /// One projection, or all projections together when `projection` is empty.
    Snapshot snapshot(const QString& projection, qint64 nowNs) const;
    void reset();

private:
    struct Slot
    {
        qint64 index = -1;
        LatencyHistogram histogram;
    };
    struct Series
    {
        std::array<Slot, slotCount> ring;
        LatencyHistogram cumulative;
    };

    mutable std::mutex m_mutex;
    QHash<QString, Series> m_series;
};

} // namespace cqrs
