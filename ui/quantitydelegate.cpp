#include "ui/quantitydelegate.h"

#include "commands/commands.h"
#include "ui/orderlinesmodel.h"

#include <QSpinBox>

namespace cqrs::ui {

QWidget* QuantityDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex& index) const
{
    auto* spin = new QSpinBox(parent);
    spin->setRange(1, Limits::maxQuantityPerLine);
    spin->setFrame(false);
    spin->setAccessibleName(tr("Quantity of %1").arg(index.siblingAtColumn(OrderLinesModel::ProductColumn).data().toString()));
    connect(spin, &QSpinBox::valueChanged, this, [this, spin] {
        Q_EMIT const_cast<QuantityDelegate*>(this)->commitData(spin);
    });
    return spin;
}

void QuantityDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    auto* spin = static_cast<QSpinBox*>(editor);
    const int value = index.data(Qt::EditRole).toInt();
    if (spin->value() != value) {
        const QSignalBlocker blocker(spin);
        spin->setValue(value);
    }
}

void QuantityDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    model->setData(index, static_cast<QSpinBox*>(editor)->value(), Qt::EditRole);
}

} // namespace cqrs::ui
