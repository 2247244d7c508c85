#pragma once

#include "events/event.h"
#include "projections/projection.h"

#include <functional>

namespace cqrs::ReadStore {

/// Creates the checkpoint table and the tables of `projections` when missing.
bool prepare(SqlContext& sql, const ProjectionList& projections, QString* error);
bool prepare(SqlContext& sql, Projection& projection, QString* error);

/// The position up to which `projection` has been applied in this store.
qint64 checkpoint(SqlContext& sql, const QString& projection, QString* error);
bool setCheckpoint(SqlContext& sql, const QString& projection, qint64 position, QString* error);

/// Empties the projection's tables and sets its checkpoint to 0.
bool clear(SqlContext& sql, Projection& projection, QString* error);

/// Called before each event is applied; returning false poisons it (tests).
using EventGuard = std::function<bool(const Event& event, QString* error)>;

/// Folds `events` into the projection inside the caller's transaction:
/// reads the stored checkpoint, skips events at or below it (never
/// double-applies), refuses a gap (never skips), and stores the new
/// checkpoint. *failedAt is the position of the event that failed.
bool applyBatch(SqlContext& sql, Projection& projection, const EventList& events,
                ChangeSet& changes, qint64* newCheckpoint, qint64* failedAt, QString* error,
                const EventGuard& guard = {});
/// The same, for a caller that has read the stored checkpoint (`stored`)
/// inside this same transaction already.
bool applyBatchFrom(SqlContext& sql, Projection& projection, qint64 stored, const EventList& events,
                    ChangeSet& changes, qint64* newCheckpoint, qint64* failedAt, QString* error,
                    const EventGuard& guard = {});

} // namespace cqrs::ReadStore
