#pragma once

#include "projections/projection.h"

namespace cqrs {

/// A full-text index (SQLite FTS5) over orders, customers and products, so
/// "alice mug" finds the orders of Alice that contain a mug.
class SearchIndexProjection final : public Projection
{
public:
    QString name() const override;
    QString title() const override;
    QStringList schema() const override;
    QStringList tables() const override;
    bool apply(SqlContext& sql, const Event& event, ChangeSet& changes, QString* error) override;
    bool flush(SqlContext& sql, QString* error) override;
    void discard() override { m_pending.clear(); }
    /// FTS5 writes a new index segment per transaction, which costs several
    /// times what the other views cost together: they commit first, and
    /// become visible sooner (docs/architecture.md, "Read store").
    bool commitsAlone() const override { return true; }
    /// FTS5's own merging (automerge, off in schema()) ran inside whichever
    /// commit crossed a threshold; tidy() merges after each commit instead,
    /// a budget proportional to what was written since the last call.
    bool tidy(SqlContext& sql, QString* error) override;
    QString canonicalQuery() const override;

private:
    /// New documents are written together, in one INSERT per batch: SQLite
    /// 3.40's FTS5 writes its pending terms out as a new segment at every
    /// savepoint, and each INSERT into a virtual table opens one (a statement
    /// journal). One INSERT per document wrote one tiny segment per order
    /// (and merged them again), a fifth of a projector's time at 5,000
    /// orders/s.
    struct Document
    {
        qint64 position = 0; // of the event it comes from
        EventType type = EventType::OrderPlaced;
        qint64 rowId = 0;
        QString kind;
        qint64 ref = 0;
        QString title;
        QString body;
    };
    QList<Document> m_pending;
    /// Documents written or changed since the last merge.
    qint64 m_unmerged = 0;

    static bool insertOne(SqlContext& sql, const Document& document, QString* error);
};

} // namespace cqrs
