#include "ui/checkoutform.h"

#include "util/money.h"

#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cqrs::ui {

namespace {
enum LineColumn { ProductColumn, PriceColumn, QuantityColumn, LineTotalColumn, ColumnCount };
constexpr int ProductIdRole = Qt::UserRole + 1;
constexpr int PriceRole = Qt::UserRole + 2;
} // namespace

CheckoutForm::CheckoutForm(QWidget* parent)
    : QWidget(parent)
{
    m_customer = new QComboBox(this);
    m_customer->setEditable(true);
    m_customer->setInsertPolicy(QComboBox::NoInsert);
    m_customer->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_customer->completer()->setFilterMode(Qt::MatchContains);
    m_customer->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_customer->setAccessibleName(tr("Customer"));
    m_customer->lineEdit()->setPlaceholderText(tr("Type a customer's name"));

    m_product = new QComboBox(this);
    m_product->setAccessibleName(tr("Product"));
    m_quantity = new QSpinBox(this);
    m_quantity->setRange(1, Limits::maxQuantityPerLine);
    m_quantity->setAccessibleName(tr("Quantity"));
    m_addLine = new QPushButton(tr("&Add line"), this);
    m_addLine->setAccessibleName(tr("Add order line"));

    auto* productRow = new QHBoxLayout;
    productRow->addWidget(m_product, 1);
    productRow->addWidget(m_quantity);
    productRow->addWidget(m_addLine);

    m_lines = new QTableWidget(0, ColumnCount, this);
    m_lines->setHorizontalHeaderLabels({tr("Product"), tr("Unit price"), tr("Qty"), tr("Line total")});
    m_lines->horizontalHeader()->setSectionResizeMode(ProductColumn, QHeaderView::Stretch);
    m_lines->verticalHeader()->hide();
    m_lines->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_lines->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_lines->setAccessibleName(tr("Order lines"));
    m_removeLine = new QPushButton(tr("&Remove line"), this);
    m_removeLine->setAccessibleName(tr("Remove the selected order line"));

    m_total = new QLabel(this);
    m_total->setAccessibleName(tr("Order total"));
    m_place = new QPushButton(tr("&Place order"), this);
    m_place->setDefault(true);
    m_place->setAccessibleName(tr("Place order"));
    m_answer = new QLabel(this);
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_answer->setAccessibleName(tr("Answer from the write side"));

    auto* form = new QFormLayout;
    form->addRow(tr("&Customer:"), m_customer);
    auto* productLabel = new QLabel(tr("P&roduct:"), this);
    productLabel->setBuddy(m_product);
    form->addRow(productLabel, productRow);

    auto* totalRow = new QHBoxLayout;
    totalRow->addWidget(m_removeLine);
    totalRow->addStretch(1);
    totalRow->addWidget(m_total);
    totalRow->addWidget(m_place);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_lines, 1);
    layout->addLayout(totalRow);
    layout->addWidget(m_answer);

    connect(m_addLine, &QPushButton::clicked, this, &CheckoutForm::addLine);
    connect(m_removeLine, &QPushButton::clicked, this, &CheckoutForm::removeSelectedLine);
    connect(m_place, &QPushButton::clicked, this, &CheckoutForm::placeOrder);
    connect(m_customer, &QComboBox::currentIndexChanged, this, &CheckoutForm::updateTotals);
    connect(m_customer->lineEdit(), &QLineEdit::textEdited, this, &CheckoutForm::updateTotals);
    connect(m_lines, &QTableWidget::itemSelectionChanged, this, &CheckoutForm::updateTotals);
    // Enter places the order from anywhere in the form.
    for (QKeySequence key : {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)}) {
        auto* shortcut = new QShortcut(key, this, this, &CheckoutForm::placeOrder);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    }
    updateTotals();
}

