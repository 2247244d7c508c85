#include "ui/checkoutform.h"

#include "ui/orderlinesmodel.h"
#include "ui/quantitydelegate.h"
#include "util/money.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace cqrs::ui {

namespace {
constexpr int answerLines = 3;

QString simplifiedName(const QString& text) {
    return text.simplified();
}
} // namespace

CheckoutForm::CheckoutForm(QWidget* parent)
    : QWidget(parent)
    , m_model(new OrderLinesModel(this)) {
    m_customer = new QComboBox(this);
    m_customer->setEditable(true);
    m_customer->setInsertPolicy(QComboBox::NoInsert);
    m_customer->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_customer->completer()->setFilterMode(Qt::MatchContains);
    m_customer->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_customer->setAccessibleName(tr("Customer"));
    m_customer->lineEdit()->setPlaceholderText(tr("Type a customer's name, or a new one"));
    m_customer->lineEdit()->setMaxLength(Limits::maxNameLength * 2);
    m_hint = new QLabel(this);
    m_hint->setAccessibleName(tr("About the customer"));
    // Wraps within its own two lines: a long name never widens the form.
    m_hint->setWordWrap(true);
    m_hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);

    m_product = new QComboBox(this);
    m_product->setAccessibleName(tr("Product"));
    // As wide as the form gives it, not as its longest entry.
    m_product->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_product->setMinimumContentsLength(16);
    m_quantity = new QSpinBox(this);
    m_quantity->setRange(1, Limits::maxQuantityPerLine);
    m_quantity->setAccessibleName(tr("Quantity"));
    m_addLine = new QPushButton(tr("A&dd line"), this);
    m_addLine->setAccessibleName(tr("Add order line"));

    auto* productRow = new QHBoxLayout;
    productRow->addWidget(m_product, 1);
    productRow->addWidget(m_quantity);
    productRow->addWidget(m_addLine);

    m_lines = new QTableView(this);
    m_lines->setModel(m_model);
    m_lines->setItemDelegateForColumn(OrderLinesModel::QuantityColumn,
                                      new QuantityDelegate(m_lines));
    m_lines->horizontalHeader()->setSectionResizeMode(OrderLinesModel::ProductColumn,
                                                      QHeaderView::Stretch);
    m_lines->horizontalHeader()->setHighlightSections(false);
    m_lines->verticalHeader()->hide();
    m_lines->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_lines->setSelectionMode(QAbstractItemView::SingleSelection);
    m_lines->setEditTriggers(QAbstractItemView::NoEditTriggers); // the quantity editor stays open
    m_lines->setAccessibleName(tr("Order lines"));
    m_removeLine = new QPushButton(tr("Re&move line"), this);
    m_removeLine->setAccessibleName(tr("Remove the selected order line"));

    m_total = new QLabel(this);
    m_total->setAccessibleName(tr("Order total"));
    m_place = new QPushButton(tr("&Place order"), this);
    m_place->setDefault(true);
    m_place->setAccessibleName(tr("Place order"));
    m_answer = new QLabel(this);
    m_answer->setWordWrap(true);
    m_answer->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_answer->setAccessibleName(tr("Answer from the write side"));
    m_follow = new QPushButton(tr("Follo&w order…"), this);
    m_follow->setAccessibleName(tr("Follow this order"));
    m_follow->setToolTip(
        tr("See this order's way through the lab: its receipt, and its token on the diagram"));
    m_follow->setVisible(false);

    auto* form = new QFormLayout;
    auto* customerLabel = new QLabel(tr("&Customer:"), this);
    customerLabel->setBuddy(m_customer);
    form->addRow(customerLabel, m_customer);
    form->addRow(QString(), m_hint);
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
    // A fixed height: a long answer never moves the buttons above it.
    auto* answerRow = new QHBoxLayout;
    answerRow->addWidget(m_answer, 1);
    answerRow->addWidget(m_follow, 0, Qt::AlignTop);
    layout->addLayout(answerRow);
    keepAnswerHeight();
    connect(m_follow, &QPushButton::clicked, this, [this] {
        if (m_followPosition > 0)
            Q_EMIT followRequested(m_followPosition);
    });

    connect(m_addLine, &QPushButton::clicked, this, &CheckoutForm::addLine);
    connect(m_removeLine, &QPushButton::clicked, this, &CheckoutForm::removeSelectedLine);
    connect(m_place, &QPushButton::clicked, this, &CheckoutForm::placeOrder);
    connect(m_customer, &QComboBox::currentIndexChanged, this, &CheckoutForm::updateState);
    connect(m_customer, &QComboBox::editTextChanged, this, [this] {
        m_customer->setStyleSheet(QString());
        updateState();
    });
    connect(m_model, &OrderLinesModel::totalsChanged, this, &CheckoutForm::updateState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) {
                for (int row = first; row <= last; ++row)
                    m_lines->openPersistentEditor(
                        m_model->index(row, OrderLinesModel::QuantityColumn));
            });
    connect(m_lines->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CheckoutForm::updateState);
    // Enter places the order from anywhere in the form.
    for (QKeySequence key : {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)}) {
        auto* shortcut = new QShortcut(key, this, this, &CheckoutForm::placeOrder);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        m_placeShortcuts.append(shortcut);
    }
    // While the customer's completer is open, Return picks the highlighted name:
    // the focus stays in the form, so the shortcut would take the key first.
    m_customer->completer()->popup()->installEventFilter(this);
    updateState();
}

