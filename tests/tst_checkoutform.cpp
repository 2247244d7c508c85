// The checkout form on its own, driven as a person drives it (mouse and
// keys): the cart actions that crashed the window, the answers a person
// reads, and buttons and focus that stay where the hand expects them.
#include "typing.h"
#include "ui/checkoutform.h"
#include "ui/orderlinesmodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLabel>
#include <QComboBox>
#include <QCompleter>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QVBoxLayout>

using namespace cqrs;
using namespace cqrs::ui;

namespace {
CatalogSnapshot demoCatalog()
{
    CatalogSnapshot catalog;
    catalog.customers = {{1, QStringLiteral("Alice Andersen"), {}, QStringLiteral("Oslo")},
                         {2, QStringLiteral("Bob Brown"), {}, QStringLiteral("Leeds")}};
    catalog.products = {{10, QStringLiteral("MUG-BLUE"), QStringLiteral("Blue Mug"), QStringLiteral("Kitchen"), 850, 120, false, 1},
                        {11, QStringLiteral("TEA-1"), QStringLiteral("Green Tea"), QStringLiteral("Food"), 420, 40, false, 1},
                        {12, QStringLiteral("OLD-1"), QStringLiteral("Old Lamp"), QStringLiteral("Home"), 1999, 3, true, 2}};
    return catalog;
}

CommandResult accepted(qint64 id, qint64 position)
{
    CommandResult result = CommandResult::acceptedFor(id);
    result.firstPosition = result.lastPosition = position;
    return result;
}

/// The centre of a line's cell, in the view's viewport.
QPoint cellCentre(QTableView* view, int row, int column)
{
    return view->visualRect(view->model()->index(row, column)).center();
}
} // namespace

