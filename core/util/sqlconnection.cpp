#include "util/sqlconnection.h"
#include "util/threadaudit.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace cqrs {

namespace {
QAtomicInteger<quint64> connectionCounter;

/// SQLite's heap for the whole process (page caches, schemas, statements).
/// Each of the dozen connections would otherwise grow its page cache with
/// the files (docs/benchmarks.md, target 7); past this soft limit SQLite
/// recycles cache pages instead. The hot pages fit easily.
constexpr qint64 sqliteSoftHeapLimitBytes = 6 * 1024 * 1024;
}

QString journalModeName(JournalMode mode)
{
    return mode == JournalMode::Rollback ? QStringLiteral("rollback") : QStringLiteral("wal");
}

SqlConnection::SqlConnection(const QString& purpose, const QString& path, Role role, JournalMode journal)
    : m_name(QStringLiteral("%1-%2").arg(purpose).arg(connectionCounter.fetchAndAddRelaxed(1)))
    , m_path(path)
    , m_role(role)
    , m_journal(journal)
{
}

SqlConnection::~SqlConnection()
{
    if (QSqlDatabase::contains(m_name)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
}

bool SqlConnection::open(QString* error, const Preflight& preflight)
{
    ThreadAudit::noteSql("SqlConnection::open");
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    if (!db.isValid()) {
        *error = QStringLiteral("Qt's SQLite driver (QSQLITE) is not available; install "
                                "libqt6sql6-sqlite.");
        return false;
    }
    db.setDatabaseName(m_path);
    // Writers wait for a busy lock rather than fail; readers likewise.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open()) {
        *error = QStringLiteral("Cannot open the database %1: %2")
                     .arg(QFileInfo(m_path).absoluteFilePath(), db.lastError().text());
        return false;
    }
    if (preflight && !preflight(db, error))
        return false;
    if (m_role == Role::Writer && !applyJournalMode(db, error))
        return false;
    const QStringList pragmas{QStringLiteral("PRAGMA soft_heap_limit = %1").arg(sqliteSoftHeapLimitBytes),
                              QStringLiteral("PRAGMA foreign_keys = ON"),
                              // WAL is safe with NORMAL; the rollback journal needs FULL
                              // (SQLite's default there) to survive a power cut.
                              m_role == Role::Writer && m_journal == JournalMode::Rollback
                                  ? QStringLiteral("PRAGMA synchronous = FULL")
                                  : QStringLiteral("PRAGMA synchronous = NORMAL"),
                              QStringLiteral("PRAGMA temp_store = MEMORY")};
    for (const QString& pragma : pragmas) {
        if (!execSql(db, pragma, error))
            return false;
    }
    return true;
}

bool SqlConnection::applyJournalMode(const QSqlDatabase& db, QString* error) const
{
    // SQLite answers with the mode the file is in afterwards; a file in WAL
    // mode only leaves it when no other connection has it open.
    const bool wal = m_journal == JournalMode::WriteAheadLog;
    const QString file = QFileInfo(m_path).absoluteFilePath();
    const QString heldOpen = QStringLiteral(
                                 "%1 cannot switch to the rollback journal CRUD mode uses while another "
                                 "program has it open. Close that program (or the other CQRS Lab window), "
                                 "or choose a CQRS mode.")
                                 .arg(file);
    QSqlQuery query(db);
    if (!query.exec(wal ? QStringLiteral("PRAGMA journal_mode = WAL") : QStringLiteral("PRAGMA journal_mode = DELETE"))
        || !query.next()) {
        // SQLITE_BUSY: another connection keeps the file in WAL mode.
        const bool busy = query.lastError().nativeErrorCode() == QStringLiteral("5");
        *error = !wal && busy ? heldOpen
                              : QStringLiteral("Cannot set the journal mode of %1: %2").arg(file, query.lastError().text());
        return false;
    }
    const QString mode = query.value(0).toString().toLower();
    if (mode == (wal ? QStringLiteral("wal") : QStringLiteral("delete")))
        return true;
    *error = wal ? QStringLiteral("%1 cannot use a write-ahead log (SQLite kept journal mode \"%2\"). "
                                  "Is it on a network file system? Choose a local folder.")
                       .arg(file, mode)
                 : heldOpen;
    return false;
}

bool SqlConnection::isOpen() const
{
    return QSqlDatabase::contains(m_name) && QSqlDatabase::database(m_name, false).isOpen();
}

QSqlDatabase SqlConnection::db() const { return QSqlDatabase::database(m_name, false); }

bool execSql(const QSqlDatabase& db, const QString& sql, QString* error)
{
    ThreadAudit::noteSql("execSql");
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        if (error)
            *error = QStringLiteral("SQL failed (%1): %2").arg(sql.left(80), query.lastError().text());
        return false;
    }
    return true;
}

} // namespace cqrs
