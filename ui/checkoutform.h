#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "write/catalogsnapshot.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace cqrs::ui {

/// The checkout form: pick a customer, add order lines, place the order.
/// It only builds PlaceOrder values; whoever owns it submits them and hands
/// the answer back through showResult().
class CheckoutForm final : public QWidget
{
    Q_OBJECT

public:
    explicit CheckoutForm(QWidget* parent = nullptr);

    /// Customers and products as the read side shows them (prices may be
    /// stale: the write side then rejects the order with the new price).
    void setCatalog(const CatalogSnapshot& catalog);
    void showResult(const CommandResult& result);
    const CatalogSnapshot& catalog() const { return m_catalog; }
    QComboBox* customerPicker() const { return m_customer; }
    QComboBox* productPicker() const { return m_product; }
    QSpinBox* quantityPicker() const { return m_quantity; }
    QPushButton* addLineButton() const { return m_addLine; }
    QPushButton* placeOrderButton() const { return m_place; }
    QTableWidget* linesTable() const { return m_lines; }
    QString answerText() const;

Q_SIGNALS:
    void placeOrderRequested(const cqrs::PlaceOrder& order);

private:
    void addLine();
    void removeSelectedLine();
    void placeOrder();
    void updateTotals();
    void markField(const QString& field);
    const ProductInfo* product(qint64 id) const;

    CatalogSnapshot m_catalog;
    QComboBox* m_customer = nullptr;
    QComboBox* m_product = nullptr;
    QSpinBox* m_quantity = nullptr;
    QPushButton* m_addLine = nullptr;
    QTableWidget* m_lines = nullptr;
    QPushButton* m_removeLine = nullptr;
    QLabel* m_total = nullptr;
    QPushButton* m_place = nullptr;
    QLabel* m_answer = nullptr;
    bool m_waiting = false;
};

} // namespace cqrs::ui