class TestCheckoutForm final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<QWidget>();
        auto* layout = new QVBoxLayout(m_host.get());
        m_form = new CheckoutForm(m_host.get());
        layout->addWidget(m_form);
        m_other = new QPushButton(QStringLiteral("Elsewhere"), m_host.get()); // the next widget in the focus chain
        layout->addWidget(m_other);
        m_form->setCatalog(demoCatalog());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_form->lines(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_host->resize(520, 520);
        m_host->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_host.get()));
    }

    void cleanup()
    {
        m_tester.reset();
        m_host.reset();
    }

    void acceptedOrderAfterClickingALineDoesNotCrash()
    {
        // The first natural cart action of a new user used to end the program.
        chooseCustomer(QStringLiteral("Alice Andersen"));
        addProduct(0, 2);
        QCOMPARE(m_form->lines()->rowCount(), 1);
        clickLine(0);
        QVERIFY(m_form->linesView()->selectionModel()->hasSelection());
        QVERIFY(m_form->removeLineButton()->isEnabled());
        QSignalSpy placed(m_form, &CheckoutForm::placeOrderRequested);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        QCOMPARE(placed.count(), 1);
        const auto order = placed.at(0).at(0).value<PlaceOrder>();
        QCOMPARE(order.customerId, 1);
        QCOMPARE(order.lines.size(), 1);
        QCOMPARE(order.lines.at(0).quantity, 2);
        QCOMPARE(order.lines.at(0).shownUnitPriceCents.value_or(0), 850);
        m_form->showResult(accepted(7, 120));
        QCOMPARE(m_form->lines()->rowCount(), 0);
        QVERIFY(m_form->answerText().contains(QStringLiteral("Order #7 accepted")));
        QVERIFY(!m_form->removeLineButton()->isEnabled());
    }

    void quantityChangedInTheLineThenPlaced()
    {
        chooseCustomer(QStringLiteral("Bob Brown"));
        addProduct(1, 1);
        QTableView* view = m_form->linesView();
        auto* spin = qobject_cast<QSpinBox*>(view->indexWidget(m_form->lines()->index(0, OrderLinesModel::QuantityColumn)));
        QVERIFY(spin);
        spin->setFocus();
        QTest::keyClick(spin, Qt::Key_Up);
        QTest::keyClick(spin, Qt::Key_Up);
        QCOMPARE(m_form->lines()->lines().at(0).quantity, 3);
        QSignalSpy placed(m_form, &CheckoutForm::placeOrderRequested);
        QTest::keyClick(spin, Qt::Key_Return); // Enter places the order from anywhere in the form
        QCOMPARE(placed.count(), 1);
        QCOMPARE(placed.at(0).at(0).value<PlaceOrder>().lines.at(0).quantity, 3);
        m_form->showResult(accepted(8, 121)); // removes the row whose editor had the focus
        QCOMPARE(m_form->lines()->rowCount(), 0);
    }

    void returnInTheCompleterPicksTheNameAndDoesNotPlace()
    {
        // A person types part of a name, arrows to it and presses Return: the name is
        // chosen and the pop-up closes (the form's Return-places-the-order must wait).
        addProduct(0, 1);
        QLineEdit* edit = m_form->customerPicker()->lineEdit();
        edit->setFocus();
        cqrs::test::typeText(edit, QStringLiteral("bo"));
        QWidget* popup = m_form->customerPicker()->completer()->popup();
        QTRY_VERIFY(popup->isVisible());
        QSignalSpy placed(m_form, &CheckoutForm::placeOrderRequested);
        QTest::keyClick(popup, Qt::Key_Down);
        QTest::keyClick(popup, Qt::Key_Return);
        QVERIFY(!popup->isVisible());
        QCOMPARE(placed.count(), 0);
        QCOMPARE(edit->text(), QStringLiteral("Bob Brown"));
        // Return once more, the pop-up closed: now it places the order, for Bob.
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(placed.count(), 1);
        QCOMPARE(placed.at(0).at(0).value<PlaceOrder>().customerId, 2);
    }

    void removeLineOnASelectedLine()
    {
        chooseCustomer(QStringLiteral("Alice Andersen"));
        addProduct(0, 1);
        addProduct(1, 4);
        QCOMPARE(m_form->lines()->rowCount(), 2);
        clickLine(1);
        QTest::mouseClick(m_form->removeLineButton(), Qt::LeftButton);
        QCOMPARE(m_form->lines()->rowCount(), 1);
        QCOMPARE(m_form->lines()->lines().at(0).name, QStringLiteral("Blue Mug"));
        clickLine(0);
        QTest::mouseClick(m_form->removeLineButton(), Qt::LeftButton);
        QCOMPARE(m_form->lines()->rowCount(), 0);
        QVERIFY(!m_form->placeOrderButton()->isEnabled());
    }

    void stalePriceIsOfferedAndThePlacedAgainOrderUsesIt()
    {
        chooseCustomer(QStringLiteral("Alice Andersen"));
        addProduct(0, 1);
        addProduct(1, 2);
        QSignalSpy placed(m_form, &CheckoutForm::placeOrderRequested);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        CommandResult stale = CommandResult::rejected(QStringLiteral("The price of Green Tea changed to 4.60."),
                                                      QStringLiteral("line:1:price"));
        stale.currentPriceCents = 460;
        m_form->showResult(stale); // selects the line it is about
        QCOMPARE(m_form->lines()->problemRow(), 1);
        QVERIFY(m_form->answerText().contains(QStringLiteral("Rejected")));
        QCOMPARE(m_form->lines()->lines().at(1).unitPriceCents, 460);
        clickLine(1);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        QCOMPARE(placed.count(), 2);
        QCOMPARE(placed.at(1).at(0).value<PlaceOrder>().lines.at(1).shownUnitPriceCents.value_or(0), 460);
        m_form->showResult(accepted(9, 130));
        QCOMPARE(m_form->lines()->rowCount(), 0);
    }

    void aStoreFailureSaysItIsAFailure()
    {
        chooseCustomer(QStringLiteral("Alice Andersen"));
        addProduct(0, 1);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        m_form->showResult(CommandResult::failed(QStringLiteral("The write store could not commit: database or disk is full.")));
        const QString answer = m_form->answerText();
        QVERIFY2(!answer.contains(QStringLiteral("Rejected")), qPrintable(answer));
        QVERIFY2(answer.contains(QStringLiteral("write store failed")), qPrintable(answer));
        QVERIFY2(answer.contains(QStringLiteral("disk is full")), qPrintable(answer));
        QVERIFY2(answer.contains(QStringLiteral("place it again")), qPrintable(answer));
        QCOMPARE(m_form->lines()->rowCount(), 1); // nothing lost
        QVERIFY(m_form->placeOrderButton()->isEnabled());
    }

    void aNewNameRegistersTheCustomerFirst()
    {
        chooseCustomer(QStringLiteral("  Zoë   Quinn "));
        QVERIFY2(m_form->hintText().contains(QStringLiteral("Zoë Quinn")), qPrintable(m_form->hintText()));
        addProduct(0, 1);
        QVERIFY(m_form->placeOrderButton()->isEnabled());
        QSignalSpy placed(m_form, &CheckoutForm::placeOrderRequested);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        QCOMPARE(placed.count(), 1);
        QCOMPARE(placed.at(0).at(0).value<PlaceOrder>().customerId, 0);
        QCOMPARE(placed.at(0).at(1).toString(), QStringLiteral("Zoë Quinn"));
        // A known name in other letter case is that customer, not a new one.
        m_form->showRegistration(CommandResult::rejected(QStringLiteral("The customer's name is empty."), QStringLiteral("name")),
                                 QStringLiteral("Zoë Quinn"));
        chooseCustomer(QStringLiteral("alice andersen"));
        QVERIFY(m_form->hintText().isEmpty());
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        QCOMPARE(placed.count(), 2);
        QCOMPARE(placed.at(1).at(0).value<PlaceOrder>().customerId, 1);
        QVERIFY(placed.at(1).at(1).toString().isEmpty());
    }

    void aLongNewNameNeverPushesTheButtonsAway()
    {
        addProduct(0, 1);
        const int width = m_host->width();
        chooseCustomer(QStringLiteral("Maximiliane Theodora Wilhelmina von und zu Hohenberg-Schwarzenfels"));
        QApplication::processEvents();
        QVERIFY(!m_form->hintText().isEmpty());
        QCOMPARE(m_host->width(), width);
        QVERIFY2(m_form->placeOrderButton()->geometry().right() <= m_form->width(),
                 qPrintable(QString::number(m_form->placeOrderButton()->geometry().right())));
        QVERIFY(m_form->addLineButton()->geometry().right() <= m_form->width());
    }

    void theOrderAnswerNamesANewCustomer()
    {
        chooseCustomer(QStringLiteral("Zoë Quinn"));
        addProduct(0, 1);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        m_form->showRegistration(accepted(51, 200), QStringLiteral("Zoë Quinn"));
        QVERIFY(m_form->answerText().contains(QStringLiteral("sending the order")));
        m_form->showResult(accepted(12, 201));
        QVERIFY(m_form->answerText().contains(QStringLiteral("Order #12 accepted")));
        QVERIFY2(m_form->answerText().contains(QStringLiteral("New customer #51")), qPrintable(m_form->answerText()));
        // The next order, for someone known, says nothing of it.
        chooseCustomer(QStringLiteral("Alice Andersen"));
        addProduct(0, 1);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        m_form->showResult(accepted(13, 202));
        QVERIFY(!m_form->answerText().contains(QStringLiteral("New customer")));
    }

    void aTooLongNameIsRefusedBeforeSending()
    {
        chooseCustomer(QString(Limits::maxNameLength + 5, u'x'));
        addProduct(0, 1);
        QVERIFY(!m_form->placeOrderButton()->isEnabled());
        QVERIFY2(m_form->hintText().contains(QString::number(Limits::maxNameLength)), qPrintable(m_form->hintText()));
    }

    void buttonsStayPutWhateverTheAnswer()
    {
        chooseCustomer(QStringLiteral("Alice Andersen"));
        addProduct(0, 1);
        const QPoint place = m_form->placeOrderButton()->mapTo(m_host.get(), QPoint());
        const QPoint other = m_other->mapTo(m_host.get(), QPoint());
        m_form->showResult(CommandResult::rejected(QStringLiteral("Short."), {}));
        QApplication::processEvents();
        QCOMPARE(m_form->placeOrderButton()->mapTo(m_host.get(), QPoint()), place);
        m_form->showResult(CommandResult::rejected(QStringLiteral("A much longer reason that wraps over several lines "
                                                                  "of the answer area, as a rejected order with a long "
                                                                  "explanation of what went wrong and why would do."),
                                                   {}));
        QApplication::processEvents();
        QCOMPARE(m_form->placeOrderButton()->mapTo(m_host.get(), QPoint()), place);
        QCOMPARE(m_other->mapTo(m_host.get(), QPoint()), other);
    }

    void focusStaysInTheFormAfterAnOrder()
    {
        chooseCustomer(QStringLiteral("Alice Andersen"));
        addProduct(0, 1);
        m_form->placeOrderButton()->setFocus();
        QTest::keyClick(m_form->placeOrderButton(), Qt::Key_Space);
        // Waiting disables the button; the focus must not jump out of the form.
        QVERIFY(!m_form->placeOrderButton()->isEnabled());
        QVERIFY(m_form->isAncestorOf(QApplication::focusWidget()));
        m_form->showResult(accepted(10, 140));
        QVERIFY2(m_form->isAncestorOf(QApplication::focusWidget()),
                 qPrintable(QApplication::focusWidget() ? QApplication::focusWidget()->objectName() : QStringLiteral("none")));
        QVERIFY(!m_other->hasFocus());
    }

    void aRefreshedCatalogKeepsTheChoice()
    {
        chooseCustomer(QStringLiteral("Bob Brown"));
        m_form->productPicker()->setCurrentIndex(1);
        // The read side sends a new catalog (one more customer, another price).
        CatalogSnapshot catalog = demoCatalog();
        catalog.customers.prepend({3, QStringLiteral("Carla Cruz"), {}, {}});
        catalog.products[1].priceCents = 460;
        m_form->setCatalog(catalog);
        QCOMPARE(m_form->customerPicker()->currentText(), QStringLiteral("Bob Brown"));
        QVERIFY(m_form->productPicker()->currentText().startsWith(QStringLiteral("Green Tea")));
        QVERIFY(m_form->productPicker()->currentText().contains(QStringLiteral("4.60")));
        addProduct(m_form->productPicker()->currentIndex(), 1);
        QSignalSpy placed(m_form, &CheckoutForm::placeOrderRequested);
        QTest::mouseClick(m_form->placeOrderButton(), Qt::LeftButton);
        QCOMPARE(placed.at(0).at(0).value<PlaceOrder>().customerId, 2);
        // Discontinued products are not offered.
        for (int i = 0; i < m_form->productPicker()->count(); ++i)
            QVERIFY(!m_form->productPicker()->itemText(i).contains(QStringLiteral("Old Lamp")));
    }

    void aFullOrderRefusesMoreLines()
    {
        CatalogSnapshot catalog;
        catalog.customers = {{1, QStringLiteral("Alice Andersen"), {}, {}}};
        for (int i = 0; i < Limits::maxLinesPerOrder + 2; ++i)
            catalog.products.append({100 + i, QStringLiteral("P%1").arg(i), QStringLiteral("Product %1").arg(i), {}, 100, 1000, false, 1});
        m_form->setCatalog(catalog);
        for (int i = 0; i < Limits::maxLinesPerOrder; ++i)
            addProduct(i, 1);
        QCOMPARE(m_form->lines()->rowCount(), Limits::maxLinesPerOrder);
        QVERIFY(!m_form->addLineButton()->isEnabled());
        // The same product again still raises its quantity, up to the limit.
        m_form->productPicker()->setCurrentIndex(0);
        m_form->quantityPicker()->setValue(Limits::maxQuantityPerLine);
        QCOMPARE(m_form->lines()->lines().at(0).quantity, 1);
    }

private:
    void chooseCustomer(const QString& name)
    {
        QLineEdit* edit = m_form->customerPicker()->lineEdit();
        edit->setFocus();
        edit->selectAll();
        cqrs::test::typeText(edit, name);
        cqrs::test::pressKey(edit, Qt::Key_Escape); // close the completer's pop-up
    }

    void addProduct(int pickerIndex, int quantity)
    {
        m_form->productPicker()->setCurrentIndex(pickerIndex);
        m_form->quantityPicker()->setValue(quantity);
        QTest::mouseClick(m_form->addLineButton(), Qt::LeftButton);
    }

    void clickLine(int row)
    {
        QTableView* view = m_form->linesView();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cellCentre(view, row, OrderLinesModel::ProductColumn));
    }

    std::unique_ptr<QWidget> m_host;
    CheckoutForm* m_form = nullptr;
    QPushButton* m_other = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(TestCheckoutForm)
#include "tst_checkoutform.moc"
