// The window in moments a real lab only reaches by luck of timing: a view
// emptied by a rebuild under a chosen customer, a store that fails, a view
// that stops, a checkpoint that starves. A scripted session (fakelabsession.h)
// puts the window exactly there; the person's side is driven by mouse and keys.
#include "fakelabdata.h"
#include "fakelabsession.h"
#include "typing.h"

#include "ui/catalogadminpanel.h"
#include "ui/checkoutform.h"
#include "ui/controlspanel.h"
#include "ui/customerstatsmodel.h"
#include "ui/dashboard.h"
#include "ui/flowdiagram.h"
#include "ui/lablifecycle.h"
#include "ui/mainwindow.h"
#include "ui/orderlinesmodel.h"
#include "ui/receiptdialog.h"
#include "ui/receiptopener.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <cmath>

using namespace cqrs;
using namespace cqrs::test;
using namespace cqrs::ui;

namespace {
constexpr int timeoutMs = 10'000;

template <typename W> W* byName(QWidget* root, const QString& name) {
    for (W* widget : root->findChildren<W*>()) {
        if (widget->accessibleName() == name && widget->isVisibleTo(root))
            return widget;
    }
    return nullptr;
}

} // namespace

class TestWindowMoments final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QSettings().clear();
        m_sessions.clear();
        m_window = std::make_unique<MainWindow>(m_dir.path(), FakeLabSession::factory(&m_sessions));
        m_window->show();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        // As a real lab says it: the views changed, so their projections
        // advanced (the window may already have asked them while empty).
        scriptDemoViews(fake());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->checkoutForm()->customerPicker()->count(), 3,
                                  timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->checkoutForm()->productPicker()->count(), 2, timeoutMs);
    }

    void cleanup() {
        m_window->close();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isShutDown(), timeoutMs);
        m_window.reset();
    }

    void aRebuildEmptyingTheViewsKeepsTheCheckoutChoice() {
        CheckoutForm* form = m_window->checkoutForm();
        QLineEdit* edit = form->customerPicker()->lineEdit();
        edit->setFocus();
        typeText(edit, QStringLiteral("Bob Brown"));
        pressKey(edit, Qt::Key_Escape); // closes the completer's pop-up
        form->productPicker()->setCurrentIndex(1);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);

        QTest::mouseClick(
            byName<QPushButton>(m_window->controls(), QStringLiteral("Rebuild views")),
            Qt::LeftButton);
        QCOMPARE(fake()->rebuilt, QStringList{QString()});
        // The rebuild has emptied the views and starts replaying: the
        // window asks them, and they answer from position 0.
        fake()->customers = CustomerStatsResult{};
        fake()->products = ProductSalesResult{};
        fake()->sendAdvance(QStringLiteral("customer_stats"), 0, true);
        fake()->sendAdvance(QStringLiteral("product_sales"), 0, true);
        fake()->sendSnapshot(snapshotAt(80, 0));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->dashboard()->customerStats()->rowCount(), 0,
                                  timeoutMs); // the dashboard shows the view as it is
        // The form still knows Bob and the tea: they did not stop existing.
        QCOMPARE(form->customerPicker()->count(), 3);
        QCOMPARE(form->customerPicker()->currentText(), QStringLiteral("Bob Brown"));
        QVERIFY2(form->placeOrderButton()->isEnabled(),
                 qPrintable(form->placeOrderButton()->toolTip()));
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(form->answerText().contains(QStringLiteral("accepted")),
                                 timeoutMs);
        const auto* order = std::get_if<PlaceOrder>(&fake()->submitted.last());
        QVERIFY(order);
        QCOMPARE(order->customerId, 2);
        QCOMPARE(order->lines.at(0).productId, 11);
    }

    void aSecondReceiptIgnoresTheFirstStillOnItsWay() {
        // Two orders in the table; the receipts' answers come only when the test says.
        fake()->holdReceipts = true;
        fake()->receiptAnswer.found = true;
        OrderPage page;
        page.meta.position = 80;
        for (qint64 id : {7, 8}) {
            OrderSummaryRow row;
            row.orderId = id;
            row.customerId = 1;
            row.customerName = QStringLiteral("Alice Andersen");
            row.status = QStringLiteral("placed");
            row.lastPosition = 60 + id;
            page.rows.append(row);
        }
        page.totalOrders = 2;
        fake()->orders = page;
        fake()->sendAdvance(QStringLiteral("order_summary"), 80, false);
        fake()->sendSnapshot(snapshotAt(80, 80));
        auto* orders = byName<QTableView>(m_window->dashboard(), QStringLiteral("Recent orders"));
        QVERIFY(orders);
        QTRY_COMPARE_WITH_TIMEOUT(orders->model()->rowCount(), 2, timeoutMs);

        // A person double-clicks one order, then the other before the first receipt came.
        const auto doubleClickRow = [orders](int row) {
            const QPoint at = orders->visualRect(orders->model()->index(row, 0)).center();
            QTest::mousePress(orders->viewport(), Qt::LeftButton, {}, at);
            QTest::mouseRelease(orders->viewport(), Qt::LeftButton, {}, at);
            QTest::mouseDClick(orders->viewport(), Qt::LeftButton, {}, at);
            QTest::mouseRelease(orders->viewport(), Qt::LeftButton, {}, at);
        };
        doubleClickRow(0);
        QTRY_COMPARE_WITH_TIMEOUT(fake()->heldReceipts.size(), 1, timeoutMs);
        doubleClickRow(1);
        QTRY_COMPARE_WITH_TIMEOUT(fake()->heldReceipts.size(), 2, timeoutMs);
        const qint64 first = fake()->heldReceipts.at(0).answer.event.aggregateId;
        const qint64 second = fake()->heldReceipts.at(1).answer.event.aggregateId;
        QCOMPARE_NE(first, second);
        fake()->heldReceipts[0].answer.event.position = 60 + first;
        fake()->heldReceipts[1].answer.event.position = 60 + second;

        ReceiptDialog* dialog = m_window->receipts()->dialog();
        QVERIFY(dialog && dialog->isVisible());
        fake()->releaseReceipt(1);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->receipt().event.aggregateId, second, timeoutMs);
        // The first answer arrives late: the dialog stays on the order asked last.
        fake()->releaseReceipt(0);
        QCoreApplication::sendPostedEvents(); // its watcher's call-out runs
        QCOMPARE(dialog->receipt().event.aggregateId, second);
        QCOMPARE(dialog->receipt().event.position, 60 + second);
        QVERIFY2(dialog->detailsText().contains(QString::number(60 + second)),
                 qPrintable(dialog->detailsText()));
        QTest::keyClick(dialog, Qt::Key_Escape);
    }

    void aStoreFailureIsShownAsAFailure() {
        fake()->answer = [](const Command&) {
            return CommandResult::failed(
                QStringLiteral("The write store could not commit: database or disk is full."));
        };
        CheckoutForm* form = m_window->checkoutForm();
        form->customerPicker()->setCurrentIndex(0);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(form->answerText().contains(QStringLiteral("failed")), timeoutMs);
        QVERIFY(!form->answerText().contains(QStringLiteral("Rejected")));
        QCOMPARE(form->lines()->rowCount(), 1);

        CatalogAdminPanel* admin = m_window->adminPanel();
        QTest::mouseClick(byName<QPushButton>(admin, QStringLiteral("Restock")), Qt::LeftButton);
        QLabel* answer =
            byName<QLabel>(admin, QStringLiteral("Answer to the last catalog command"));
        QTRY_VERIFY_WITH_TIMEOUT(answer->text().contains(QStringLiteral("not saved")), timeoutMs);
        QVERIFY(!answer->text().contains(QStringLiteral("rejected")));
    }

    void theBannerCountsFromMatchingPositions() {
        LagSnapshot behind = snapshotAt(120, 110);
        behind.write.orders = 30;
        behind.ordersNotVisible = 4;
        fake()->sendSnapshot(behind);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->dashboard()->bannerText().contains(QStringLiteral("4 not visible yet")),
            timeoutMs);
        QVERIFY(m_window->dashboard()->bannerText().contains(QStringLiteral("<b>26</b>")));
        LagSnapshot caught = snapshotAt(120, 120);
        caught.write.orders = 30;
        caught.ordersNotVisible = 0;
        fake()->sendSnapshot(caught);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->dashboard()->bannerText().contains(QStringLiteral("all visible")), timeoutMs);
        LagSnapshot unknown = caught;
        unknown.ordersNotVisible = -1;
        fake()->sendSnapshot(unknown);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->dashboard()->bannerText().contains(QStringLiteral("unknown")), timeoutMs);
    }

    void aFailedViewSaysWhyAndOffersRetry() {
        LagSnapshot snapshot = snapshotAt(200, 150);
        ProjectionLag& search = snapshot.projections.last();
        search.status.state = ProjectionState::Failed;
        search.status.error =
            QStringLiteral("/tmp/read.db could not start a transaction: disk I/O error");
        search.timeBehindMs = std::nan("");
        search.timeBehindProblem =
            QStringLiteral("The commit time of event 151 could not be read: disk I/O error");
        fake()->sendSnapshot(snapshot);
        FlowDiagram* panel = m_window->diagram();
        QTRY_COMPARE_WITH_TIMEOUT(panel->stateText(QStringLiteral("search_index")),
                                  QStringLiteral("failed"), timeoutMs);
        QVERIFY2(panel->behindText(QStringLiteral("search_index"))
                     .contains(QStringLiteral("time unknown")),
                 qPrintable(panel->behindText(QStringLiteral("search_index"))));
        auto* retry = byName<QToolButton>(panel, QStringLiteral("Retry Search index"));
        QVERIFY(retry);
        QTest::mouseClick(retry, Qt::LeftButton);
        QCOMPARE(fake()->retried, QStringList{QStringLiteral("search_index")});
    }

    void aStarvedCheckpointIsNamedInTheStatusBar() {
        LagSnapshot snapshot = snapshotAt(200, 200);
        snapshot.storeWarnings = {QStringLiteral(
            "No checkpoint of write.db for 3 s: its WAL keeps growing. Cannot open the database")};
        fake()->sendSnapshot(snapshot);
        auto* warning = byName<QLabel>(m_window->statusBar(), QStringLiteral("Store warning"));
        QTRY_VERIFY_WITH_TIMEOUT(warning && warning->text().contains(QStringLiteral("write.db")),
                                 timeoutMs);
        fake()->sendSnapshot(snapshotAt(201, 201));
        QTRY_VERIFY_WITH_TIMEOUT(!warning->isVisible(), timeoutMs);
    }

    void aSynchronousUpdateThatCannotStartSaysWhy() {
        auto* update = byName<QComboBox>(m_window->controls(), QStringLiteral("Read-model update"));
        update->setFocus();
        QTest::keyClick(update, Qt::Key_Down);
        QVERIFY(m_window->controls()->synchronous());
        fake()->failSynchronousUpdate(
            QStringLiteral("/tmp/read.db could not be attached to the write connection: "
                           "unable to open database file. Synchronous update is off."));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->controls()->updateNote().contains(QStringLiteral("could not be attached")),
            timeoutMs);
    }

private:
    FakeLabSession* fake() const { return m_sessions.last(); }

    QTemporaryDir m_dir;
    QList<FakeLabSession*> m_sessions;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestWindowMoments)
#include "tst_windowmoments.moc"
