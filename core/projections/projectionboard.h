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

    /// Publishes a committed checkpoint and wakes read-your-writes waiters.
    void publishCheckpoint(const QString& name, qint64 position);
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
};

} // namespace cqrs
