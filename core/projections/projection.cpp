#include "projections/projection.h"

#include "projections/customerstatsprojection.h"
#include "projections/ordersummaryprojection.h"
#include "projections/productsalesprojection.h"
#include "projections/revenuetimelineprojection.h"
#include "projections/searchindexprojection.h"

#include <QRegularExpression>
#include <QSqlError>

namespace cqrs {

QString SqlContext::qualified(const QString& sql) const
{
    if (m_schema.isEmpty())
        return sql;
    static const QRegularExpression readTable(QStringLiteral("(?<![\\w.])(rv_\\w+)"));
    QString result = sql;
    result.replace(readTable, m_schema + QStringLiteral(".\\1"));
    return result;
}

QSqlQuery& SqlContext::prepared(const QString& sql)
{
    std::shared_ptr<QSqlQuery>& query = m_statements[sql];
    if (!query) {
        query = std::make_shared<QSqlQuery>(m_db);
        query->prepare(qualified(sql));
    }
    return *query;
}

bool SqlContext::exec(QSqlQuery& query, QString* error)
{
    if (query.exec())
        return true;
    if (error)
        *error = query.lastError().text();
    return false;
}

bool SqlContext::exec(const QString& sql, QString* error)
{
    QSqlQuery query(m_db);
    if (query.exec(qualified(sql)))
        return true;
    if (error)
        *error = QStringLiteral("%1 (%2)").arg(query.lastError().text(), sql.left(60));
    return false;
}

ProjectionList createProjections()
{
    ProjectionList list;
    list.push_back(std::make_unique<OrderSummaryProjection>());
    list.push_back(std::make_unique<CustomerStatsProjection>());
    list.push_back(std::make_unique<ProductSalesProjection>());
    list.push_back(std::make_unique<RevenueTimelineProjection>());
    list.push_back(std::make_unique<SearchIndexProjection>());
    return list;
}

} // namespace cqrs
