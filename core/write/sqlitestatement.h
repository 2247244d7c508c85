#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

struct sqlite3;
struct sqlite3_stmt;
class QSqlDatabase;

namespace cqrs {

/// A statement prepared once on the write connection through SQLite's C API,
/// for the handful of statements every command runs (idempotency check,
/// savepoints, the order rows, the event, the idempotency row), and on any
/// connection for the projections' per-event statements (SqlContext::statement).
///
/// The connection stays Qt's: the handle comes from QSqlDriver::handle() of
/// the QSQLITE connection (Debian's driver links the system libsqlite3, the
/// one this library links), on the thread that owns it. Binding through
/// QSqlQuery cost a QVariant per value, a UTF-8 -> UTF-16 -> UTF-8 round trip
/// per text and several allocations per exec: more CPU per order than SQLite
/// spent. Everything else keeps using QSqlQuery.
///
/// Use: bind (1-based), step() or exec(), and reset() before the next use
/// (exec() resets by itself). A statement must be destroyed before its
/// connection is closed.
class SqliteStatement final
{
public:
    enum class Step { Row, Done, Error };

    /// The sqlite3 handle of an open QSQLITE connection, or nullptr.
    static sqlite3* handleOf(const QSqlDatabase& db);

    /// Makes a connection that finds the database locked retry in fine
    /// steps (100 µs, then 1 ms) for up to `timeoutMs` in all, instead of
    /// SQLite's own busy handler, whose coarse sleeps made commits wait
    /// several times as long as a short lock was held (docs/architecture.md,
    /// "Group commit"). Here because this class is the one that talks to
    /// the C API.
    static void setFineBusyWait(sqlite3* db, int timeoutMs);

    /// Prepares `sql`, which must outlive the statement (a literal); on
    /// failure isValid() is false and error() says why.
    SqliteStatement(sqlite3* db, const char* sql);
    /// The same for UTF-8 text built at run time; the statement keeps it.
    SqliteStatement(sqlite3* db, QByteArray sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    bool isValid() const { return m_stmt != nullptr; }

    SqliteStatement& bind(int index, qint64 value);
    /// Binds UTF-8 text without copying: the bytes must stay alive and
    /// unchanged until the statement is reset.
    SqliteStatement& bindText(int index, QByteArrayView utf8);
    /// Binds UTF-16 text, copied by SQLite (as QSqlQuery binds a QString).
    SqliteStatement& bindText(int index, QStringView text);
    /// Binds a QString exactly as QSqlQuery::addBindValue() does: a null
    /// QString (what QJsonValue::toString() gives for a missing key) as SQL
    /// NULL, any other as UTF-16 text, copied by SQLite.
    SqliteStatement& bindTextOrNull(int index, const QString& text);
    SqliteStatement& bindNull(int index);

    Step step();
    /// Steps to the end and resets; false (with *error set) on failure.
    bool exec(QString* error);
    /// Resets and clears the bindings.
    void reset();

    qint64 int64(int column) const;
    bool isNull(int column) const;
    /// UTF-8 text of a column of the current row; valid until the next step or reset.
    QByteArrayView text(int column) const;

    /// SQLite's message for the last failure, with the statement.
    QString error() const;
    /// Rowid of the last INSERT on this connection.
    qint64 lastInsertRowId() const;

private:
    void prepare();

    sqlite3* m_db;
    QByteArray m_ownedSql; // the text when it was not a literal
    const char* m_sql;
    sqlite3_stmt* m_stmt = nullptr;
    QString m_prepareError;
};

} // namespace cqrs
