#pragma once

#include <QList>
#include <QStringList>

#include <atomic>
#include <memory>
#include <vector>

namespace cqrs {

/// The moments each event passed through the lab, recorded as they happen,
/// for the last `capacity` positions: when its command was submitted, when
/// the transaction holding it committed, when each projection committed the
/// batch holding it, and how long a read-your-writes query waited for it.
/// Fixed memory, no locks: the command worker, the projector threads and
/// the query threads write, any thread reads. An older position reads as
/// not recorded; nothing is ever estimated.
class ReceiptRecorder final
{
public:
    static constexpr qint64 capacity = 131'072; // at least the last 100,000 positions
    static constexpr int maxProjections = 8;

    /// The projections' names, in the order their times are kept.
    explicit ReceiptRecorder(QStringList projections);
    ~ReceiptRecorder();
    ReceiptRecorder(const ReceiptRecorder&) = delete;
    ReceiptRecorder& operator=(const ReceiptRecorder&) = delete;

    const QStringList& projections() const { return m_projections; }
    int indexOf(const QString& projection) const { return int(m_projections.indexOf(projection)); }

    /// The command worker: events first..last of one command committed.
    void committed(qint64 first, qint64 last, qint64 submittedNs, qint64 committedNs);
    /// A projector: it committed the batch holding first..last at `committedNs`.
    void applied(int projection, qint64 first, qint64 last, qint64 committedNs);
    /// Synchronous update, on the command worker: `projection` folded
    /// first..last inside the command's transaction, so they become visible
    /// with its COMMIT (committed() records them then).
    void appliedInCommit(int projection, qint64 first, qint64 last);
    /// The command worker, at the start of each group: whatever a rolled
    /// back transaction staged with appliedInCommit() is void.
    void discardStaged() { m_staged.clear(); }
    /// A read-your-writes query waited `waitedNs` for `position`.
    void readWaited(qint64 position, qint64 waitedNs);

    struct Times
    {
        qint64 position = 0;
        bool recorded = false;
        qint64 submittedNs = 0;
        qint64 committedNs = 0;
        /// Per projection, in projections() order; 0 while not applied.
        QList<qint64> appliedNs;
        /// 0 when no read-your-writes query waited for it.
        qint64 readWaitNs = 0;
    };
    /// The times of `position`, or recorded == false when they were not
    /// kept (too old, or never committed through the recorder).
    Times times(qint64 position) const;
    /// The oldest position whose times may still be held.
    qint64 oldestKept() const;

private:
    struct Slot;
    Slot& slot(qint64 position) const;

    QStringList m_projections;
    std::unique_ptr<Slot[]> m_slots;
    std::atomic<qint64> m_newest{0};
    struct Staged
    {
        int projection;
        qint64 first;
        qint64 last;
    };
    std::vector<Staged> m_staged; // command worker only
};

} // namespace cqrs
