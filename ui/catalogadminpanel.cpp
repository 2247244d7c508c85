#include "ui/catalogadminpanel.h"

#include "util/money.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace cqrs::ui {

CatalogAdminPanel::CatalogAdminPanel(QWidget* parent)
    : QWidget(parent)
{
    m_product = new QComboBox(this);
    m_product->setAccessibleName(tr("Product to change"));
    m_price = new QDoubleSpinBox(this);
    m_price->setRange(0.01, double(Limits::maxPriceCents) / 100);
    m_price->setDecimals(2);
    m_price->setAccessibleName(tr("New price"));
    m_reason = new QLineEdit(this);
    m_reason->setPlaceholderText(tr("Reason (required)"));
    m_reason->setToolTip(tr("Why the price changes, e.g. “supplier price rise”: the event records the reason."));
    m_reason->setAccessibleName(tr("Reason for the price change"));
    m_reason->setMaxLength(Limits::maxReasonLength);
    m_changePrice = new QPushButton(tr("Change price"), this);
    m_changePrice->setAccessibleName(tr("Change price"));
    m_restockQuantity = new QSpinBox(this);
    m_restockQuantity->setRange(1, Limits::maxRestockQuantity);
    m_restockQuantity->setValue(50);
    m_restockQuantity->setPrefix(QStringLiteral("+"));
    m_restockQuantity->setAccessibleName(tr("Units to restock"));
    m_restock = new QPushButton(tr("Restock"), this);
    m_restock->setAccessibleName(tr("Restock"));
    m_discontinue = new QPushButton(tr("Discontinue"), this);
    m_discontinue->setAccessibleName(tr("Discontinue"));
    m_order = new QSpinBox(this);
    m_order->setRange(1, std::numeric_limits<int>::max());
    m_order->setPrefix(QStringLiteral("#"));
    m_order->setAccessibleName(tr("Order number to cancel"));
    m_cancel = new QPushButton(tr("Cancel order"), this);
    m_cancel->setAccessibleName(tr("Cancel order"));
    m_answer = new QLabel(this);
    m_answer->setWordWrap(true);
    m_answer->setAccessibleName(tr("Answer to the last catalog command"));
    m_answer->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    keepAnswerHeight();

    auto* priceRow = new QHBoxLayout;
    priceRow->addWidget(m_price);
    priceRow->addWidget(m_reason, 1);
    priceRow->addWidget(m_changePrice);
    auto* stockRow = new QHBoxLayout;
    stockRow->addWidget(m_restockQuantity);
    stockRow->addWidget(m_restock);
    stockRow->addStretch(1);
    stockRow->addWidget(m_discontinue);
    auto* orderRow = new QHBoxLayout;
    orderRow->addWidget(m_order);
    orderRow->addWidget(m_cancel);
    orderRow->addStretch(1);

    auto* form = new QFormLayout(this);
    // Rows whose field is a layout need an explicit buddy for their mnemonic.
    const auto label = [this](const QString& text, QWidget* buddy) {
        auto* l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    form->addRow(label(tr("Produc&t:"), m_product), m_product);
    form->addRow(label(tr("New pr&ice:"), m_price), priceRow);
    form->addRow(label(tr("Restoc&k by:"), m_restockQuantity), stockRow);
    form->addRow(label(tr("Ord&er:"), m_order), orderRow);
    form->addRow(m_answer);

    connect(m_product, &QComboBox::currentIndexChanged, this, [this] {
        for (const ProductSalesRow& p : std::as_const(m_products)) {
            if (p.productId == currentProduct())
                m_price->setValue(p.priceCents / 100.0);
        }
        updateButtons();
    });
    connect(m_reason, &QLineEdit::textChanged, this, &CatalogAdminPanel::updateButtons);
    connect(m_changePrice, &QPushButton::clicked, this, [this] {
        ChangeProductPrice command;
        command.productId = currentProduct();
        command.newPriceCents = qRound64(m_price->value() * 100);
        command.reason = m_reason->text();
        Q_EMIT commandRequested(command, tr("Price change"));
    });
    connect(m_restock, &QPushButton::clicked, this, [this] {
        Q_EMIT commandRequested(RestockProduct{{}, currentProduct(), m_restockQuantity->value(), {}}, tr("Restock"));
    });
    connect(m_discontinue, &QPushButton::clicked, this, [this] {
        Q_EMIT commandRequested(DiscontinueProduct{{}, currentProduct(), {}}, tr("Discontinue"));
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        Q_EMIT commandRequested(CancelOrder{{}, m_order->value(), tr("cancelled at the desk")}, tr("Cancel"));
    });
    updateButtons();
}

void CatalogAdminPanel::keepAnswerHeight()
{
    m_answer->setFixedHeight(2 * m_answer->fontMetrics().lineSpacing() + 2);
}

void CatalogAdminPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange)
        keepAnswerHeight();
    QWidget::changeEvent(event);
}

