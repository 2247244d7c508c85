#pragma once

#include <QSqlDatabase>
#include <QString>

namespace cqrs::WriteSchema {

/// The schema version this build writes (SQLite `PRAGMA user_version`).
inline constexpr int currentVersion = 1;

/// Reads the schema version of the store at `db` without writing anything:
/// false, with a message that says what to do, for a file that is not a CQRS
/// Lab store or was written by a newer build.
bool checkVersion(const QSqlDatabase& db, const QString& path, QString* error);

/// Brings the write store at `db` up to currentVersion, one migration step at
/// a time, each in its own transaction. Refuses a store written by a newer
/// build with a message that says what to do.
bool migrate(const QSqlDatabase& db, const QString& path, QString* error);

} // namespace cqrs::WriteSchema
