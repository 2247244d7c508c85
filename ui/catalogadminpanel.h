#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "read/queryresults.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace cqrs::ui {

/// The other commands, compactly: change a price (with a reason), restock,
/// discontinue a product, cancel an order. Builds command values; the
/// window submits them and hands the answer back.
class CatalogAdminPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CatalogAdminPanel(QWidget* parent = nullptr);

    void setProducts(const QList<ProductSalesRow>& products);
    /// A new store: no products, no answer.
    void reset();
    void showResult(const QString& what, const CommandResult& result);

Q_SIGNALS:
    void commandRequested(const cqrs::Command& command, const QString& what);

protected:
    void changeEvent(QEvent* event) override;

private:
    qint64 currentProduct() const;
    /// Room for a two-line answer, always: the form above never moves.
    void keepAnswerHeight();
    void updateButtons();
    void showProductTexts();

    QComboBox* m_product = nullptr;
    QDoubleSpinBox* m_price = nullptr;
    QLineEdit* m_reason = nullptr;
    QPushButton* m_changePrice = nullptr;
    QSpinBox* m_restockQuantity = nullptr;
    QPushButton* m_restock = nullptr;
    QPushButton* m_discontinue = nullptr;
    QSpinBox* m_order = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_answer = nullptr;
    QList<ProductSalesRow> m_products;
};

} // namespace cqrs::ui
