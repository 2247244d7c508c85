#pragma once

#include "events/event.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include <deque>

namespace cqrs::ui {

/// The newest events of the log (newest first, capped), and for each
/// projection whether it has applied them yet.
class EventStreamModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum ColumnId { PositionColumn, TypeColumn, OriginColumn, SummaryColumn, CommittedColumn, FirstProjectionColumn };

    explicit EventStreamModel(QStringList projectionTitles, int capacity = 500, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// New events, oldest first (as the log delivers them).
    void appendEvents(const EventList& events);
    /// Checkpoints per projection, in the order of the titles.
    void setCheckpoints(const QList<qint64>& checkpoints);
    void clear();

private:
    QStringList m_titles;
    int m_capacity;
    std::deque<Event> m_events; // newest first
    QList<qint64> m_checkpoints;
};

} // namespace cqrs::ui
