#include "write/preparedqueries.h"

#include "util/sqlconnection.h"

#include <QSqlError>

namespace cqrs {

PreparedQueries::PreparedQueries(const SqlConnection& connection)
    : m_connection(connection)
{
}

PreparedQueries::~PreparedQueries() = default;

QSqlQuery& PreparedQueries::prepared(const QString& sql)
{
    std::shared_ptr<QSqlQuery>& query = m_queries[sql];
    if (!query) {
        auto fresh = std::make_shared<QSqlQuery>(m_connection.db());
        if (!fresh->prepare(sql)) {
            m_failed = std::move(fresh);
            m_queries.remove(sql);
            return *m_failed;
        }
        query = std::move(fresh);
    }
    return *query;
}

bool PreparedQueries::run(QSqlQuery& query, QString* error)
{
    if (query.exec())
        return true;
    *error = query.lastError().text();
    return false;
}

} // namespace cqrs
