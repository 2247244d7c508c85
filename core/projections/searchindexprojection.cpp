#include "projections/searchindexprojection.h"

#include "projections/payload.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <algorithm>
#include <utility>

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
                           " tokenize = 'unicode61 remove_diacritics 2')"),
            // A configuration stored in the table. The column that takes
            // FTS5's commands is named after the table; in upper case it is
            // not mistaken for a table to qualify (SqlContext::setSchema).
            QStringLiteral("INSERT INTO rv_search (RV_SEARCH, rank) VALUES ('automerge', 0)")};
}

QStringList SearchIndexProjection::tables() const { return {QStringLiteral("rv_search")}; }

bool SearchIndexProjection::apply(SqlContext& sql, const Event& event, ChangeSet& changes,
                                  QString* error)
{
    const QJsonObject& p = event.payload;
    const auto add = [&](DocumentKind kind, const QString& kindName, const QString& title,
                         const QString& body) {
        m_pending.append({event.position, event.type, rowIdOf(kind, event.aggregateId), kindName,
                          event.aggregateId, title, body});
        return true;
    };
    const auto tag = [&](DocumentKind kind, const QString& word) {
        // The document may be among the pending ones: write them first.
        if (!flush(sql, error))
            return false;
        SqliteStatement& append = sql.statement(
            QStringLiteral("UPDATE rv_search SET body = body || ' ' || ? WHERE rowid = ?"));
        append.bindTextOrNull(1, word).bind(2, rowIdOf(kind, event.aggregateId));
        if (!append.exec(error))
            return false;
        ++m_unmerged;
        return true;
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

bool SearchIndexProjection::flush(SqlContext& sql, QString* error)
{
    if (m_pending.isEmpty())
        return true;
    const QList<Document> documents = std::exchange(m_pending, {});
    m_unmerged += documents.size();
    if (documents.size() == 1)
        return insertOne(sql, documents.first(), error);
    // All of them in one statement, as rows of a JSON array, in order.
    // A null text stays NULL, as bindTextOrNull() binds it.
    const auto text = [](const QString& s) { return s.isNull() ? QJsonValue() : QJsonValue(s); };
    QJsonArray rows;
    for (const Document& d : documents)
        rows.append(QJsonArray{d.rowId, text(d.kind), d.ref, text(d.title), text(d.body)});
    const QByteArray json = QJsonDocument(rows).toJson(QJsonDocument::Compact);
    SqliteStatement& insert = sql.statement(QStringLiteral(
        "INSERT INTO rv_search (rowid, kind, ref, title, body) "
        "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)"));
    insert.bindText(1, QByteArrayView(json));
    if (insert.exec(error))
        return true;
    // The failed statement wrote nothing (SQLite undid it). Insert them one
    // by one to name the event whose document cannot be written.
    for (const Document& d : documents) {
        if (!insertOne(sql, d, error))
            return false;
    }
    return true; // they failed only together (all are in now)
}

bool SearchIndexProjection::insertOne(SqlContext& sql, const Document& d, QString* error)
{
    SqliteStatement& insert = sql.statement(QStringLiteral(
        "INSERT INTO rv_search (rowid, kind, ref, title, body) VALUES (?, ?, ?, ?, ?)"));
    insert.bind(1, d.rowId).bindTextOrNull(2, d.kind).bind(3, d.ref).bindTextOrNull(4, d.title).bindTextOrNull(5, d.body);
    QString reason;
    if (insert.exec(&reason))
        return true;
    *error = QStringLiteral("Event #%1 (%2) could not be added to the search index: %3")
                 .arg(d.position)
                 .arg(eventTypeName(d.type), reason);
    return false;
}

bool SearchIndexProjection::tidy(SqlContext& sql, QString* error)
{
    if (m_unmerged == 0)
        return true;
    // About N pages of merged output, and only where a level has gathered
    // enough segments ('usermerge', 4); otherwise nothing, at once. Two pages
    // per document keeps the levels as short as automerge did (measured with
    // 5-500 documents per commit), in steps of ~0.1-2 ms.
    SqliteStatement& merge = sql.statement(
        QStringLiteral("INSERT INTO rv_search (RV_SEARCH, rank) VALUES ('merge', ?)"));
    merge.bind(1, std::max<qint64>(16, 2 * m_unmerged));
    if (!merge.exec(error))
        return false;
    m_unmerged = 0;
    return true;
}

QString SearchIndexProjection::canonicalQuery() const
{
    return QStringLiteral("SELECT rowid, kind, ref, title, body FROM rv_search ORDER BY rowid");
}

} // namespace cqrs
