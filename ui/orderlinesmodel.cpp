#include "ui/orderlinesmodel.h"

#include "util/money.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <utility>

namespace cqrs::ui {

OrderLinesModel::OrderLinesModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    connect(this, &QAbstractItemModel::rowsInserted, this, &OrderLinesModel::totalsChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &OrderLinesModel::totalsChanged);
    connect(this, &QAbstractItemModel::dataChanged, this, &OrderLinesModel::totalsChanged);
}

int OrderLinesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_lines.size()); }

int OrderLinesModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant OrderLinesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line& line = m_lines.at(index.row());
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(index.column() == ProductColumn ? Qt::AlignLeft | Qt::AlignVCenter
                                                                   : Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::BackgroundRole && index.row() == m_problemRow && index.column() != QuantityColumn)
        return QBrush(QColor(0xf8, 0xd7, 0xda));
    if (role == Qt::EditRole && index.column() == QuantityColumn)
        return line.quantity;
    if (role == Qt::AccessibleTextRole && index.column() == QuantityColumn)
        return tr("Quantity of %1: %2").arg(line.name).arg(line.quantity);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ProductColumn:
        return line.name;
    case PriceColumn:
        return formatCents(line.unitPriceCents);
    case QuantityColumn:
        return {}; // its editor, always open, shows it
    case LineTotalColumn:
        return formatCents(line.unitPriceCents * line.quantity);
    default:
        return {};
    }
}

bool OrderLinesModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || index.column() != QuantityColumn
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    bool ok = false;
    const int quantity = std::clamp(value.toInt(&ok), 1, Limits::maxQuantityPerLine);
    if (!ok)
        return false;
    Line& line = m_lines[index.row()];
    if (line.quantity == quantity)
        return true;
    line.quantity = quantity;
    Q_EMIT dataChanged(this->index(index.row(), QuantityColumn), this->index(index.row(), LineTotalColumn));
    return true;
}

Qt::ItemFlags OrderLinesModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags result = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == QuantityColumn)
        result |= Qt::ItemIsEditable;
    return result;
}

QVariant OrderLinesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ProductColumn:
        return tr("Product");
    case PriceColumn:
        return tr("Unit price");
    case QuantityColumn:
        return tr("Qty");
    case LineTotalColumn:
        return tr("Line total");
    default:
        return {};
    }
}

bool OrderLinesModel::addProduct(const ProductInfo& product, int quantity)
{
    quantity = std::clamp(quantity, 1, Limits::maxQuantityPerLine);
    for (qsizetype row = 0; row < m_lines.size(); ++row) {
        if (m_lines.at(row).productId == product.id)
            return setData(index(int(row), QuantityColumn), m_lines.at(row).quantity + quantity, Qt::EditRole);
    }
    if (isFull())
        return false;
    const int row = int(m_lines.size());
    setProblemRow(-1);
    beginInsertRows({}, row, row);
    m_lines.append({product.id, product.name, product.priceCents, quantity});
    endInsertRows();
    return true;
}

void OrderLinesModel::removeLine(int row)
{
    if (row < 0 || row >= m_lines.size())
        return;
    setProblemRow(-1);
    beginRemoveRows({}, row, row);
    m_lines.removeAt(row);
    endRemoveRows();
}

void OrderLinesModel::clear()
{
    if (m_lines.isEmpty())
        return;
    m_problemRow = -1;
    beginRemoveRows({}, 0, int(m_lines.size()) - 1);
    m_lines.clear();
    endRemoveRows();
}

void OrderLinesModel::setUnitPrice(int row, qint64 cents)
{
    if (row < 0 || row >= m_lines.size() || m_lines.at(row).unitPriceCents == cents)
        return;
    m_lines[row].unitPriceCents = cents;
    Q_EMIT dataChanged(index(row, PriceColumn), index(row, LineTotalColumn));
}

void OrderLinesModel::setProblemRow(int row)
{
    if (row >= m_lines.size())
        row = -1;
    const int old = std::exchange(m_problemRow, row);
    for (int changed : {old, row}) {
        if (changed >= 0 && changed < m_lines.size())
            Q_EMIT dataChanged(index(changed, 0), index(changed, ColumnCount - 1), {Qt::BackgroundRole});
    }
}

qint64 OrderLinesModel::totalCents() const
{
    qint64 total = 0;
    for (const Line& line : m_lines)
        total += line.unitPriceCents * line.quantity;
    return total;
}

QList<OrderLineRequest> OrderLinesModel::requests() const
{
    QList<OrderLineRequest> requests;
    requests.reserve(m_lines.size());
    for (const Line& line : m_lines)
        requests.append({line.productId, line.quantity, line.unitPriceCents});
    return requests;
}

} // namespace cqrs::ui
