#pragma once

#include "read/queryresults.h"
#include "ui/shownpositions.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace cqrs {
class LabSession;
}

namespace cqrs::ui {

class ReceiptDialog;

/// Opens the consistency receipt of an order or an event the person picked,
/// in one dialog that stays open beside the window, and keeps what it needs
/// from this window: when the dashboard first showed each position.
class ReceiptOpener final : public QObject {
    Q_OBJECT

public:
    explicit ReceiptOpener(QWidget* window);

    /// Receipts are asked of `session` (null: none, and an open one says so).
    void setSession(LabSession* session);
    void openPosition(qint64 position);
    void openOrder(qint64 orderId);
    /// An order-view answer reached the dashboard now.
    void ordersShown(const OrderPage& page);
    /// The open receipt, or null.
    ReceiptDialog* dialog() const;
    const ShownPositions& shown() const { return m_shown; }

Q_SIGNALS:
    /// The event a receipt follows, or 0 once none is open.
    void following(qint64 position);

private:
    ReceiptDialog* ensureDialog();

    QWidget* m_window;
    QPointer<LabSession> m_session;
    QPointer<ReceiptDialog> m_dialog;
    ShownPositions m_shown;
};

} // namespace cqrs::ui
