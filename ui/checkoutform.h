#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "write/catalogsnapshot.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QShortcut;
class QSpinBox;
class QTableView;

namespace cqrs::ui {

class OrderLinesModel;

/// The checkout form: pick or name a customer, add order lines, place the
/// order. It only builds values: whoever owns it submits them and hands the
/// answers back through showRegistration() and showResult(). A name that is
/// not a known customer is a new customer, registered before the order.
class CheckoutForm final : public QWidget {
    Q_OBJECT

public:
    explicit CheckoutForm(QWidget* parent = nullptr);

    /// Customers and products as the read side shows them (prices may be
    /// stale: the write side then rejects the order with the new price).
    void setCatalog(const CatalogSnapshot& catalog);
    /// The answer to the RegisterCustomer sent for a new name.
    void showRegistration(const CommandResult& result, const QString& name);
    void showResult(const CommandResult& result);
    /// A new store: no lines, nothing waiting, no answer.
    void reset();

    const CatalogSnapshot& catalog() const { return m_catalog; }
    QComboBox* customerPicker() const { return m_customer; }
    QComboBox* productPicker() const { return m_product; }
    QSpinBox* quantityPicker() const { return m_quantity; }
    QPushButton* addLineButton() const { return m_addLine; }
    QPushButton* removeLineButton() const { return m_removeLine; }
    QPushButton* followButton() const { return m_follow; }
    QPushButton* placeOrderButton() const { return m_place; }
    QTableView* linesView() const { return m_lines; }
    OrderLinesModel* lines() const { return m_model; }
    QString answerText() const;
    QString hintText() const;
    bool isWaiting() const { return m_waiting; }

Q_SIGNALS:
    /// `newCustomerName` is set (and order.customerId 0) for a name that is
    /// not a customer yet.
    void placeOrderRequested(const cqrs::PlaceOrder& order, const QString& newCustomerName);
    /// The person asked to follow the order just accepted (its event position).
    void followRequested(qint64 position);

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QList<QShortcut*> m_placeShortcuts; ///< Return and Enter; off while the completer is open
    void addLine();
    void removeSelectedLine();
    void placeOrder();
    void updateState();
    void markField(const QString& field);
    void setAnswer(const QString& html);
    void keepAnswerHeight();
    /// The known customer the typed name means, or 0.
    qint64 chosenCustomer() const;
    /// The typed name when it is nobody known yet, else empty.
    QString newCustomerName() const;
    const ProductInfo* product(qint64 id) const;

    CatalogSnapshot m_catalog;
    OrderLinesModel* m_model = nullptr;
    QComboBox* m_customer = nullptr;
    QLabel* m_hint = nullptr;
    QComboBox* m_product = nullptr;
    QSpinBox* m_quantity = nullptr;
    QPushButton* m_addLine = nullptr;
    QTableView* m_lines = nullptr;
    QPushButton* m_removeLine = nullptr;
    QLabel* m_total = nullptr;
    QPushButton* m_place = nullptr;
    QLabel* m_answer = nullptr;
    QPushButton* m_follow = nullptr;
    qint64 m_followPosition = 0;
    bool m_waiting = false;
    /// Said of a new customer registered for the order on its way.
    QString m_registered;
};

} // namespace cqrs::ui
