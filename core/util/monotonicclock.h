#pragma once

#include <QDateTime>
#include <QtGlobal>

#include <chrono>

namespace cqrs {

/// The one clock for every latency in CQRS Lab. steady_clock is
/// CLOCK_MONOTONIC on Linux: the same time base in every thread and process
/// of this machine, so a commit stamped by the command worker and an
/// application stamped by a projector can be subtracted.
inline qint64 monotonicNowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

/// Wall clock, for display only.
inline qint64 wallNowMs() { return QDateTime::currentMSecsSinceEpoch(); }

} // namespace cqrs
