#pragma once

#include "write/journalmode.h"

#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace cqrs {

/// One SQLite connection owned by the thread that created it.
///
/// Qt forbids sharing a QSqlDatabase across threads, and a QSqlDatabase kept
/// as a member outlives removeDatabase(). This class keeps only the unique
/// connection name; db() looks the handle up when needed. Destroy every
/// QSqlQuery that uses the connection before destroying this object (declare
/// it before the queries in a class so it is destroyed after them).
class SqlConnection final
{
public:
    enum class Role { Writer, Reader };

    /// `journal` only matters for a writer: it sets the file's journal mode.
    SqlConnection(const QString& purpose, const QString& path, Role role,
                  JournalMode journal = JournalMode::WriteAheadLog);
    ~SqlConnection();
    SqlConnection(const SqlConnection&) = delete;
    SqlConnection& operator=(const SqlConnection&) = delete;

    /// Checks a file before anything writes to it (the journal switch does).
    using Preflight = std::function<bool(const QSqlDatabase& db, QString* error)>;

    /// Opens the file, runs `preflight` (if any) and applies the pragmas every
    /// connection needs. On failure returns false and a message a person can act on.
    bool open(QString* error, const Preflight& preflight = {});
    bool isOpen() const;
    QSqlDatabase db() const;
    const QString& name() const { return m_name; }
    const QString& path() const { return m_path; }

private:
    bool applyJournalMode(const QSqlDatabase& db, QString* error) const;

    QString m_name;
    QString m_path;
    Role m_role;
    JournalMode m_journal;
};

/// Runs one statement that takes no parameters; false and a message on failure.
bool execSql(const QSqlDatabase& db, const QString& sql, QString* error);

} // namespace cqrs
