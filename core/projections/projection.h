#pragma once

#include "events/event.h"
#include "projections/changeset.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include <memory>

namespace cqrs {

/// A connection plus its cache of prepared statements, handed to
/// projections. Bound to one connection and one thread.
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
    /// A SELECT of its rows in a stable order, for comparisons in tests.
    virtual QString canonicalQuery() const = 0;
};

using ProjectionList = std::vector<std::unique_ptr<Projection>>;

/// The five views of CQRS Lab, in display order.
ProjectionList createProjections();

} // namespace cqrs
