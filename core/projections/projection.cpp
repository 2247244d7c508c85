#include "projections/projection.h"
#include "util/threadaudit.h"

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

SqliteStatement& SqlContext::statement(const QString& sql)
{
    // Same literal rule as prepared().
    const bool literal = !sql.data_ptr().isMutable() && !sql.isEmpty();
    if (literal) {
        const auto known = m_nativeLiterals.constFind(sql.constData());
        if (known != m_nativeLiterals.constEnd() && known->size == sql.size())
            return *known->statement;
    }
    if (const auto cached = m_native.constFind(sql); cached != m_native.constEnd()) {
        if (literal)
            m_nativeLiterals.insert(sql.constData(), NativeLiteral{sql.size(), cached->get()});
        return **cached;
    }
    // The handle is asked for here, not kept: it is the connection's as long
    // as the connection is open, which this context's life is within.
    auto fresh = std::make_shared<SqliteStatement>(SqliteStatement::handleOf(m_db),
                                                   qualified(sql).toUtf8());
    if (!fresh->isValid()) {
        // Not cached: the table may not exist yet (a store being prepared)
        // or the read store may not be attached yet; the next call for the
        // same text tries again. Kept per text until then, so a reference
        // to another statement that failed stays valid.
        std::shared_ptr<SqliteStatement>& failed = m_failedNative[sql];
        failed = std::move(fresh);
        return *failed;
    }
    m_failedNative.remove(sql);
    m_native.insert(sql, fresh);
    if (literal)
        m_nativeLiterals.insert(sql.constData(), NativeLiteral{sql.size(), fresh.get()});
    return *fresh;
}

bool SqlContext::exec(QSqlQuery& query, QString* error)
{
    ThreadAudit::noteSql("SqlContext::exec");
    if (query.exec())
        return true;
    if (error)
        *error = query.lastError().text();
    return false;
}

bool SqlContext::exec(const QString& sql, QString* error)
{
    ThreadAudit::noteSql("SqlContext::exec");
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
