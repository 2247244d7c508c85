#include "rawstatement.h"

#include "rawdatabase.h"

#include <sqlite3.h>

namespace cqrs::bench {

RawStatement::RawStatement(RawDatabase& db, const char* sql)
    : m_db(db)
    , m_sql(sql)
{
    if (sqlite3_prepare_v3(db.handle(), sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr)
        != SQLITE_OK)
        throw BenchError(QStringLiteral("prepare %1: %2").arg(QString::fromUtf8(sql), db.errorMessage()));
}

RawStatement::~RawStatement() { sqlite3_finalize(m_stmt); }

RawStatement& RawStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

RawStatement& RawStatement::bind(int index, std::string_view utf8)
{
    sqlite3_bind_text(m_stmt, index, utf8.data(), int(utf8.size()), SQLITE_STATIC);
    return *this;
}

bool RawStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const QString message = m_db.errorMessage();
    sqlite3_reset(m_stmt);
    throw BenchError(QStringLiteral("step %1: %2").arg(QString::fromUtf8(m_sql), message));
}

void RawStatement::run()
{
    while (step()) {
    }
    reset();
}

void RawStatement::reset() { sqlite3_reset(m_stmt); }

qint64 RawStatement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }

std::string_view RawStatement::text(int column) const
{
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return data ? std::string_view(data, size_t(sqlite3_column_bytes(m_stmt, column)))
                : std::string_view();
}

bool RawStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

} // namespace cqrs::bench
