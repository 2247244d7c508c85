#include "projections/projection.h"

#include "projections/customerstatsprojection.h"
#include "projections/ordersummaryprojection.h"
#include "projections/productsalesprojection.h"
#include "projections/revenuetimelineprojection.h"
#include "projections/searchindexprojection.h"

#include <QSqlError>

namespace cqrs {

QSqlQuery& SqlContext::prepared(const QString& sql)
{
    std::shared_ptr<QSqlQuery>& query = m_statements[sql];
    if (!query) {
        query = std::make_shared<QSqlQuery>(m_db);
        query->prepare(sql);
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
    if (query.exec(sql))
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
