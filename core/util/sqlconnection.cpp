#include "util/sqlconnection.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace cqrs {

namespace {
QAtomicInteger<quint64> connectionCounter;
}

SqlConnection::SqlConnection(const QString& purpose, const QString& path, Role role)
    : m_name(QStringLiteral("%1-%2").arg(purpose).arg(connectionCounter.fetchAndAddRelaxed(1)))
    , m_path(path)
    , m_role(role)
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

bool SqlConnection::open(QString* error)
{
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
    QStringList pragmas{QStringLiteral("PRAGMA foreign_keys = ON"),
                        QStringLiteral("PRAGMA synchronous = NORMAL"),
                        QStringLiteral("PRAGMA temp_store = MEMORY")};
    if (m_role == Role::Writer)
        pragmas.prepend(QStringLiteral("PRAGMA journal_mode = WAL"));
    for (const QString& pragma : pragmas) {
        if (!execSql(db, pragma, error))
            return false;
    }
    return true;
}

bool SqlConnection::isOpen() const
{
    return QSqlDatabase::contains(m_name) && QSqlDatabase::database(m_name, false).isOpen();
}

QSqlDatabase SqlConnection::db() const { return QSqlDatabase::database(m_name, false); }

bool execSql(const QSqlDatabase& db, const QString& sql, QString* error)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        if (error)
            *error = QStringLiteral("SQL failed (%1): %2").arg(sql.left(80), query.lastError().text());
        return false;
    }
    return true;
}

} // namespace cqrs
