#include "rawdatabase.h"

#include <sqlite3.h>

namespace cqrs::bench {

RawDatabase::RawDatabase(const QString& path)
{
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        const QString message = m_db ? errorMessage() : QString::fromLatin1(sqlite3_errstr(rc));
        sqlite3_close(m_db);
        m_db = nullptr;
        throw BenchError(QStringLiteral("sqlite3_open %1: %2").arg(path, message));
    }
    sqlite3_busy_timeout(m_db, 10'000);
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA synchronous = NORMAL");
    exec("PRAGMA temp_store = MEMORY");
}

RawDatabase::~RawDatabase()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

void RawDatabase::exec(const char* sql)
{
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const QString text = QString::fromUtf8(message ? message : "unknown error");
        sqlite3_free(message);
        throw BenchError(QStringLiteral("%1: %2").arg(QString::fromUtf8(sql), text));
    }
}

qint64 RawDatabase::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }

QString RawDatabase::errorMessage() const { return QString::fromUtf8(sqlite3_errmsg(m_db)); }

} // namespace cqrs::bench
