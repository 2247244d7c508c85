#pragma once

// Helpers shared by the write-side tests (header-only, so every test stays one
// executable built from its own file):
//  - await(): the tests are GUI-less and the command bus answers from its own
//    thread, so blocking on a future is a condition wait, never a sleep;
//  - TempStore: a command bus on a fresh write.db inside a QTemporaryDir;
//  - StoreReader: a read connection of the test's own (what the read side or a
//    person with sqlite3 would see), used to snapshot and query the tables.

#include "commands/commandbus.h"

#include <QDir>
#include <QFuture>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariant>

#include <atomic>
#include <memory>

namespace cqrs::test {

/// Waits for a future answered by the command worker and returns its value.
template <typename T>
T await(QFuture<T> future)
{
    future.waitForFinished();
    return future.result();
}

/// Every write-side table, so a snapshot misses nothing a command could touch.
inline const QStringList& writeTables()
{
    static const QStringList tables{QStringLiteral("customers"),   QStringLiteral("products"),
                                    QStringLiteral("orders"),      QStringLiteral("order_lines"),
                                    QStringLiteral("events"),      QStringLiteral("processed_commands")};
    return tables;
}

/// The full contents of every table: table name -> rows in key order, each
/// row rendered as one string so QCOMPARE can show the first difference.
using StoreSnapshot = QMap<QString, QStringList>;

/// A read-only view of a write.db through a connection owned by the test
/// thread. The connection name is unique per instance and removed on
/// destruction, so tests can open several without clashing.
class StoreReader final
{
public:
    explicit StoreReader(const QString& path)
        : m_name(QStringLiteral("test-reader-%1").arg(nextId()))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        m_open = db.open();
        if (!m_open)
            m_error = db.lastError().text();
    }

    ~StoreReader()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }

    StoreReader(const StoreReader&) = delete;
    StoreReader& operator=(const StoreReader&) = delete;

    bool isOpen() const { return m_open; }
    const QString& lastError() const { return m_error; }

    /// All rows of `sql`, each as a list of column values (empty on error,
    /// with lastError() set).
    QList<QVariantList> rows(const QString& sql, const QVariantList& bindings = {})
    {
        QList<QVariantList> result;
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        query.setForwardOnly(true);
        query.prepare(sql);
        for (const QVariant& value : bindings)
            query.addBindValue(value);
        if (!query.exec()) {
            m_error = query.lastError().text();
            return result;
        }
        const int columns = query.record().count();
        while (query.next()) {
            QVariantList row;
            row.reserve(columns);
            for (int i = 0; i < columns; ++i)
                row.append(query.value(i));
            result.append(row);
        }
        return result;
    }

    /// The first column of the first row, or an invalid QVariant.
    QVariant scalar(const QString& sql, const QVariantList& bindings = {})
    {
        const QList<QVariantList> all = rows(sql, bindings);
        return all.isEmpty() || all.first().isEmpty() ? QVariant() : all.first().first();
    }

    qint64 count(const QString& table)
    {
        return scalar(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table)).toLongLong();
    }

    /// Every row of every write table, ordered by primary key (rowid tables)
    /// or by all columns (WITHOUT ROWID tables), so equal stores compare equal.
    StoreSnapshot snapshot()
    {
        StoreSnapshot snapshot;
        for (const QString& table : writeTables()) {
            QStringList rendered;
            for (const QVariantList& row : rows(QStringLiteral("SELECT * FROM %1 ORDER BY 1, 2").arg(table))) {
                QStringList cells;
                for (const QVariant& cell : row)
                    cells.append(cell.isNull() ? QStringLiteral("NULL") : cell.toString());
                rendered.append(cells.join(u'|'));
            }
            snapshot.insert(table, rendered);
        }
        return snapshot;
    }

    /// Event positions in order (the log must be exactly 1..N).
    QList<qint64> positions()
    {
        QList<qint64> result;
        for (const QVariantList& row : rows(QStringLiteral("SELECT position FROM events ORDER BY position")))
            result.append(row.first().toLongLong());
        return result;
    }

    QJsonObject eventPayload(qint64 position)
    {
        return QJsonDocument::fromJson(
                   scalar(QStringLiteral("SELECT payload FROM events WHERE position = ?"), {position})
                       .toByteArray())
            .object();
    }

    QString eventType(qint64 position)
    {
        return scalar(QStringLiteral("SELECT type FROM events WHERE position = ?"), {position}).toString();
    }

    int productStock(qint64 productId)
    {
        return scalar(QStringLiteral("SELECT stock FROM products WHERE id = ?"), {productId}).toInt();
    }

private:
    static int nextId()
    {
        static std::atomic<int> counter{0};
        return counter.fetch_add(1);
    }

    QString m_name;
    bool m_open = false;
    QString m_error;
};

/// A command bus on write.db in a fresh temporary directory, removed with it.
class TempStore final
{
public:
    explicit TempStore(bool seedDemoData = true, int maxGroupSize = 64)
    {
        m_config.writeDbPath = m_dir.filePath(QStringLiteral("write.db"));
        m_config.seedDemoData = seedDemoData;
        m_config.maxGroupSize = maxGroupSize;
    }

    ~TempStore() { closeBus(); }

    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;

    bool dirValid() const { return m_dir.isValid(); }
    QString path() const { return m_config.writeDbPath; }
    QString dirPath() const { return m_dir.path(); }
    StoreConfig& config() { return m_config; }

    /// Opens a new bus on the file (after closeBus(), this is a reopen).
    StoreInfo open()
    {
        m_bus = std::make_unique<CommandBus>();
        m_info = await(m_bus->open(m_config));
        return m_info;
    }

    /// Closes the bus: it answers everything queued, then releases the file.
    void closeBus()
    {
        if (m_bus)
            m_bus->close();
        m_bus.reset();
    }

    CommandBus& bus() { return *m_bus; }
    const StoreInfo& info() const { return m_info; }

    /// Submits one command and waits for its answer.
    CommandResult run(const Command& command) { return await(m_bus->submit(command)); }

private:
    QTemporaryDir m_dir;
    StoreConfig m_config;
    std::unique_ptr<CommandBus> m_bus;
    StoreInfo m_info;
};

/// A command meta marked as coming from a test, with a fresh id.
inline CommandMeta testMeta()
{
    return CommandMeta{newCommandId(), CommandOrigin::Test};
}

inline PlaceOrder order(qint64 customerId, QList<OrderLineRequest> lines)
{
    return PlaceOrder{testMeta(), customerId, std::move(lines)};
}

inline OrderLineRequest line(qint64 productId, int quantity,
                             std::optional<qint64> shownUnitPriceCents = std::nullopt)
{
    return OrderLineRequest{productId, quantity, shownUnitPriceCents};
}

inline QString statusName(CommandResult::Status status)
{
    switch (status) {
    case CommandResult::Status::Accepted:
        return QStringLiteral("Accepted");
    case CommandResult::Status::Rejected:
        return QStringLiteral("Rejected");
    case CommandResult::Status::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

} // namespace cqrs::test
