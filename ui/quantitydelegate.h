#pragma once

#include <QStyledItemDelegate>

namespace cqrs::ui {

/// The quantity cell of the order lines: a spin box (kept open) that writes
/// every change straight into the model, which holds the only copy of the line.
class QuantityDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
};

} // namespace cqrs::ui
