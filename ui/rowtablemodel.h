#pragma once

#include <QAbstractTableModel>
#include <QFont>
#include <QHash>
#include <QList>

#include <functional>
#include <vector>

namespace cqrs::ui {

/// Sort role shared by all table models: the raw value to sort by.
inline constexpr int SortRole = Qt::UserRole + 1;
/// The row's key (order id, customer id, ...).
inline constexpr int KeyRole = Qt::UserRole + 2;

/// A table model over value rows identified by a key. setRows() applies a
/// new snapshot as a diff: rows that changed get dataChanged (coalesced into
/// ranges), new rows are inserted, vanished rows removed — never a reset,
/// so selections, scroll positions and sort order survive live updates.
/// Sorting and filtering belong to a QSortFilterProxyModel on top.
template <typename Row>
class RowTableModel : public QAbstractTableModel
{
public:
    struct Column
    {
        QString header;
        std::function<QVariant(const Row&)> display;
        std::function<QVariant(const Row&)> sortValue; // defaults to display
        Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter;
        QString toolTip;
    };

    RowTableModel(std::function<qint64(const Row&)> key, std::vector<Column> columns,
                  QObject* parent = nullptr)
        : QAbstractTableModel(parent)
        , m_key(std::move(key))
        , m_columns(std::move(columns))
    {
    }

    int rowCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_columns.size());
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || section < 0 || section >= int(m_columns.size()))
            return {};
        if (role == Qt::DisplayRole)
            return m_columns[size_t(section)].header;
        if (role == Qt::ToolTipRole && !m_columns[size_t(section)].toolTip.isEmpty())
            return m_columns[size_t(section)].toolTip;
        return {};
    }

    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const Row& row = m_rows.at(index.row());
        const Column& column = m_columns[size_t(index.column())];
        switch (role) {
        case Qt::DisplayRole:
            return column.display(row);
        case SortRole:
            return column.sortValue ? column.sortValue(row) : column.display(row);
        case KeyRole:
            return m_key(row);
        case Qt::TextAlignmentRole:
            return QVariant::fromValue(column.alignment);
        default:
            return rowData(row, index.column(), role);
        }
    }

    /// Applies a snapshot of rows as inserts, removals and dataChanged.
    void setRows(const QList<Row>& rows)
    {
        QHash<qint64, qsizetype> incoming;
        incoming.reserve(rows.size());
        for (qsizetype i = 0; i < rows.size(); ++i)
            incoming.insert(m_key(rows.at(i)), i);

        // Remove rows that vanished, bottom-up, in contiguous runs.
        for (qsizetype i = m_rows.size() - 1; i >= 0;) {
            if (incoming.contains(m_key(m_rows.at(i)))) {
                --i;
                continue;
            }
            qsizetype first = i;
            while (first > 0 && !incoming.contains(m_key(m_rows.at(first - 1))))
                --first;
            beginRemoveRows({}, int(first), int(i));
            m_rows.remove(first, i - first + 1);
            endRemoveRows();
            i = first - 1;
        }
        rebuildIndex();

        // Update rows that changed, coalescing neighbours into one signal.
        qsizetype runStart = -1;
        for (qsizetype i = 0; i <= m_rows.size(); ++i) {
            bool changed = false;
            if (i < m_rows.size()) {
                const Row& fresh = rows.at(incoming.value(m_key(m_rows.at(i))));
                changed = !(fresh == m_rows.at(i));
                if (changed)
                    m_rows[i] = fresh;
            }
            if (changed && runStart < 0)
                runStart = i;
            if (!changed && runStart >= 0) {
                Q_EMIT dataChanged(index(int(runStart), 0), index(int(i - 1), columnCount() - 1));
                runStart = -1;
            }
        }

        // Append new rows in one batch.
        QList<Row> added;
        for (const Row& row : rows) {
            if (!m_index.contains(m_key(row)))
                added.append(row);
        }
        if (!added.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
            m_rows.append(added);
            endInsertRows();
            rebuildIndex();
        }
    }

    const QList<Row>& rows() const { return m_rows; }
    const Row* rowByKey(qint64 key) const
    {
        const auto it = m_index.constFind(key);
        return it == m_index.cend() ? nullptr : &m_rows.at(*it);
    }

protected:
    /// Extra roles (colours, fonts, tooltips) for subclasses.
    virtual QVariant rowData(const Row& row, int column, int role) const
    {
        Q_UNUSED(row)
        Q_UNUSED(column)
        Q_UNUSED(role)
        return {};
    }

    void rebuildIndex()
    {
        m_index.clear();
        m_index.reserve(m_rows.size());
        for (qsizetype i = 0; i < m_rows.size(); ++i)
            m_index.insert(m_key(m_rows.at(i)), i);
    }

private:
    std::function<qint64(const Row&)> m_key;
    std::vector<Column> m_columns;
    QList<Row> m_rows;
    QHash<qint64, qsizetype> m_index;
};

} // namespace cqrs::ui
