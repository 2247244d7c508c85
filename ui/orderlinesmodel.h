#pragma once

#include "commands/commands.h"
#include "write/catalogsnapshot.h"

#include <QAbstractTableModel>
#include <QList>

namespace cqrs::ui {

/// The lines of the order being put together in the checkout form. The
/// model is the only place the lines live: the table, the totals and the
/// command read it, so no widget can hold a line the others do not know.
/// The quantity column is editable (1 to Limits::maxQuantityPerLine).
class OrderLinesModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum ColumnId { ProductColumn, PriceColumn, QuantityColumn, LineTotalColumn, ColumnCount };

    struct Line
    {
        qint64 productId = 0;
        QString name;
        qint64 unitPriceCents = 0;
        int quantity = 1;
    };

    explicit OrderLinesModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// Adds `quantity` of a product: a new line, or more on its line. False
    /// when the order already has Limits::maxLinesPerOrder lines.
    bool addProduct(const ProductInfo& product, int quantity);
    void removeLine(int row);
    void clear();
    /// The price the customer now accepts for a line (a stale price offered anew).
    void setUnitPrice(int row, qint64 cents);
    /// The line an answer complained about, tinted until the next change (-1: none).
    void setProblemRow(int row);
    int problemRow() const { return m_problemRow; }

    const QList<Line>& lines() const { return m_lines; }
    bool isEmpty() const { return m_lines.isEmpty(); }
    bool isFull() const { return m_lines.size() >= Limits::maxLinesPerOrder; }
    qint64 totalCents() const;
    /// The lines as PlaceOrder wants them, with the prices the customer saw.
    QList<OrderLineRequest> requests() const;

Q_SIGNALS:
    /// Any line, quantity or price changed.
    void totalsChanged();

private:
    QList<Line> m_lines;
    int m_problemRow = -1;
};

} // namespace cqrs::ui