bool CheckoutForm::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_customer->completer()->popup() &&
        (event->type() == QEvent::Show || event->type() == QEvent::Hide)) {
        for (QShortcut* shortcut : std::as_const(m_placeShortcuts))
            shortcut->setEnabled(event->type() == QEvent::Hide);
    }
    return QWidget::eventFilter(watched, event);
}

void CheckoutForm::setCatalog(const CatalogSnapshot& catalog) {
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
        const QString typed = m_customer->currentText();
        const QSignalBlocker blocker(m_customer);
        m_customer->clear();
        for (const CustomerInfo& c : catalog.customers)
            m_customer->addItem(c.name, c.id);
        // What was typed stays typed; it names the same customer as before.
        m_customer->setCurrentIndex(m_customer->findText(typed, Qt::MatchFixedString));
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
            const QString text =
                tr("%1 — %2 (%3 in stock)").arg(p->name, formatCents(p->priceCents)).arg(p->stock);
            if (m_product->itemText(i) != text)
                m_product->setItemText(i, text);
        }
    }
    updateState();
}

void CheckoutForm::reset() {
    m_waiting = false;
    m_model->clear();
    m_customer->clearEditText();
    m_customer->setStyleSheet(QString());
    setAnswer(QString());
    m_followPosition = 0;
    m_follow->setVisible(false);
    setCatalog({});
}

const ProductInfo* CheckoutForm::product(qint64 id) const {
    for (const ProductInfo& p : m_catalog.products) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

qint64 CheckoutForm::chosenCustomer() const {
    const QString typed = simplifiedName(m_customer->currentText());
    if (typed.isEmpty())
        return 0;
    for (const CustomerInfo& c : m_catalog.customers) {
        if (simplifiedName(c.name).compare(typed, Qt::CaseInsensitive) == 0)
            return c.id;
    }
    return 0;
}

QString CheckoutForm::newCustomerName() const {
    const QString typed = simplifiedName(m_customer->currentText());
    return typed.isEmpty() || chosenCustomer() != 0 ? QString() : typed;
}

void CheckoutForm::addLine() {
    const ProductInfo* p = product(m_product->currentData().toLongLong());
    if (!p || !m_addLine->isEnabled())
        return;
    if (m_model->addProduct(*p, m_quantity->value()))
        setAnswer(QString());
}

void CheckoutForm::removeSelectedLine() {
    const QModelIndexList rows = m_lines->selectionModel()->selectedRows();
    if (!rows.isEmpty())
        m_model->removeLine(rows.first().row());
}

void CheckoutForm::updateState() {
    m_total->setText(tr("Total: <b>%1</b>").arg(formatCents(m_model->totalCents())));
    const QString newName = newCustomerName();
    const bool known = chosenCustomer() != 0;
    const bool nameTooLong = newName.size() > Limits::maxNameLength;
    const bool customerOk = known || (!newName.isEmpty() && !nameTooLong);
    if (nameTooLong)
        m_hint->setText(tr("<span style='color:#c0392b'>A name has at most %1 characters.</span>")
                            .arg(Limits::maxNameLength));
    else if (!newName.isEmpty())
        m_hint->setText(tr("New customer: placing the order registers “%1” first.")
                            .arg(newName.toHtmlEscaped()));
    else if (!known && !m_model->isEmpty())
        m_hint->setText(tr("Choose a customer, or type a new name, to place the order."));
    else
        m_hint->setText(QString());

    const bool canPlace = !m_waiting && customerOk && !m_model->isEmpty();
    // A disabled button loses the focus to the next widget in the window
    // (the catalog admin panel): keep it in the form instead.
    if (!canPlace && m_place->hasFocus())
        m_product->setFocus();
    m_place->setEnabled(canPlace);
    m_place->setToolTip(m_waiting            ? tr("Waiting for the answer to the last order.")
                        : !customerOk        ? tr("Choose or name a customer first.")
                        : m_model->isEmpty() ? tr("Add at least one order line.")
                                             : QString());
    const bool canAdd = m_product->count() > 0 && !m_model->isFull();
    if (!canAdd && m_addLine->hasFocus())
        m_product->setFocus();
    m_addLine->setEnabled(canAdd);
    m_addLine->setToolTip(m_model->isFull()
                              ? tr("An order has at most %1 lines.").arg(Limits::maxLinesPerOrder)
                              : QString());
    const bool canRemove = m_lines->selectionModel()->hasSelection();
    if (!canRemove && m_removeLine->hasFocus())
        m_lines->setFocus();
    m_removeLine->setEnabled(canRemove);
}

void CheckoutForm::placeOrder() {
    updateState();
    if (!m_place->isEnabled())
        return;
    PlaceOrder order;
    order.meta.origin = CommandOrigin::Form;
    order.customerId = chosenCustomer();
    order.lines = m_model->requests();
    const QString newName = order.customerId == 0 ? newCustomerName() : QString();
    m_waiting = true;
    markField({});
    setAnswer(newName.isEmpty() ? tr("Sending…")
                                : tr("Registering “%1”…").arg(newName.toHtmlEscaped()));
    updateState();
    Q_EMIT placeOrderRequested(order, newName);
}

void CheckoutForm::markField(const QString& field) {
    m_customer->setStyleSheet(QString());
    m_model->setProblemRow(-1);
    if (field == QStringLiteral("customer") || field == QStringLiteral("name")) {
        m_customer->setStyleSheet(QStringLiteral("QComboBox { border: 2px solid #c0392b; }"));
        m_customer->setFocus();
    } else if (field.startsWith(QStringLiteral("line:"))) {
        const int row = field.section(u':', 1, 1).toInt();
        if (row >= 0 && row < m_model->rowCount()) {
            m_model->setProblemRow(row);
            m_lines->selectRow(row);
        }
    }
}

void CheckoutForm::setAnswer(const QString& html) {
    m_answer->setText(html);
    m_answer->setToolTip(html);
}

void CheckoutForm::keepAnswerHeight() {
    const QMargins margins = m_answer->contentsMargins();
    m_answer->setFixedHeight(answerLines * m_answer->fontMetrics().lineSpacing() + margins.top() +
                             margins.bottom() + 2);
    m_hint->setFixedHeight(2 * m_hint->fontMetrics().lineSpacing() + 2);
}

void CheckoutForm::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange)
        keepAnswerHeight();
    QWidget::changeEvent(event);
}

