#include "projections/readstore.h"

#include "util/monotonicclock.h"

namespace cqrs::ReadStore {

bool prepare(SqlContext& sql, Projection& projection, QString* error)
{
    if (!sql.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS rv_checkpoints ("
                                 " projection TEXT PRIMARY KEY,"
                                 " position INTEGER NOT NULL,"
                                 " updated_at_ms INTEGER NOT NULL) WITHOUT ROWID"),
                  error))
        return false;
    for (const QString& statement : projection.schema()) {
        if (!sql.exec(statement, error))
            return false;
    }
    SqliteStatement& insert = sql.statement(QStringLiteral(
        "INSERT OR IGNORE INTO rv_checkpoints (projection, position, updated_at_ms) VALUES (?, 0, ?)"));
    insert.bindTextOrNull(1, projection.name()).bind(2, wallNowMs());
    return insert.exec(error);
}

bool prepare(SqlContext& sql, const ProjectionList& projections, QString* error)
{
    for (const auto& projection : projections) {
        if (!prepare(sql, *projection, error))
            return false;
    }
    return true;
}

qint64 checkpoint(SqlContext& sql, const QString& projection, QString* error)
{
    SqliteStatement& query =
        sql.statement(QStringLiteral("SELECT position FROM rv_checkpoints WHERE projection = ?"));
    query.bindTextOrNull(1, projection);
    qint64 position = 0;
    switch (query.step()) {
    case SqliteStatement::Step::Row:
        position = query.int64(0);
        break;
    case SqliteStatement::Step::Done:
        break; // no row: nothing applied yet
    case SqliteStatement::Step::Error:
        if (error)
            *error = query.error();
        query.reset();
        return -1;
    }
    query.reset(); // a statement left open would keep the read transaction
    return position;
}

bool setCheckpoint(SqlContext& sql, const QString& projection, qint64 position, QString* error)
{
    SqliteStatement& update = sql.statement(QStringLiteral(
        "UPDATE rv_checkpoints SET position = ?, updated_at_ms = ? WHERE projection = ?"));
    update.bind(1, position).bind(2, wallNowMs()).bindTextOrNull(3, projection);
    return update.exec(error);
}

bool clear(SqlContext& sql, Projection& projection, QString* error)
{
    for (const QString& table : projection.tables()) {
        if (!sql.exec(QStringLiteral("DELETE FROM %1").arg(table), error))
            return false;
    }
    return setCheckpoint(sql, projection.name(), 0, error);
}

bool applyBatch(SqlContext& sql, Projection& projection, const EventList& events,
                ChangeSet& changes, qint64* newCheckpoint, qint64* failedAt, QString* error,
                const EventGuard& guard)
{
    const qint64 stored = checkpoint(sql, projection.name(), error);
    if (stored < 0)
        return false;
    return applyBatchFrom(sql, projection, stored, events, changes, newCheckpoint, failedAt, error,
                          guard);
}

bool applyBatchFrom(SqlContext& sql, Projection& projection, qint64 stored, const EventList& events,
                    ChangeSet& changes, qint64* newCheckpoint, qint64* failedAt, QString* error,
                    const EventGuard& guard)
{
    qint64 position = stored;
    for (const Event& event : events) {
        if (event.position <= position)
            continue; // already folded in (by the synchronous path, or before a restart)
        if (event.position != position + 1) {
            projection.discard(); // sums gathered before the gap go with the savepoint
            *failedAt = event.position;
            *error = QStringLiteral("event %1 follows checkpoint %2: the log has a gap")
                         .arg(event.position)
                         .arg(position);
            return false;
        }
        if ((guard && !guard(event, error)) || !projection.apply(sql, event, changes, error)) {
            projection.discard();
            *failedAt = event.position;
            return false;
        }
        position = event.position;
    }
    if (!projection.flush(sql, error)) {
        projection.discard();
        *failedAt = 0; // a write of several events' sums: no single event to blame
        return false;
    }
    *newCheckpoint = position;
    return setCheckpoint(sql, projection.name(), position, error);
}

} // namespace cqrs::ReadStore
