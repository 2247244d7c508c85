#include "ui/receiptopener.h"

#include "lab/labsession.h"
#include "ui/receiptdialog.h"
#include "util/monotonicclock.h"

#include <QWidget>

namespace cqrs::ui {

ReceiptOpener::ReceiptOpener(QWidget* window)
    : QObject(window)
    , m_window(window) {}

void ReceiptOpener::setSession(LabSession* session) {
    if (session == m_session)
        return;
    m_session = session;
    m_shown.clear(); // positions belong to one store
    if (m_dialog) {
        // A receipt of the store that closed has nothing to ask any more.
        m_dialog->close(); // and deleted: WA_DeleteOnClose
    }
}

ReceiptDialog* ReceiptOpener::dialog() const {
    return m_dialog;
}

ReceiptDialog* ReceiptOpener::ensureDialog() {
    if (!m_dialog) {
        m_dialog = new ReceiptDialog(
            m_session, [this](qint64 position) { return m_shown.firstShownNs(position); },
            m_window);
        m_dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_dialog, &ReceiptDialog::following, this, &ReceiptOpener::following);
    }
    return m_dialog;
}

void ReceiptOpener::openPosition(qint64 position) {
    if (position <= 0)
        return;
    ReceiptDialog* dialog = ensureDialog();
    dialog->showPosition(position);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void ReceiptOpener::openOrder(qint64 orderId) {
    if (orderId <= 0)
        return;
    ReceiptDialog* dialog = ensureDialog();
    dialog->showOrder(orderId);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void ReceiptOpener::ordersShown(const OrderPage& page) {
    m_shown.shown(page.meta.position, monotonicNowNs());
}

} // namespace cqrs::ui
