#pragma once

#include <QObject>

namespace cqrs::ui {

/// Page Up and Page Down are the lessons' clicker keys, but a slider, a
/// spin box, a combo box or a scrolling view with the focus pages itself:
/// for those it accepts the shortcut override, so the key reaches them.
/// Install on the application.
class PagingKeysKept final : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace cqrs::ui
