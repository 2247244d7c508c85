#pragma once

#include "projections/projectionstatus.h"

#include <QHash>

#include <condition_variable>
#include <functional>
#include <mutex>

namespace cqrs {

/// The shared, thread-safe notice board of the read side: each projection's
/// knobs, status and published checkpoint, and the write side's head.
/// Projectors write to it; the lag monitor, the query side and the UI read
/// it. Read-your-writes queries wait on it for a checkpoint (with a
/// deadline), never polling.
class ProjectionBoard final
{
public:
    void add(const QString& name, const QString& title);
    QStringList names() const;

    ProjectorKnobs knobs(const QString& name) const;
    void changeKnobs(const QString& name, const std::function<void(ProjectorKnobs&)>& change);

    ProjectionStatus status(const QString& name) const;
    ProjectionStatusList statuses() const;
    void changeStatus(const QString& name, const std::function<void(ProjectionStatus&)>& change);

    /// Publishes a checkpoint committed to the read store `store` and wakes
    /// read-your-writes waiters. Ignored when the views have since moved to
    /// another store (a projector finishing a batch in the old store while
    /// the architecture switches must not vouch for the new one).
    void publishCheckpoint(const QString& name, qint64 position, const QString& store);
    /// The views now live in `store`, whose checkpoints are `checkpoints`
    /// (missing names: 0). Called before queries are pointed at the store.
    void switchStore(const QString& store, const QHash<QString, qint64>& checkpoints);
    qint64 checkpoint(const QString& name) const;
    /// Waits until `name` has applied `position` or `timeoutMs` passes.
    /// Returns the checkpoint reached. Never call this on the GUI thread.
    qint64 waitForCheckpoint(const QString& name, qint64 position, int timeoutMs) const;

    void setHead(qint64 position);
    qint64 head() const;

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_advanced;
    QStringList m_names;
    QHash<QString, ProjectionStatus> m_status;
    qint64 m_head = 0;
    QString m_store;
};

} // namespace cqrs
