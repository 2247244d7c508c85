#include "ui/eventstreammodel.h"

#include "ui/rowtablemodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace cqrs::ui {

EventStreamModel::EventStreamModel(QStringList projectionTitles, int capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_titles(std::move(projectionTitles))
    , m_capacity(std::max(1, capacity))
    , m_checkpoints(m_titles.size(), 0)
{
}

int EventStreamModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventStreamModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FirstProjectionColumn + int(m_titles.size());
}

QVariant EventStreamModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section >= FirstProjectionColumn && section < columnCount())
        return tr("Has the %1 view applied this event?").arg(m_titles.at(section - FirstProjectionColumn));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PositionColumn:
        return tr("Position");
    case TypeColumn:
        return tr("Event");
    case OriginColumn:
        return tr("From");
    case SummaryColumn:
        return tr("Summary");
    case CommittedColumn:
        return tr("Committed");
    default:
        if (section >= FirstProjectionColumn && section < columnCount())
            return m_titles.at(section - FirstProjectionColumn);
        return {};
    }
}

QVariant EventStreamModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event& event = m_events.at(size_t(index.row()));
    const int column = index.column();
    if (column >= FirstProjectionColumn) {
        const bool applied = m_checkpoints.value(column - FirstProjectionColumn) >= event.position;
        switch (role) {
        case Qt::DisplayRole:
            return applied ? QStringLiteral("✓") : QStringLiteral("…");
        case Qt::ForegroundRole:
            return QBrush(applied ? QColor(0x1e, 0x7e, 0x34) : QColor(0xb3, 0x6b, 0x00));
        case Qt::TextAlignmentRole:
            return QVariant::fromValue(Qt::AlignCenter);
        case SortRole:
            return applied;
        case Qt::ToolTipRole:
            return applied ? tr("Applied") : tr("Not applied yet");
        default:
            return {};
        }
    }
    if (role == Qt::DisplayRole || role == SortRole) {
        switch (column) {
        case PositionColumn:
            return event.position;
        case TypeColumn:
            return eventTypeName(event.type);
        case OriginColumn:
            return originName(event.origin);
        case SummaryColumn:
            return event.summary();
        case CommittedColumn:
            if (role == SortRole)
                return event.committedAtMs;
            return QDateTime::fromMSecsSinceEpoch(event.committedAtMs).toString(QStringLiteral("HH:mm:ss.zzz"));
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && (column == PositionColumn || column == CommittedColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == KeyRole)
        return event.position;
    return {};
}

void EventStreamModel::appendEvents(const EventList& events)
{
    if (events.isEmpty())
        return;
    // Only the newest `capacity` of this batch can be shown.
    const qsizetype start = std::max<qsizetype>(0, events.size() - m_capacity);
    const int count = int(events.size() - start);
    beginInsertRows({}, 0, count - 1);
    for (qsizetype i = start; i < events.size(); ++i)
        m_events.push_front(events.at(i));
    endInsertRows();
    if (int(m_events.size()) > m_capacity) {
        beginRemoveRows({}, m_capacity, int(m_events.size()) - 1);
        m_events.resize(size_t(m_capacity));
        endRemoveRows();
    }
}

void EventStreamModel::setCheckpoints(const QList<qint64>& checkpoints)
{
    if (checkpoints == m_checkpoints || checkpoints.size() != m_titles.size())
        return;
    m_checkpoints = checkpoints;
    if (!m_events.empty())
        Q_EMIT dataChanged(index(0, FirstProjectionColumn),
                           index(rowCount() - 1, columnCount() - 1),
                           {Qt::DisplayRole, Qt::ForegroundRole, SortRole, Qt::ToolTipRole});
}

void EventStreamModel::clear()
{
    if (m_events.empty())
        return;
    beginRemoveRows({}, 0, rowCount() - 1);
    m_events.clear();
    endRemoveRows();
}

} // namespace cqrs::ui
