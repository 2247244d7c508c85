#pragma once

#include "events/event.h"
#include "projections/changeset.h"
#include "write/sqlitestatement.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include <memory>

namespace cqrs {

/// A connection plus its cache of prepared statements, handed to
/// projections. Bound to one connection and one thread.
///
/// Two kinds of statement: QSqlQuery (prepared()), for what runs once per
/// batch or less (savepoints, transactions, schema), and SqliteStatement
/// (statement()), SQLite's C API on the same connection's sqlite3 handle,
/// for what the projections run per event: binding through QSqlQuery cost
/// a QVariant per value and a UTF-16 conversion per text, a quarter of a
/// projector's time.
///
/// Lifetime: a SqliteStatement must be finalized before its connection is
/// closed (QSQLITE's close() finalizes its own queries, not these; with one
/// left, sqlite3_close() fails and the file stays open). So a SqlContext
/// must be destroyed before the connection it was given is closed. Every
/// owner does so: ProjectorGroup (m_sql is reset before m_connection, and
/// declared after it), ProjectionEngine::prepareStore() and replayTo()
/// (the context is a local declared after its SqlConnection), and the
/// inline hook (its context lives in the hook, which WriteModel drops
/// before its connection and CommandBus::setInlineHook() drops before it
/// DETACHes the read store).
class SqlContext final
{
public:
    explicit SqlContext(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }
    ~SqlContext()
    {
        m_literals.clear();
        m_statements.clear();
        m_nativeLiterals.clear();
        m_native.clear();
        m_failedNative.clear();
    }
    SqlContext(const SqlContext&) = delete;
    SqlContext& operator=(const SqlContext&) = delete;

    const QSqlDatabase& db() const { return m_db; }
    /// Qualifies the read tables (rv_*) in every statement with `schema`:
    /// for a connection on which the read store is ATTACHed. SQLite resolves
    /// unqualified names in main first, and main may hold rv_* tables of its
    /// own (left there while the architecture was Logical). Set it before
    /// the first statement.
    void setSchema(const QString& schema) { m_schema = schema; }
    QSqlQuery& prepared(const QString& sql);
    /// The same statement on SQLite's C API: prepared on first use (rv_*
    /// names qualified as by prepared()) and kept, except one that failed
    /// to prepare: that one is returned, its exec()/step() reports the error
    /// (naming the statement), and the next call for the same text prepares
    /// it again (the reference lasts until then; a cached one as long as this
    /// context). Bind, then exec(error) (which resets), or step() and reset().
    SqliteStatement& statement(const QString& sql);
    /// Executes a prepared query after its values are bound.
    bool exec(QSqlQuery& query, QString* error);
    bool exec(const QString& sql, QString* error);

private:
    QString qualified(const QString& sql) const;

    QSqlDatabase m_db;
    QString m_schema;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    /// The same statements by the address of their text, for texts that are
    /// QStringLiterals (static, never freed or reused): the projections ask
    /// for a statement per event, and hashing and comparing its whole text
    /// each time was a measurable part of a view's fold.
    struct Literal
    {
        qsizetype size = 0;
        QSqlQuery* query = nullptr;
    };
    QHash<const QChar*, Literal> m_literals;
    /// statement()'s cache, kept like the QSqlQuery one.
    QHash<QString, std::shared_ptr<SqliteStatement>> m_native;
    struct NativeLiteral
    {
        qsizetype size = 0;
        SqliteStatement* statement = nullptr;
    };
    QHash<const QChar*, NativeLiteral> m_nativeLiterals;
    /// Statements that did not prepare, until the next call for their text.
    QHash<QString, std::shared_ptr<SqliteStatement>> m_failedNative;
};

/// A projection folds events into denormalized read tables (all named
/// rv_*). It keeps no state of its own beyond one batch: everything is in
/// its tables, so the same projection can run in a projector, inside a
/// command transaction (synchronous mode) or into a scratch store (time
/// travel). Within a batch (ReadStore::applyBatch) a projection may gather
/// additive changes in apply() and write them in flush(), one statement per
/// row instead of one per event; the batch's checkpoint is stored after the
/// flush, in the same transaction.
class Projection
{
public:
    virtual ~Projection() = default;

    /// Stable identifier, used for checkpoints ("order_summary").
    virtual QString name() const = 0;
    /// For people ("Order summary").
    virtual QString title() const = 0;
    /// CREATE ... IF NOT EXISTS statements for its tables and indexes.
    virtual QStringList schema() const = 0;
    /// Its tables, emptied by a rebuild.
    virtual QStringList tables() const = 0;
    /// Folds one event; returns false with *error to stop the projection.
    virtual bool apply(SqlContext& sql, const Event& event, ChangeSet& changes, QString* error) = 0;
    /// Writes what apply() gathered; called once after the last apply() of
    /// a batch, before its checkpoint is stored.
    virtual bool flush(SqlContext& /*sql*/, QString* /*error*/) { return true; }
    /// Forgets what apply() gathered: the batch failed and is rolled back.
    virtual void discard() {}
    /// Whether a projector commits this view in a transaction of its own,
    /// after the others: for a view whose batches cost several times the
    /// others', which would otherwise become visible only with it.
    virtual bool commitsAlone() const { return false; }
    /// Upkeep after batches are committed, in a statement of its own, run by
    /// whoever committed them: the search index merges its FTS5 segments
    /// here rather than inside its commits. It is optional work: a failure
    /// leaves the view as it was and the next call tries again.
    virtual bool tidy(SqlContext& /*sql*/, QString* /*error*/) { return true; }
    /// A SELECT of its rows in a stable order, for comparisons in tests.
    virtual QString canonicalQuery() const = 0;
};

using ProjectionList = std::vector<std::unique_ptr<Projection>>;

/// The five views of CQRS Lab, in display order.
ProjectionList createProjections();

} // namespace cqrs
