#include "ui/pagingkeyskept.h"

#include <QAbstractScrollArea>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QKeyEvent>

namespace cqrs::ui {

bool PagingKeysKept::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::ShortcutOverride)
        return false;
    const auto* key = static_cast<QKeyEvent*>(event);
    if ((key->key() != Qt::Key_PageUp && key->key() != Qt::Key_PageDown) ||
        key->modifiers() != Qt::NoModifier)
        return false;
    if (qobject_cast<QAbstractSlider*>(watched) || qobject_cast<QAbstractSpinBox*>(watched) ||
        qobject_cast<QAbstractScrollArea*>(watched) || qobject_cast<QComboBox*>(watched))
        event->accept(); // the widget's own key: no shortcut
    return false;
}

} // namespace cqrs::ui
