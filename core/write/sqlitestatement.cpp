#include "write/sqlitestatement.h"
#include "util/threadaudit.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <utility>

namespace cqrs {

sqlite3* SqliteStatement::handleOf(const QSqlDatabase& db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

namespace {

constexpr int finePolls = 20;
constexpr auto finePoll = std::chrono::microseconds(100);
constexpr auto coarsePoll = std::chrono::milliseconds(1);

// SQLite calls this with the number of times it already did for the same
// lock; the time waited is estimated from that, so no state is needed.
int waitForLock(void* timeoutMs, int calls)
{
    const qint64 waitedUs = calls < finePolls
                                ? calls * finePoll.count()
                                : finePolls * finePoll.count()
                                      + qint64(calls - finePolls) * 1000 * coarsePoll.count();
    if (waitedUs >= 1000 * qint64(reinterpret_cast<quintptr>(timeoutMs)))
        return 0; // give up: the statement fails with SQLITE_BUSY
    if (calls < finePolls)
        std::this_thread::sleep_for(finePoll);
    else
        std::this_thread::sleep_for(coarsePoll);
    return 1;
}

} // namespace

void SqliteStatement::setFineBusyWait(sqlite3* db, int timeoutMs)
{
    sqlite3_busy_handler(db, &waitForLock,
                         reinterpret_cast<void*>(quintptr(std::max(timeoutMs, 0))));
}

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql)
    : m_db(db)
    , m_sql(sql)
{
    prepare();
}

SqliteStatement::SqliteStatement(sqlite3* db, QByteArray sql)
    : m_db(db)
    , m_ownedSql(std::move(sql))
    , m_sql(m_ownedSql.constData())
{
    prepare();
}

void SqliteStatement::prepare()
{
    if (!m_db) {
        m_prepareError = QStringLiteral("no SQLite connection");
        return;
    }
    if (sqlite3_prepare_v3(m_db, m_sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        m_prepareError = QString::fromUtf8(sqlite3_errmsg(m_db));
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(m_stmt); }

SqliteStatement& SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

SqliteStatement& SqliteStatement::bindText(int index, QByteArrayView utf8)
{
    // A null view would bind SQL NULL; the NOT NULL text columns want ''.
    sqlite3_bind_text(m_stmt, index, utf8.data() ? utf8.data() : "", int(utf8.size()),
                      SQLITE_STATIC);
    return *this;
}

SqliteStatement& SqliteStatement::bindText(int index, QStringView text)
{
    sqlite3_bind_text16(m_stmt, index, text.utf16() ? static_cast<const void*>(text.utf16()) : "",
                        int(text.size() * 2), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement& SqliteStatement::bindTextOrNull(int index, const QString& text)
{
    return text.isNull() ? bindNull(index) : bindText(index, QStringView(text));
}

SqliteStatement& SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

SqliteStatement::Step SqliteStatement::step()
{
    ThreadAudit::noteSql("SqliteStatement::step");
    if (!m_stmt)
        return Step::Error;
    switch (sqlite3_step(m_stmt)) {
    case SQLITE_ROW:
        return Step::Row;
    case SQLITE_DONE:
        return Step::Done;
    default:
        return Step::Error;
    }
}

bool SqliteStatement::exec(QString* error)
{
    ThreadAudit::noteSql("SqliteStatement::exec");
    Step result = step();
    while (result == Step::Row)
        result = step();
    if (result == Step::Error && error)
        *error = this->error();
    reset();
    return result == Step::Done;
}

void SqliteStatement::reset()
{
    if (!m_stmt)
        return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

qint64 SqliteStatement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

QByteArrayView SqliteStatement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return QByteArrayView(data, sqlite3_column_bytes(m_stmt, column));
}

QString SqliteStatement::error() const
{
    const QString message = m_stmt ? QString::fromUtf8(sqlite3_errmsg(m_db)) : m_prepareError;
    return QStringLiteral("%1 (%2)").arg(message, QString::fromUtf8(m_sql));
}

qint64 SqliteStatement::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }

} // namespace cqrs
