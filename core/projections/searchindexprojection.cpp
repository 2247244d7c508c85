#include "projections/searchindexprojection.h"

#include "projections/payload.h"

#include <QStringList>

namespace cqrs {

namespace {
// One FTS5 table holds three kinds of document; the rowid encodes which.
enum DocumentKind { OrderDocument = 0, CustomerDocument = 1, ProductDocument = 2 };
qint64 rowIdOf(DocumentKind kind, qint64 id) { return id * 4 + kind; }
} // namespace

QString SearchIndexProjection::name() const { return QStringLiteral("search_index"); }
QString SearchIndexProjection::title() const { return QStringLiteral("Search index"); }

QStringList SearchIndexProjection::schema() const
{
    return {QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS rv_search USING fts5("
                           " kind UNINDEXED, ref UNINDEXED, title, body,"
                           " tokenize = 'unicode61 remove_diacritics 2')")};
}

QStringList SearchIndexProjection::tables() const { return {QStringLiteral("rv_search")}; }

bool SearchIndexProjection::apply(SqlContext& sql, const Event& event, ChangeSet& changes,
                                  QString* error)
{
    const QJsonObject& p = event.payload;
    const auto add = [&](DocumentKind kind, const QString& kindName, const QString& title,
                         const QString& body) {
        SqliteStatement& insert = sql.statement(QStringLiteral(
            "INSERT INTO rv_search (rowid, kind, ref, title, body) VALUES (?, ?, ?, ?, ?)"));
        insert.bind(1, rowIdOf(kind, event.aggregateId))
            .bindTextOrNull(2, kindName)
            .bind(3, event.aggregateId)
            .bindTextOrNull(4, title)
            .bindTextOrNull(5, body);
        return insert.exec(error);
    };
    const auto tag = [&](DocumentKind kind, const QString& word) {
        SqliteStatement& append = sql.statement(
            QStringLiteral("UPDATE rv_search SET body = body || ' ' || ? WHERE rowid = ?"));
        append.bindTextOrNull(1, word).bind(2, rowIdOf(kind, event.aggregateId));
        return append.exec(error);
    };

    bool ok = true;
    switch (event.type) {
    case EventType::CustomerRegistered:
        ok = add(CustomerDocument, QStringLiteral("customer"), payload::text(p, "name"),
                 QStringList{payload::text(p, "email"), payload::text(p, "city")}.join(u' '));
        break;
    case EventType::ProductAdded:
        ok = add(ProductDocument, QStringLiteral("product"), payload::text(p, "name"),
                 QStringList{payload::text(p, "sku"), payload::text(p, "category")}.join(u' '));
        break;
    case EventType::OrderPlaced: {
        QStringList words{payload::text(p, "customerName")};
        for (const QJsonValue& value : payload::array(p, "lines")) {
            const QJsonObject line = value.toObject();
            words << payload::text(line, "name") << payload::text(line, "sku")
                  << payload::text(line, "category");
        }
        ok = add(OrderDocument, QStringLiteral("order"),
                 QStringLiteral("Order #%1").arg(event.aggregateId), words.join(u' '));
        break;
    }
    case EventType::OrderCancelled:
        ok = tag(OrderDocument, QStringLiteral("cancelled"));
        break;
    case EventType::ProductDiscontinued:
        ok = tag(ProductDocument, QStringLiteral("discontinued"));
        break;
    default:
        return true;
    }
    if (ok)
        changes.searchIndex = true;
    return ok;
}

QString SearchIndexProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT rowid, kind, ref, title, body FROM rv_search ORDER BY rowid");
}

} // namespace cqrs
