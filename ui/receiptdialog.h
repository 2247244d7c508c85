#pragma once

#include "read/receipt.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

class QLabel;
class QPlainTextEdit;

namespace cqrs {
class LabSession;
}

namespace cqrs::ui {

class ReceiptWaterfall;

/// The consistency receipt of one event (or of the event that placed one
/// order): when it was submitted, committed and applied by each projection,
/// when the dashboard first showed it and how long a read-your-writes query
/// waited for it, as a waterfall, with the event itself below. It asks the
/// session again while projections still have to apply it.
class ReceiptDialog final : public QDialog {
    Q_OBJECT

public:
    /// When the dashboard first showed a position (ShownPositions), if known.
    using ShownAt = std::function<std::optional<qint64>(qint64 position)>;

    ReceiptDialog(LabSession* session, ShownAt shownAt, QWidget* parent = nullptr);

    /// Shows the receipt of the event at `position`.
    void showPosition(qint64 position);
    /// Shows the receipt of the event that placed order `orderId`.
    void showOrder(qint64 orderId);

    // For tests.
    const ConsistencyReceipt& receipt() const { return m_receipt; }
    QString summaryText() const;
    ReceiptWaterfall* waterfall() const { return m_waterfall; }
    QString detailsText() const;

Q_SIGNALS:
    /// The receipt's event is known (its position), or the dialog closed (0).
    void following(qint64 position);

protected:
    void hideEvent(QHideEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void forgetAsked();
    void ask();
    void present(const ConsistencyReceipt& receipt);
    void showWaterfall(const ConsistencyReceipt& receipt);
    void showDetails(const Event& event);

    QPointer<LabSession> m_session;
    ShownAt m_shownAt;
    qint64 m_position = 0;
    qint64 m_orderId = 0;
    bool m_asking = false;
    QElapsedTimer m_completeClock; ///< since every projection had applied it
    quint64 m_request = 0;
    ConsistencyReceipt m_receipt;
    QTimer m_again;
    QLabel* m_summary = nullptr;
    ReceiptWaterfall* m_waterfall = nullptr;
    QLabel* m_details = nullptr;
    QPlainTextEdit* m_payload = nullptr;
};

} // namespace cqrs::ui
