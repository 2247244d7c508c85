#include "events/eventlogreader.h"
#include "util/threadaudit.h"

#include "util/sqlconnection.h"

#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>

namespace cqrs {

EventLogReader::EventLogReader(QString writeDbPath)
    : m_path(std::move(writeDbPath))
{
}

EventLogReader::~EventLogReader() = default;

void EventLogReader::close()
{
    m_after.reset();
    m_connection.reset();
}

bool EventLogReader::ensureOpen(QString* error)
{
    if (m_connection && m_connection->isOpen())
        return true;
    m_after.reset();
    m_connection = std::make_unique<SqlConnection>(QStringLiteral("eventlog"), m_path,
                                                   SqlConnection::Role::Reader);
    QString message;
    if (!m_connection->open(&message)) {
        m_connection.reset();
        if (error)
            *error = message;
        return false;
    }
    return true;
}

EventList EventLogReader::readAfter(qint64 after, int maxCount, QString* error)
{
    ThreadAudit::noteSql("EventLogReader::readAfter");
    EventList events;
    if (!ensureOpen(error))
        return events;
    if (!m_after) {
        m_after = std::make_unique<QSqlQuery>(m_connection->db());
        m_after->setForwardOnly(true);
        if (!m_after->prepare(QStringLiteral(
                "SELECT position, type, aggregate_id, CAST(payload AS BLOB), committed_at_ms, "
                "committed_mono_ns, CAST(command_id AS BLOB), origin "
                "FROM events WHERE position > ? ORDER BY position LIMIT ?"))) {
            if (error)
                *error = QStringLiteral("Cannot read the event log: %1").arg(m_after->lastError().text());
            m_after.reset();
            return events;
        }
    }
    QSqlQuery& query = *m_after;
    query.bindValue(0, after);
    query.bindValue(1, maxCount);
    if (!query.exec()) {
        if (error)
            *error = QStringLiteral("Cannot read the event log: %1").arg(query.lastError().text());
        query.finish();
        return events;
    }
    // Whatever way the loop ends, the statement lets go of its read snapshot.
    const auto done = qScopeGuard([&query] { query.finish(); });
    events.reserve(std::min(maxCount, 1'024));
    while (query.next()) {
        StoredEvent event;
        event.position = query.value(0).toLongLong();
        const QString typeName = query.value(1).toString();
        const auto type = eventTypeFromName(typeName);
        if (!type) {
            if (error)
                *error = QStringLiteral("Event %1 has an unknown type \"%2\"")
                             .arg(event.position)
                             .arg(typeName);
            return events; // stop before the event we cannot understand
        }
        event.type = *type;
        event.aggregateId = query.value(2).toLongLong();
        // The payload and the command id are read as their stored UTF-8
        // bytes (CAST AS BLOB): as TEXT, SQLite would convert them to UTF-16
        // for Qt and we would convert the payload back for the JSON parser.
        event.payload = query.value(3).toByteArray();
        event.committedAtMs = query.value(4).toLongLong();
        event.committedMonoNs = query.value(5).toLongLong();
        event.commandId = QUuid::fromString(QLatin1StringView(query.value(6).toByteArray()));
        event.origin = originFromName(query.value(7).toString()).value_or(CommandOrigin::Form);
        events.append(event.parsed());
    }
    return events;
}

qint64 EventLogReader::headPosition(QString* error)
{
    if (!ensureOpen(error))
        return -1;
    QSqlQuery query(m_connection->db());
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(position), 0) FROM events")) || !query.next()) {
        if (error)
            *error = QStringLiteral("Cannot read the event log: %1").arg(query.lastError().text());
        return -1;
    }
    return query.value(0).toLongLong();
}

qint64 EventLogReader::countOfType(qint64 after, qint64 upTo, EventType type, QString* error)
{
    ThreadAudit::noteSql("EventLogReader::countOfType");
    if (upTo <= after)
        return 0;
    if (!ensureOpen(error))
        return -1;
    QSqlQuery query(m_connection->db());
    query.prepare(QStringLiteral("SELECT count(*) FROM events WHERE position > ? AND position <= ? AND type = ?"));
    query.addBindValue(after);
    query.addBindValue(upTo);
    query.addBindValue(eventTypeName(type));
    if (!query.exec() || !query.next()) {
        if (error)
            *error = QStringLiteral("Cannot read the event log: %1").arg(query.lastError().text());
        return -1;
    }
    return query.value(0).toLongLong();
}

bool EventLogReader::commitTime(qint64 position, qint64* wallMs, qint64* monoNs, QString* error)
{
    ThreadAudit::noteSql("EventLogReader::commitTime");
    if (!ensureOpen(error))
        return false;
    QSqlQuery query(m_connection->db());
    query.prepare(QStringLiteral(
        "SELECT committed_at_ms, committed_mono_ns FROM events WHERE position = ?"));
    query.addBindValue(position);
    if (!query.exec()) {
        if (error)
            *error = query.lastError().text();
        return false;
    }
    if (!query.next())
        return false;
    *wallMs = query.value(0).toLongLong();
    *monoNs = query.value(1).toLongLong();
    return true;
}

} // namespace cqrs
