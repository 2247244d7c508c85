#pragma once

#include <QSqlDatabase>
#include <QString>

namespace cqrs::WriteSchema {

/// The schema version this build writes (SQLite `PRAGMA user_version`).
inline constexpr int currentVersion = 1;

/// Brings the write store at `db` up to currentVersion, one migration step at
/// a time, each in its own transaction. Refuses a store written by a newer
/// build with a message that says what to do.
bool migrate(const QSqlDatabase& db, const QString& path, QString* error);

} // namespace cqrs::WriteSchema
