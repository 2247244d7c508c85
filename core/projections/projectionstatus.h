#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace cqrs {

enum class ProjectionState { Starting, Live, CatchingUp, Paused, Rebuilding, Failed };

QString projectionStateName(ProjectionState state);

/// The knobs of one projection, changeable at runtime from any thread.
struct ProjectorKnobs
{
    int delayMs = 0;
    int jitterMs = 0;
    int batchSize = 500;
    bool paused = false;
    /// Synchronous update is on: the views are current with each commit, so
    /// the injected delay is kept but not applied.
    bool delaySuspended = false;
    bool delayApplies() const { return !delaySuspended && (delayMs > 0 || jitterMs > 0); }
};

/// What a projection is doing right now, as a value.
struct ProjectionStatus
{
    QString name;
    QString title;
    ProjectionState state = ProjectionState::Starting;
    qint64 checkpoint = 0;
    /// Why it stopped, and at which event (Failed only).
    QString error;
    /// Something a person should know while it keeps going (a locked store).
    QString notice;
    qint64 failedPosition = 0;
    ProjectorKnobs knobs;
    /// Rebuilding only: events replayed so far and the target position.
    qint64 rebuildDone = 0;
    qint64 rebuildTarget = 0;
    /// Events folded in by this projector since the program started.
    qint64 eventsApplied = 0;
    /// A rebuild or store switch replays the log up to this position, from
    /// replayStartedNs (monotonic); 0 when none did.
    qint64 replayUpTo = 0;
    qint64 replayStartedNs = 0;
};

using ProjectionStatusList = QList<ProjectionStatus>;

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::ProjectionStatus)
