#pragma once

#include "metrics/latencyhistogram.h"

#include <QString>

namespace cqrs {

/// What the simulated customers have done so far, and how long checkout took.
struct TrafficStats
{
    double ratePerS = 0;
    qint64 submitted = 0;
    qint64 accepted = 0;
    qint64 rejected = 0;
    qint64 failed = 0;
    /// Orders of a fill (LoadGenerator::fillOrders) still to be accepted.
    qint64 filling = 0;
    /// Submit-to-commit latency of every simulated command (submit() call to
    /// the COMMIT of its group).
    LatencyHistogram checkout;
};

/// What the simulated analytics dashboard has done so far.
struct AnalyticsStats
{
    double ratePerS = 0;
    qint64 reportsRun = 0;
    qint64 reportsFailed = 0;
    QString lastError;
    /// How long each report took.
    LatencyHistogram duration;
};

} // namespace cqrs