void CheckoutForm::setCatalog(const CatalogSnapshot& catalog)
{
    // Called on every refresh of the read side: update the pickers in place
    // and rebuild them only when the set of entries changed, so an open
    // drop-down or half-typed name is never disturbed.
    m_catalog = catalog;
    QList<qint64> customerIds;
    for (const CustomerInfo& c : catalog.customers)
        customerIds.append(c.id);
    QList<qint64> shownCustomers;
    for (int i = 0; i < m_customer->count(); ++i)
        shownCustomers.append(m_customer->itemData(i).toLongLong());
    if (customerIds != shownCustomers) {
        const QVariant customer = m_customer->currentData();
        const QString typed = m_customer->currentText();
        const QSignalBlocker blocker(m_customer);
        m_customer->clear();
        for (const CustomerInfo& c : catalog.customers)
            m_customer->addItem(c.name, c.id);
        const int index = m_customer->findData(customer);
        m_customer->setCurrentIndex(index);
        if (index < 0)
            m_customer->setEditText(typed);
    }

    QList<qint64> productIds;
    for (const ProductInfo& p : catalog.products) {
        if (!p.discontinued)
            productIds.append(p.id);
    }
    QList<qint64> shownProducts;
    for (int i = 0; i < m_product->count(); ++i)
        shownProducts.append(m_product->itemData(i).toLongLong());
    if (productIds != shownProducts) {
        const QVariant product = m_product->currentData();
        const QSignalBlocker blocker(m_product);
        m_product->clear();
        for (qint64 id : productIds)
            m_product->addItem(QString(), id);
        const int index = m_product->findData(product);
        m_product->setCurrentIndex(index >= 0 ? index : 0);
    }
    for (int i = 0; i < m_product->count(); ++i) {
        if (const ProductInfo* p = product(m_product->itemData(i).toLongLong())) {
            const QString text = tr("%1 — %2 (%3 in stock)").arg(p->name, formatCents(p->priceCents)).arg(p->stock);
            if (m_product->itemText(i) != text)
                m_product->setItemText(i, text);
        }
    }
    updateTotals();
}