qint64 CatalogAdminPanel::currentProduct() const { return m_product->currentData().toLongLong(); }

void CatalogAdminPanel::setProducts(const QList<ProductSalesRow>& products)
{
    const qint64 current = currentProduct();
    const bool sameList = [&] {
        if (products.size() != m_products.size())
            return false;
        for (qsizetype i = 0; i < products.size(); ++i) {
            if (products.at(i).productId != m_products.at(i).productId
                || products.at(i).discontinued != m_products.at(i).discontinued)
                return false;
        }
        return true;
    }();
    m_products = products;
    if (sameList) {
        // Keep the user's choice; follow the current price unless they are editing it.
        if (!m_price->hasFocus()) {
            for (const ProductSalesRow& p : products) {
                if (p.productId == current && !qFuzzyCompare(m_price->value(), p.priceCents / 100.0))
                    m_price->setValue(p.priceCents / 100.0);
            }
        }
        showProductTexts();
        return;
    }
    const QSignalBlocker blocker(m_product);
    m_product->clear();
    for (const ProductSalesRow& p : products)
        m_product->addItem(QString(), p.productId);
    const int index = m_product->findData(current);
    m_product->setCurrentIndex(index >= 0 ? index : 0);
    for (const ProductSalesRow& p : products) {
        if (p.productId == currentProduct())
            m_price->setValue(p.priceCents / 100.0);
    }
    showProductTexts();
    updateButtons();
}

void CatalogAdminPanel::showProductTexts()
{
    // The entries say what the product is now: stock, or that it is discontinued.
    for (int i = 0; i < m_product->count(); ++i) {
        for (const ProductSalesRow& p : std::as_const(m_products)) {
            if (p.productId != m_product->itemData(i).toLongLong())
                continue;
            const QString text = p.discontinued ? tr("%1 (discontinued)").arg(p.name)
                                                : tr("%1 (%2 in stock)").arg(p.name, formatCount(p.stock));
            if (m_product->itemText(i) != text)
                m_product->setItemText(i, text);
        }
    }
}

void CatalogAdminPanel::reset()
{
    setProducts({});
    m_reason->clear();
    m_answer->clear();
    m_answer->setToolTip(QString());
}

void CatalogAdminPanel::updateButtons()
{
    const bool haveProduct = m_product->currentIndex() >= 0;
    bool discontinued = false;
    for (const ProductSalesRow& p : std::as_const(m_products)) {
        if (p.productId == currentProduct())
            discontinued = p.discontinued;
    }
    const bool open = haveProduct && !discontinued;
    m_changePrice->setEnabled(open && !m_reason->text().trimmed().isEmpty());
    m_changePrice->setToolTip(discontinued ? tr("The product is discontinued.")
                              : m_reason->text().trimmed().isEmpty() ? tr("Give a reason first: the event records it.")
                                                                    : QString());
    m_restock->setEnabled(open);
    m_restock->setToolTip(discontinued ? tr("The product is discontinued.") : QString());
    m_discontinue->setEnabled(open);
    m_discontinue->setToolTip(discontinued ? tr("Already discontinued.")
                                           : tr("Stop selling it: the form no longer offers it."));
}

void CatalogAdminPanel::showResult(const QString& what, const CommandResult& result)
{
    m_answer->setToolTip(result.reason);
    if (result.accepted())
        m_answer->setText(tr("<span style='color:#1e7e34'>✔ %1 accepted</span> — event position %2.")
                              .arg(what.toHtmlEscaped())
                              .arg(result.lastPosition));
    else if (result.status == CommandResult::Status::Failed)
        m_answer->setText(tr("<span style='color:#c0392b'><b>✘ %1 not saved: the write store failed.</b></span> %2 "
                             "Try again once the store works.")
                              .arg(what.toHtmlEscaped(), result.reason.toHtmlEscaped()));
    else
        m_answer->setText(tr("<span style='color:#c0392b'>✘ %1 rejected:</span> %2")
                              .arg(what.toHtmlEscaped(), result.reason.toHtmlEscaped()));
    if (result.accepted() && what == tr("Price change"))
        m_reason->clear();
}

} // namespace cqrs::ui
