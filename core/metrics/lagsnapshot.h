#pragma once

#include "metrics/latencyhistogram.h"
#include "projections/projectionstatus.h"
#include "write/catalogsnapshot.h"

#include <QList>
#include <QMetaType>

namespace cqrs {

/// How far one projection is behind the write side.
struct ProjectionLag
{
    ProjectionStatus status;
    qint64 eventsBehind = 0;
    /// Now minus the commit time of the oldest unprojected event; 0 when caught up.
    double timeBehindMs = 0;
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
    /// Visibility latency (applied - commit) over all projections, sliding window.
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
