#include "write/writeschema.h"

#include "util/sqlconnection.h"

#include <QFileInfo>
#include <QSqlQuery>
#include <QStringList>

namespace cqrs::WriteSchema {

namespace {

// Each entry takes the store from version i to i + 1. Never edit a released
// step; append a new one.
QStringList migrationStep(int fromVersion)
{
    switch (fromVersion) {
    case 0:
        return {
            QStringLiteral("CREATE TABLE customers ("
                           " id INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL CHECK (length(name) > 0),"
                           " email TEXT NOT NULL,"
                           " city TEXT NOT NULL DEFAULT '',"
                           " registered_at_ms INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE products ("
                           " id INTEGER PRIMARY KEY,"
                           " sku TEXT NOT NULL UNIQUE,"
                           " name TEXT NOT NULL CHECK (length(name) > 0),"
                           " category TEXT NOT NULL,"
                           " price_cents INTEGER NOT NULL CHECK (price_cents > 0),"
                           " stock INTEGER NOT NULL CHECK (stock >= 0),"
                           " discontinued INTEGER NOT NULL DEFAULT 0,"
                           " version INTEGER NOT NULL DEFAULT 1)"),
            QStringLiteral("CREATE TABLE orders ("
                           " id INTEGER PRIMARY KEY,"
                           " customer_id INTEGER NOT NULL REFERENCES customers(id),"
                           " status TEXT NOT NULL CHECK (status IN ('placed', 'cancelled')),"
                           " placed_at_ms INTEGER NOT NULL,"
                           " total_cents INTEGER NOT NULL,"
                           " cancelled_at_ms INTEGER)"),
            QStringLiteral("CREATE INDEX orders_by_customer ON orders(customer_id)"),
            QStringLiteral("CREATE TABLE order_lines ("
                           " order_id INTEGER NOT NULL REFERENCES orders(id),"
                           " line_no INTEGER NOT NULL,"
                           " product_id INTEGER NOT NULL REFERENCES products(id),"
                           " quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100),"
                           " unit_price_cents INTEGER NOT NULL,"
                           " PRIMARY KEY (order_id, line_no)) WITHOUT ROWID"),
            QStringLiteral("CREATE INDEX order_lines_by_product ON order_lines(product_id)"),
            // The transactional outbox: appended in the same transaction as
            // the state change it describes.
            QStringLiteral("CREATE TABLE events ("
                           " position INTEGER PRIMARY KEY,"
                           " type TEXT NOT NULL,"
                           " aggregate_id INTEGER NOT NULL,"
                           " payload TEXT NOT NULL,"
                           " committed_at_ms INTEGER NOT NULL,"
                           " committed_mono_ns INTEGER NOT NULL,"
                           " command_id TEXT NOT NULL,"
                           " origin TEXT NOT NULL)"),
            // Idempotency: the first answer to each accepted command id.
            QStringLiteral("CREATE TABLE processed_commands ("
                           " command_id TEXT PRIMARY KEY,"
                           " kind TEXT NOT NULL,"
                           " result TEXT NOT NULL,"
                           " processed_at_ms INTEGER NOT NULL) WITHOUT ROWID"),
        };
    default:
        return {};
    }
}

/// The store's `PRAGMA user_version`, or -1 with `error` set.
int readVersion(const QSqlDatabase& db, const QString& path, QString* error)
{
    QSqlQuery versionQuery(db);
    if (!versionQuery.exec(QStringLiteral("PRAGMA user_version")) || !versionQuery.next()) {
        *error = QStringLiteral("%1 is not a CQRS Lab database (cannot read its schema version).")
                     .arg(QFileInfo(path).absoluteFilePath());
        return -1;
    }
    const int version = versionQuery.value(0).toInt();
    versionQuery.finish();
    if (version > currentVersion) {
        *error = QStringLiteral("%1 was written by a newer CQRS Lab (schema version %2; this build "
                                "understands up to version %3). Open it with a newer build, or "
                                "choose another data directory with --db-dir.")
                     .arg(QFileInfo(path).absoluteFilePath())
                     .arg(version)
                     .arg(currentVersion);
        return -1;
    }
    return version;
}
} // namespace

bool checkVersion(const QSqlDatabase& db, const QString& path, QString* error)
{
    return readVersion(db, path, error) >= 0;
}

bool migrate(const QSqlDatabase& db, const QString& path, QString* error)
{
    int version = readVersion(db, path, error);
    if (version < 0)
        return false;
    while (version < currentVersion) {
        if (!execSql(db, QStringLiteral("BEGIN IMMEDIATE"), error))
            return false;
        QStringList statements = migrationStep(version);
        statements.append(QStringLiteral("PRAGMA user_version = %1").arg(version + 1));
        for (const QString& statement : statements) {
            if (!execSql(db, statement, error)) {
                execSql(db, QStringLiteral("ROLLBACK"), nullptr);
                *error = QStringLiteral("Upgrading %1 to schema version %2 failed: %3")
                             .arg(QFileInfo(path).absoluteFilePath())
                             .arg(version + 1)
                             .arg(*error);
                return false;
            }
        }
        if (!execSql(db, QStringLiteral("COMMIT"), error))
            return false;
        ++version;
    }
    return true;
}

} // namespace cqrs::WriteSchema