QString CheckoutForm::answerText() const {
    return m_answer->text();
}
QString CheckoutForm::hintText() const {
    return m_hint->text();
}

void CheckoutForm::showRegistration(const CommandResult& result, const QString& name) {
    if (result.accepted()) {
        // The order follows at once; the pickers learn the name from the read side.
        m_registered = tr("New customer #%1 “%2” registered at event %3; ")
                           .arg(result.entityId)
                           .arg(name.toHtmlEscaped())
                           .arg(result.lastPosition);
        setAnswer(m_registered + tr("sending the order…"));
        return;
    }
    m_waiting = false;
    if (result.status == CommandResult::Status::Failed)
        setAnswer(
            tr("<span style='color:#c0392b'><b>✘ Not saved: the write store failed.</b></span> %1 "
               "The order is still here: place it again once the store works.")
                .arg(result.reason.toHtmlEscaped()));
    else
        setAnswer(tr("<span style='color:#c0392b'>✘ “%1” could not be registered:</span> %2")
                      .arg(name.toHtmlEscaped(), result.reason.toHtmlEscaped()));
    markField(QStringLiteral("name"));
    updateState();
}

void CheckoutForm::showResult(const CommandResult& result) {
    m_waiting = false;
    const QString registered = std::exchange(m_registered, {});
    m_followPosition = result.accepted() ? result.lastPosition : 0;
    m_follow->setVisible(m_followPosition > 0);
    if (result.accepted()) {
        setAnswer(tr("<span style='color:#1e7e34'>✔ Order #%1 accepted</span> — event position %2.")
                      .arg(result.entityId)
                      .arg(result.lastPosition) +
                  (registered.isEmpty() ? QString()
                                        : QStringLiteral("<br/>") + registered.chopped(2) + u'.'));
        markField({});
        m_model->clear();
    } else if (result.status == CommandResult::Status::Failed) {
        // Not a broken rule: the store itself failed, and nothing was saved.
        setAnswer(
            tr("<span style='color:#c0392b'><b>✘ Not saved: the write store failed.</b></span> %1 "
               "The order is still here: place it again once the store works.")
                .arg(result.reason.toHtmlEscaped()));
        markField({});
    } else {
        QString text = tr("<span style='color:#c0392b'>✘ Rejected:</span> %1")
                           .arg(result.reason.toHtmlEscaped());
        const int row = result.field.startsWith(QStringLiteral("line:"))
                            ? result.field.section(u':', 1, 1).toInt()
                            : -1;
        if (result.field.endsWith(QStringLiteral(":price")) && result.currentPriceCents > 0 &&
            row >= 0 && row < m_model->rowCount()) {
            // Offer the new price: the line now shows it, and placing the
            // order again accepts it knowingly.
            m_model->setUnitPrice(row, result.currentPriceCents);
            text += tr(" The line now shows the new price; place the order again to accept it.");
        }
        setAnswer(text);
        markField(result.field);
    }
    updateState();
}

} // namespace cqrs::ui
