#pragma once

#include "metrics/latencyhistogram.h"
#include "projections/projectionstatus.h"
#include "write/catalogsnapshot.h"

#include <QList>
#include <QStringList>
#include <QMetaType>

namespace cqrs {

/// How far one projection is behind the write side.
struct ProjectionLag
{
    ProjectionStatus status;
    qint64 eventsBehind = 0;
    /// Now minus the commit time of the oldest unprojected event (or minus
    /// the moment a rebuild or store switch began replaying it, if later);
    /// 0 when caught up, NaN when the commit time could not be read.
    double timeBehindMs = 0;
    /// Why timeBehindMs is not known (NaN), else empty.
    QString timeBehindProblem;
    /// Visibility latency of this projection over the sliding window.
    double p50Ms = 0;
    double p99Ms = 0;
};

/// The read side's distance from the write side, at one moment, as a value.
struct LagSnapshot
{
    qint64 takenAtNs = 0;
    qint64 head = 0;
    WriteCounters write;
    QList<ProjectionLag> projections;
    /// Orders the write store holds (write.orders) whose OrderPlaced event
    /// the Order summary view has not applied yet; -1 when unknown.
    qint64 ordersNotVisible = 0;
    /// Problems a person should know about the stores (a starved
    /// checkpoint, say), one sentence each.
    QStringList storeWarnings;
    /// Visibility latency (applied - commit) over all projections, sliding
    /// window; windowSamples is 0 when none fell in it.
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    qint64 windowSamples = 0;
    /// Every latency since the start.
    LatencyHistogram cumulative;

    /// The largest time behind over all projections.
    double worstTimeBehindMs() const;
    bool caughtUp() const;
};

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::LagSnapshot)
