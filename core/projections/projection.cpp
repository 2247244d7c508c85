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
    // A string without its own (mutable, reference-counted) buffer points at
    // static text: a QStringLiteral. Strings built at run time may reuse a
    // freed buffer for other text, so they are always looked up by text.
    const bool literal = !sql.data_ptr().isMutable() && !sql.isEmpty();
    if (literal) {
        const auto known = m_literals.constFind(sql.constData());
        if (known != m_literals.constEnd() && known->size == sql.size())
            return *known->query;
    }
    std::shared_ptr<QSqlQuery>& query = m_statements[sql];
    if (!query) {
        query = std::make_shared<QSqlQuery>(m_db);
        query->prepare(qualified(sql));
    }
    if (literal)
        m_literals.insert(sql.constData(), Literal{sql.size(), query.get()});
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