const ProductInfo* CheckoutForm::product(qint64 id) const
{
    for (const ProductInfo& p : m_catalog.products) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

void CheckoutForm::addLine()
{
    const ProductInfo* p = product(m_product->currentData().toLongLong());
    if (!p)
        return;
    // Same product again: raise the quantity of its line instead of a new one.
    for (int row = 0; row < m_lines->rowCount(); ++row) {
        if (m_lines->item(row, ProductColumn)->data(ProductIdRole).toLongLong() == p->id) {
            auto* spin = qobject_cast<QSpinBox*>(m_lines->cellWidget(row, QuantityColumn));
            spin->setValue(spin->value() + m_quantity->value());
            updateTotals();
            return;
        }
    }
    if (m_lines->rowCount() >= Limits::maxLinesPerOrder)
        return;
    const int row = m_lines->rowCount();
    m_lines->insertRow(row);
    auto* name = new QTableWidgetItem(p->name);
    name->setData(ProductIdRole, p->id);
    name->setData(PriceRole, p->priceCents);
    m_lines->setItem(row, ProductColumn, name);
    auto* price = new QTableWidgetItem(formatCents(p->priceCents));
    price->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_lines->setItem(row, PriceColumn, price);
    auto* spin = new QSpinBox(m_lines);
    spin->setRange(1, Limits::maxQuantityPerLine);
    spin->setValue(m_quantity->value());
    spin->setAccessibleName(tr("Quantity of %1").arg(p->name));
    connect(spin, &QSpinBox::valueChanged, this, &CheckoutForm::updateTotals);
    m_lines->setCellWidget(row, QuantityColumn, spin);
    auto* lineTotal = new QTableWidgetItem;
    lineTotal->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_lines->setItem(row, LineTotalColumn, lineTotal);
    m_answer->clear();
    updateTotals();
}

void CheckoutForm::removeSelectedLine()
{
    const int row = m_lines->currentRow();
    if (row >= 0)
        m_lines->removeRow(row);
    updateTotals();
}

void CheckoutForm::updateTotals()
{
    qint64 total = 0;
    for (int row = 0; row < m_lines->rowCount(); ++row) {
        const qint64 price = m_lines->item(row, ProductColumn)->data(PriceRole).toLongLong();
        const int quantity = qobject_cast<QSpinBox*>(m_lines->cellWidget(row, QuantityColumn))->value();
        m_lines->item(row, LineTotalColumn)->setText(formatCents(price * quantity));
        total += price * quantity;
    }
    m_total->setText(tr("Total: <b>%1</b>").arg(formatCents(total)));
    const bool customerChosen = m_customer->currentIndex() >= 0
                                && m_customer->currentText() == m_customer->itemText(m_customer->currentIndex());
    m_place->setEnabled(!m_waiting && customerChosen && m_lines->rowCount() > 0);
    m_place->setToolTip(!customerChosen          ? tr("Choose a customer first.")
                        : m_lines->rowCount() == 0 ? tr("Add at least one order line.")
                                                   : QString());
    m_addLine->setEnabled(m_product->count() > 0 && m_lines->rowCount() < Limits::maxLinesPerOrder);
    m_removeLine->setEnabled(m_lines->currentRow() >= 0);
}

void CheckoutForm::placeOrder()
{
    updateTotals();
    if (!m_place->isEnabled())
        return;
    PlaceOrder order;
    order.meta.origin = CommandOrigin::Form;
    order.customerId = m_customer->currentData().toLongLong();
    for (int row = 0; row < m_lines->rowCount(); ++row) {
        const QTableWidgetItem* item = m_lines->item(row, ProductColumn);
        order.lines.append({item->data(ProductIdRole).toLongLong(),
                            qobject_cast<QSpinBox*>(m_lines->cellWidget(row, QuantityColumn))->value(),
                            item->data(PriceRole).toLongLong()});
    }
    m_waiting = true;
    markField({});
    m_answer->setText(tr("Sending…"));
    updateTotals();
    Q_EMIT placeOrderRequested(order);
}

void CheckoutForm::markField(const QString& field)
{
    m_customer->setStyleSheet(QString());
    for (int row = 0; row < m_lines->rowCount(); ++row)
        for (int column = 0; column < ColumnCount; ++column)
            if (auto* item = m_lines->item(row, column))
                item->setBackground(QBrush());
    if (field == QStringLiteral("customer")) {
        m_customer->setStyleSheet(QStringLiteral("QComboBox { border: 2px solid #c0392b; }"));
        m_customer->setFocus();
    } else if (field.startsWith(QStringLiteral("line:"))) {
        const int row = field.section(u':', 1, 1).toInt();
        if (row >= 0 && row < m_lines->rowCount()) {
            for (int column : {ProductColumn, PriceColumn, LineTotalColumn})
                m_lines->item(row, column)->setBackground(QColor(0xf8, 0xd7, 0xda));
            m_lines->selectRow(row);
        }
    }
}

QString CheckoutForm::answerText() const { return m_answer->text(); }

void CheckoutForm::showResult(const CommandResult& result)
{
    m_waiting = false;
    if (result.accepted()) {
        m_answer->setText(tr("<span style='color:#1e7e34'>✔ Order #%1 accepted</span> — event position %2.")
                              .arg(result.entityId)
                              .arg(result.lastPosition));
        m_lines->setRowCount(0);
        markField({});
    } else {
        QString text = tr("<span style='color:#c0392b'>✘ Rejected:</span> %1").arg(result.reason.toHtmlEscaped());
        const int row = result.field.startsWith(QStringLiteral("line:")) ? result.field.section(u':', 1, 1).toInt() : -1;
        if (result.field.endsWith(QStringLiteral(":price")) && result.currentPriceCents > 0 && row >= 0
            && row < m_lines->rowCount()) {
            // Offer the new price: the line now shows it, and placing the
            // order again accepts it knowingly.
            QTableWidgetItem* item = m_lines->item(row, ProductColumn);
            item->setData(PriceRole, result.currentPriceCents);
            m_lines->item(row, PriceColumn)->setText(formatCents(result.currentPriceCents));
            text += tr(" The line now shows the new price; place the order again to accept it.");
        }
        m_answer->setText(text);
        markField(result.field);
    }
    updateTotals();
}

} // namespace cqrs::ui
