#include "metrics/visibilityrecorder.h"

namespace cqrs {

void VisibilityRecorder::record(const QString& projection, qint64 appliedNs,
                                const QList<qint64>& latenciesNs)
{
    if (latenciesNs.isEmpty())
        return;
    const qint64 index = appliedNs / slotNs;
    std::lock_guard lock(m_mutex);
    Series& series = m_series[projection];
    Slot& slot = series.ring[size_t(index % slotCount)];
    if (slot.index != index) {
        slot.index = index;
        slot.histogram.reset();
    }
    for (qint64 latency : latenciesNs) {
        slot.histogram.record(latency);
        series.cumulative.record(latency);
    }
}

VisibilityRecorder::Snapshot VisibilityRecorder::snapshot(const QString& projection,
                                                          qint64 nowNs) const
{
    const qint64 current = nowNs / slotNs;
    Snapshot result;
    std::lock_guard lock(m_mutex);
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        if (!projection.isEmpty() && it.key() != projection)
            continue;
        for (const Slot& slot : it->ring) {
            if (slot.index > current - slotCount)
                result.window.merge(slot.histogram);
        }
        result.cumulative.merge(it->cumulative);
    }
    return result;
}

void VisibilityRecorder::reset()
{
    std::lock_guard lock(m_mutex);
    m_series.clear();
}

} // namespace cqrs
