#pragma once

// Shared by the window tests: a window on a temporary store, opened and
// closed the way a person's session is (closing never blocks the GUI
// thread), widgets found by their accessible names, and the thread audit.
#include "lab/locallabsession.h"
#include "typing.h"
#include "ui/checkoutform.h"
#include "ui/mainwindow.h"
#include "util/threadaudit.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

#include <memory>

namespace cqrs::test {

inline constexpr int windowTimeoutMs = 30'000;

/// A shown window on `dir`, its store open and the demo catalog in its pickers.
inline std::unique_ptr<ui::MainWindow> openWindow(const QString& dir)
{
    auto window = std::make_unique<ui::MainWindow>(dir, LocalLabSession::factory());
    window->show();
    return window;
}

/// Waits until the window is ready and its pickers hold the demo catalog.
inline bool waitForCatalog(ui::MainWindow* window)
{
    return QTest::qWaitFor(
        [window] {
            return window->isReady() && window->checkoutForm()->customerPicker()->count() >= 50
                   && window->checkoutForm()->productPicker()->count() == 20;
        },
        windowTimeoutMs);
}

/// Closes as a person does, waits until every thread of the lab is joined
/// (the GUI thread never waits for that itself), then deletes the window.
inline bool closeWindow(std::unique_ptr<ui::MainWindow>& window)
{
    if (!window)
        return true;
    window->close();
    if (window->isVisible())
        return false; // closing must hide the window at once
    ui::MainWindow* closing = window.get();
    if (!QTest::qWaitFor([closing] { return closing->isShutDown(); }, windowTimeoutMs))
        return false;
    window.reset();
    return true;
}

/// The first visible widget of type W under `root` whose accessible name is `name`.
template<typename W> W* byName(QWidget* root, const QString& name)
{
    for (W* widget : root->findChildren<W*>()) {
        if (widget->accessibleName() == name && widget->isVisibleTo(root))
            return widget;
    }
    return nullptr;
}

/// Types `text` into the customer box as a person does, then closes the
/// completer's pop-up.
inline void typeCustomer(ui::CheckoutForm* form, const QString& text)
{
    QLineEdit* edit = form->customerPicker()->lineEdit();
    edit->setFocus();
    edit->selectAll();
    typeText(edit, text);
    pressKey(edit, Qt::Key_Escape); // closes the completer's pop-up
}

/// Violations of invariant 6 and of the owner-thread rule, one per line.
inline QString auditReport() { return ThreadAudit::violations().join(u'\n'); }

} // namespace cqrs::test
