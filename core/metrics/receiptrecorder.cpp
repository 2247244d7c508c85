#include "metrics/receiptrecorder.h"

#include <algorithm>

namespace cqrs {

/// One position's times. Offsets from the commit are kept in microseconds,
/// plus one, so 0 means "not yet" (56 bytes a slot instead of 96).
struct ReceiptRecorder::Slot
{
    std::atomic<qint64> position{0}; // 0 while being written
    std::atomic<qint64> committedNs{0};
    std::atomic<quint32> submittedBeforeUs{0};
    std::atomic<quint32> readWaitUs{0};
    std::atomic<quint32> appliedAfterUs[maxProjections];
};

namespace {
quint32 microsPlusOne(qint64 ns)
{
    const qint64 us = std::max<qint64>(0, ns) / 1000;
    return quint32(std::min<qint64>(us, 0xFFFF'FFFE) + 1);
}
} // namespace

ReceiptRecorder::ReceiptRecorder(QStringList projections)
    : m_projections(std::move(projections))
    , m_slots(std::make_unique<Slot[]>(size_t(capacity)))
{
    // Value-initialised, so every page is written now: the memory is in
    // use from the start, not as the ring fills (which would read as growth).
    Q_ASSERT(m_projections.size() <= maxProjections);
}

ReceiptRecorder::~ReceiptRecorder() = default;

ReceiptRecorder::Slot& ReceiptRecorder::slot(qint64 position) const { return m_slots[size_t(position % capacity)]; }

void ReceiptRecorder::committed(qint64 first, qint64 last, qint64 submittedNs, qint64 committedNs)
{
    for (qint64 position = first; position <= last && position > 0; ++position) {
        Slot& s = slot(position);
        s.position.store(0, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_release);
        s.committedNs.store(committedNs, std::memory_order_relaxed);
        s.submittedBeforeUs.store(microsPlusOne(committedNs - submittedNs), std::memory_order_relaxed);
        s.readWaitUs.store(0, std::memory_order_relaxed);
        for (int p = 0; p < maxProjections; ++p) {
            bool inCommit = false;
            for (const Staged& staged : m_staged)
                inCommit = inCommit || (staged.projection == p && position >= staged.first && position <= staged.last);
            s.appliedAfterUs[p].store(inCommit ? 1 : 0, std::memory_order_relaxed);
        }
        s.position.store(position, std::memory_order_release);
    }
    if (last > m_newest.load(std::memory_order_relaxed))
        m_newest.store(last, std::memory_order_relaxed);
}

void ReceiptRecorder::applied(int projection, qint64 first, qint64 last, qint64 committedNs)
{
    if (projection < 0 || projection >= maxProjections)
        return;
    for (qint64 position = first; position <= last && position > 0; ++position) {
        Slot& s = slot(position);
        if (s.position.load(std::memory_order_acquire) != position)
            continue; // not recorded (or already overwritten)
        const qint64 commit = s.committedNs.load(std::memory_order_relaxed);
        // Kept if already set: folded inside its command (synchronous update).
        quint32 unset = 0;
        s.appliedAfterUs[projection].compare_exchange_strong(unset, microsPlusOne(committedNs - commit),
                                                             std::memory_order_relaxed);
    }
}

void ReceiptRecorder::appliedInCommit(int projection, qint64 first, qint64 last)
{
    if (projection >= 0 && projection < maxProjections)
        m_staged.push_back({projection, first, last});
}

void ReceiptRecorder::readWaited(qint64 position, qint64 waitedNs)
{
    if (position <= 0)
        return;
    Slot& s = slot(position);
    if (s.position.load(std::memory_order_acquire) != position)
        return;
    const quint32 wait = microsPlusOne(waitedNs);
    quint32 kept = s.readWaitUs.load(std::memory_order_relaxed);
    while (wait > kept && !s.readWaitUs.compare_exchange_weak(kept, wait, std::memory_order_relaxed)) {
    }
}

ReceiptRecorder::Times ReceiptRecorder::times(qint64 position) const
{
    Times times;
    times.position = position;
    if (position <= 0)
        return times;
    const Slot& s = slot(position);
    if (s.position.load(std::memory_order_acquire) != position)
        return times;
    const qint64 commit = s.committedNs.load(std::memory_order_relaxed);
    const quint32 submitted = s.submittedBeforeUs.load(std::memory_order_relaxed);
    const quint32 wait = s.readWaitUs.load(std::memory_order_relaxed);
    QList<qint64> applied;
    for (int p = 0; p < m_projections.size(); ++p) {
        const quint32 after = s.appliedAfterUs[p].load(std::memory_order_relaxed);
        applied.append(after == 0 ? 0 : commit + qint64(after - 1) * 1000);
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    if (s.position.load(std::memory_order_relaxed) != position)
        return times; // overwritten while read
    times.recorded = true;
    times.committedNs = commit;
    times.submittedNs = commit - qint64(submitted - 1) * 1000;
    times.appliedNs = applied;
    times.readWaitNs = wait == 0 ? 0 : qint64(wait - 1) * 1000;
    return times;
}

qint64 ReceiptRecorder::oldestKept() const
{
    return std::max<qint64>(1, m_newest.load(std::memory_order_relaxed) - capacity + 1);
}

} // namespace cqrs
