// The window as a person uses it, offscreen: fill the form, place an order,
// watch it go from pending to normal; turn knobs and see the read side
// react; and through all of it, no SQL and no waiting on the GUI thread.
#include "windowsupport.h"

#include "ui/catalogadminpanel.h"
#include "ui/controlspanel.h"
#include "ui/customerstatsmodel.h"
#include "ui/dashboard.h"
#include "ui/eventstreammodel.h"
#include "ui/flowdiagram.h"
#include "ui/lablifecycle.h"
#include "ui/orderlinesmodel.h"
#include "ui/productsalesmodel.h"
#include "ui/recentordersmodel.h"
#include "ui/searchresultsmodel.h"
#include "ui/timeserieschart.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHash>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QValueAxis>

#include <cmath>

using namespace cqrs;
using namespace cqrs::test;
using namespace cqrs::ui;

namespace {
constexpr int timeoutMs = windowTimeoutMs;

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

qint64 acceptedOrderId(const QString& answer) {
    // "✔ Order #123 accepted — event position 456."
    const qsizetype hash = answer.indexOf(QStringLiteral("Order #"));
    if (hash < 0 || !answer.contains(QStringLiteral("accepted")))
        return 0;
    return answer.mid(hash + 7).section(u' ', 0, 0).toLongLong();
}

const ProjectionLag* lagOf(const LagSnapshot& snapshot, const QString& name) {
    for (const ProjectionLag& lag : snapshot.projections) {
        if (lag.status.name == name)
            return &lag;
    }
    return nullptr;
}

bool caughtUp(const LagSnapshot& snapshot) {
    return !snapshot.projections.isEmpty() && snapshot.caughtUp() && snapshot.head > 0;
}

/// The position of the first event of `type` in the event stream's rows, or 0.
qint64 streamHas(const EventStreamModel* model, const QString& type,
                 const QString& summaryPart = {}) {
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, EventStreamModel::TypeColumn).data().toString() == type &&
            model->index(row, EventStreamModel::SummaryColumn)
                .data()
                .toString()
                .contains(summaryPart))
            return model->index(row, EventStreamModel::PositionColumn).data().toLongLong();
    }
    return 0;
}
} // namespace

class TestMainWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        QSettings().clear();
        ThreadAudit::clearViolations();
        m_window = openWindow(m_dir.path() + QStringLiteral("/run") + QString::number(++m_run));
        QVERIFY(waitForCatalog(m_window.get()));
    }

    void cleanup() {
        QVERIFY(closeWindow(m_window));
        // Invariant 6 and the owner-thread rule, for every scenario, closing included.
        QVERIFY2(ThreadAudit::violationCount() == 0, qPrintable(auditReport()));
    }

    void placedOrderAfterClickingItsLineIsPendingThenNormal() {
        CheckoutForm* form = m_window->checkoutForm();
        // A visible delay, so the pending state lasts long enough to see.
        m_window->controls()->setDelay(1500, 0);
        QVERIFY(!form->placeOrderButton()->isEnabled()); // nothing to send yet
        typeCustomer(form, form->customerPicker()->itemText(0));
        form->productPicker()->setCurrentIndex(1);
        form->quantityPicker()->setValue(2);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QCOMPARE(form->lines()->rowCount(), 1);
        // The action that crashed the window: click the line, then place the order.
        QTableView* lines = form->linesView();
        QTest::mouseClick(
            lines->viewport(), Qt::LeftButton, {},
            lines->visualRect(form->lines()->index(0, OrderLinesModel::ProductColumn)).center());
        QVERIFY(lines->selectionModel()->hasSelection());
        QVERIFY(form->placeOrderButton()->isEnabled());
        QTest::keyClick(form->placeOrderButton(), Qt::Key_Return);

        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
        const qint64 orderId = acceptedOrderId(form->answerText());
        QVERIFY(m_window->dashboard()->recentOrders()->rowByKey(orderId));
        QVERIFY(m_window->dashboard()->recentOrders()->rowByKey(orderId)->pending);
        // While pending, the banner says so, from matching positions.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->dashboard()->bannerText().contains(QStringLiteral("1 not visible yet")),
            timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->dashboard()->recentOrders()->rowByKey(orderId) &&
                !m_window->dashboard()->recentOrders()->rowByKey(orderId)->pending,
            timeoutMs);
        const RecentOrderRow* row = m_window->dashboard()->recentOrders()->rowByKey(orderId);
        QCOMPARE(row->order.itemCount, 2);
        QCOMPARE(row->order.status, QStringLiteral("placed"));
        QCOMPARE(form->lines()->rowCount(), 0); // the form is ready for the next order
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->dashboard()->bannerText().contains(QStringLiteral("all visible")), timeoutMs);
    }

    void invalidOrderCannotBeSentAndRuleViolationShowsReason() {
        CheckoutForm* form = m_window->checkoutForm();
        // No customer named: the button refuses.
        form->productPicker()->setCurrentIndex(0);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QVERIFY(!form->placeOrderButton()->isEnabled());
        QTest::keyClick(form->linesView(), Qt::Key_Return);
        QVERIFY(!form->answerText().contains(QStringLiteral("accepted")));

        // A rule only the write side knows: more than is in stock.
        form->lines()->clear();
        typeCustomer(form, form->customerPicker()->itemText(3));
        const int headphones =
            form->productPicker()->findText(QStringLiteral("Noise-Cancelling"), Qt::MatchContains);
        QVERIFY(headphones >= 0);
        form->productPicker()->setCurrentIndex(headphones);
        form->quantityPicker()->setValue(60);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QVERIFY(form->placeOrderButton()->isEnabled());
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(form->answerText().contains(QStringLiteral("Rejected")),
                                 timeoutMs);
        QVERIFY2(form->answerText().contains(
                     QStringLiteral("Not enough stock: only 15 Noise-Cancelling Headphones left.")),
                 qPrintable(form->answerText()));
        QCOMPARE(form->lines()->rowCount(), 1); // kept, so the user can fix it
    }

    void readYourWritesShowsTheOwnOrderOnlyWhenVisible() {
        // With read-your-writes the query waits for the view: the order
        // appears once it is there, never as pending.
        CheckoutForm* form = m_window->checkoutForm();
        m_window->controls()->setConsistency(ConsistencyMode::ReadYourWrites);
        m_window->controls()->setDelay(600, 0);
        QSignalSpy inserted(m_window->dashboard()->recentOrders(),
                            &QAbstractItemModel::rowsInserted);
        typeCustomer(form, form->customerPicker()->itemText(6));
        form->productPicker()->setCurrentIndex(2);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
        const qint64 orderId = acceptedOrderId(form->answerText());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->recentOrders()->rowByKey(orderId),
                                 timeoutMs);
        QVERIFY(!m_window->dashboard()->recentOrders()->rowByKey(orderId)->pending);
        QCOMPARE(m_window->dashboard()->recentOrders()->pendingCount(), 0);
    }

    void everyMnemonicOfTheWindowIsItsOwn() {
        // Alt+letter must reach one control: labels with a buddy, buttons and menus.
        QHash<QChar, QString> taken;
        const auto take = [&taken](const QString& text) {
            const qsizetype amp = text.indexOf(u'&');
            if (amp < 0 || amp + 1 >= text.size() || text.at(amp + 1) == u'&')
                return QString();
            const QChar key = text.at(amp + 1).toLower();
            if (taken.contains(key))
                return QStringLiteral("Alt+%1: \"%2\" and \"%3\"").arg(key, taken.value(key), text);
            taken.insert(key, text);
            return QString();
        };
        QStringList clashes;
        for (QAction* menu : m_window->menuBar()->actions())
            clashes << take(menu->text());
        for (QLabel* label : m_window->findChildren<QLabel*>()) {
            if (label->buddy())
                clashes << take(label->text());
        }
        for (QAbstractButton* button : m_window->findChildren<QAbstractButton*>())
            clashes << take(button->text());
        clashes.removeAll(QString());
        QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u'\n')));
        QVERIFY(taken.size() >= 15);
    }

    void aNewCustomerIsRegisteredThroughTheBus() {
        CheckoutForm* form = m_window->checkoutForm();
        typeCustomer(form, QStringLiteral("Zoë Quinn"));
        QVERIFY2(form->hintText().contains(QStringLiteral("registers")),
                 qPrintable(form->hintText()));
        form->productPicker()->setCurrentIndex(2);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
        // Both commands are in the log, the customer in the views and the picker.
        QTRY_VERIFY_WITH_TIMEOUT(streamHas(m_window->dashboard()->eventStream(),
                                           QStringLiteral("CustomerRegistered"),
                                           QStringLiteral("Zoë Quinn")) > 0,
                                 timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(streamHas(m_window->dashboard()->eventStream(),
                                           QStringLiteral("OrderPlaced"),
                                           QStringLiteral("Zoë Quinn")) > 0,
                                 timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(form->customerPicker()->count(), 51, timeoutMs);
        QVERIFY(form->customerPicker()->findText(QStringLiteral("Zoë Quinn")) >= 0);
        const auto inStats = [this] {
            for (const CustomerStatsRow& row : m_window->dashboard()->customerStats()->rows()) {
                if (row.name == QStringLiteral("Zoë Quinn") && row.orders == 1)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(inStats(), timeoutMs);
    }

    void aStalePriceFromTheAdminPanelIsOfferedAndAccepted() {
        CheckoutForm* form = m_window->checkoutForm();
        CatalogAdminPanel* admin = m_window->adminPanel();
        auto* product = byName<QComboBox>(admin, QStringLiteral("Product to change"));
        auto* price = byName<QDoubleSpinBox>(admin, QStringLiteral("New price"));
        auto* reason = byName<QLineEdit>(admin, QStringLiteral("Reason for the price change"));
        QVERIFY(product && price && reason);
        product->setCurrentIndex(0);
        const QString name =
            product->currentText().section(QStringLiteral(" ("), 0, 0); // "Blue Mug (120 in stock)"
        // The form shows the price the read side knows; pick the line first.
        typeCustomer(form, form->customerPicker()->itemText(1));
        form->productPicker()->setCurrentIndex(
            form->productPicker()->findText(name, Qt::MatchStartsWith));
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        m_window->controls()->setDelay(3000, 0); // the read side learns of the new price late
        price->setValue(price->value() + 1.0);
        reason->setFocus();
        QTest::keyClicks(reason, QStringLiteral("supplier price rise"));
        QTest::mouseClick(byName<QPushButton>(admin, QStringLiteral("Change price")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            byName<QLabel>(admin, QStringLiteral("Answer to the last catalog command"))
                ->text()
                .contains(QStringLiteral("accepted")),
            timeoutMs);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(form->answerText().contains(QStringLiteral("new price")),
                                 timeoutMs);
        QCOMPARE(form->lines()->problemRow(), 0);
        // Placing it again, with the line still selected, accepts the new price.
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
    }

    void delaySliderChangesProjectorDelay() {
        QSlider* slider = m_window->controls()->delaySlider();
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_PageUp);
        QTest::keyClick(slider, Qt::Key_PageUp);
        const auto delayOf = [this](const char* name) {
            const ProjectionLag* lag =
                lagOf(m_window->dashboard()->lastSnapshot(), QLatin1String(name));
            return lag ? lag->status.knobs.delayMs : -1;
        };
        QTRY_COMPARE_WITH_TIMEOUT(delayOf("order_summary"), 1000, timeoutMs);
        QTest::keyClick(slider, Qt::Key_PageDown);
        QTRY_COMPARE_WITH_TIMEOUT(delayOf("product_sales"), 500, timeoutMs);
    }

    void pausingAProjectionGrowsEventsBehind() {
        const QString name = QStringLiteral("customer_stats");
        auto* pause =
            byName<QToolButton>(m_window->diagram(), QStringLiteral("Pause Customer stats"));
        QVERIFY(pause);
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->diagram()->stateText(name), QStringLiteral("paused"),
                                  timeoutMs);
        m_window->controls()->setTrafficRate(200);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->diagram()->behindText(name).contains(QStringLiteral("behind")), timeoutMs);
        const auto behind = [&] {
            return m_window->diagram()
                ->behindText(name)
                .section(u' ', 0, 0)
                .remove(u',')
                .toLongLong();
        };
        const qint64 first = behind();
        QTRY_VERIFY_WITH_TIMEOUT(behind() > first + 50, timeoutMs);
        m_window->controls()->setTrafficRate(0);
        QTest::mouseClick(pause, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->diagram()->behindText(name),
                                  QStringLiteral("caught up"), timeoutMs);
    }

    void lagChartReceivesPointsAndGaps() {
        TimeSeriesChart* chart = m_window->dashboard()->lagChart();
        QTRY_VERIFY_WITH_TIMEOUT(chart->pointCount(2) > 10,
                                 timeoutMs); // time behind: measured every snapshot
        QTRY_VERIFY_WITH_TIMEOUT(chart->framesDrawn() > 3, timeoutMs);
        // Nothing applied lately: no visibility sample, so no p50 point at 0.
        const QList<QPointF> p50 = m_window->dashboard()->lagChart()->points(0);
        QVERIFY(std::none_of(p50.cbegin(), p50.cend(),
                             [](const QPointF& p) { return p.y() == 0.0 && p.x() > -3; }));
        // The checkout chart says what it measures, and has no measurement without traffic.
        QVERIFY(m_window->dashboard()->checkoutChart()->chart()->title().contains(
            QStringLiteral("submit to commit")));
        QCOMPARE(m_window->dashboard()->checkoutChart()->pointCount(0), 0);
        m_window->controls()->setTrafficRate(100);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->checkoutChart()->pointCount(1) > 5,
                                 timeoutMs);
        m_window->controls()->setTrafficRate(0);
    }

    void replayedEventsAreNotVisibilitySamples() {
        // Switching to logical replays the whole log into write.db's views;
        // a rebuild replays it in place. Neither may count as the visibility
        // of new commands, nor make "time behind" the age of the log.
        m_window->controls()->setTrafficRate(200);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head > 800, timeoutMs);
        m_window->controls()->setTrafficRate(0);
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(m_window->dashboard()->lastSnapshot()), timeoutMs);
        const LagSnapshot before = m_window->dashboard()->lastSnapshot();
        m_window->controls()->setArchitecture(ArchitectureMode::Logical);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state().architecture,
                                  ArchitectureMode::Logical, timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(m_window->dashboard()->lastSnapshot()) &&
                                     !m_window->session()->state().storeSwitchPending,
                                 timeoutMs);
        const LagSnapshot after = m_window->dashboard()->lastSnapshot();
        const qint64 views = after.projections.size();
        QVERIFY2(after.cumulative.count() - before.cumulative.count() <=
                     views * (after.head - before.head),
                 qPrintable(QStringLiteral("%1 new samples for %2 new events")
                                .arg(after.cumulative.count() - before.cumulative.count())
                                .arg(after.head - before.head)));
        QVERIFY2(!(after.maxMs > 10'000), qPrintable(QString::number(after.maxMs)));
        // The axes stay in fixed-point numbers.
        QVERIFY(!m_window->dashboard()->lagChart()->valueAxis()->labelFormat().contains(u'g'));
    }

    void theBannerAgreesWithTheViewsInSynchronousMode() {
        CheckoutForm* form = m_window->checkoutForm();
        byName<QComboBox>(m_window->controls(), QStringLiteral("Read-model update"))
            ->setCurrentIndex(1);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state().synchronousUpdateActive, timeoutMs);
        typeCustomer(form, form->customerPicker()->itemText(2));
        form->productPicker()->setCurrentIndex(3);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
        // The views hold the order when the answer arrives: never "not visible".
        for (int i = 0; i < 5; ++i) {
            QSignalSpy snapshots(m_window->session(), &LabSession::snapshotReady);
            QVERIFY(snapshots.wait(timeoutMs));
            QVERIFY2(!m_window->dashboard()->bannerText().contains(QStringLiteral("not visible")),
                     qPrintable(m_window->dashboard()->bannerText()));
        }
        QVERIFY(m_window->dashboard()->bannerText().contains(QStringLiteral("all visible")));
    }

    void crudShowsTheReadSideAsNotInUse() {
        m_window->controls()->setArchitecture(ArchitectureMode::Crud);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady() && m_window->session()->state().architecture ==
                                                            ArchitectureMode::Crud,
                                 timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->diagram()->stateText(QStringLiteral("order_summary")),
                                  QStringLiteral("not in use"), timeoutMs);
        QCOMPARE(m_window->diagram()->behindText(QStringLiteral("search_index")),
                 QStringLiteral("not in use"));
        QVERIFY(!m_window->diagram()->pauseEnabled(QStringLiteral("order_summary")));
        QVERIFY(!m_window->controls()->updatePicker()->isEnabled());
        QVERIFY(!m_window->controls()->consistencyPicker()->isEnabled());
        QVERIFY(m_window->controls()->updateNote().contains(QStringLiteral("CRUD")));
        QVERIFY(m_window->controls()->consistencyNote().contains(QStringLiteral("CRUD")));
        QVERIFY(m_window->dashboard()->bannerText().contains(QStringLiteral("write tables")));
        m_window->controls()->setArchitecture(ArchitectureMode::Physical);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady() && m_window->session()->state().architecture ==
                                                            ArchitectureMode::Physical,
                                 timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->diagram()->stateText(QStringLiteral("order_summary")) !=
                                     QStringLiteral("not in use"),
                                 timeoutMs);
        QVERIFY(m_window->controls()->updatePicker()->isEnabled());
    }

    void modelsStayConsistentWhileOrdersStream() {
        // The tester checks every signal the models emit against their data.
        using Tester = QAbstractItemModelTester;
        const auto mode = Tester::FailureReportingMode::QtTest;
        Tester orders(m_window->dashboard()->recentOrders(), mode),
            customers(m_window->dashboard()->customerStats(), mode),
            products(m_window->dashboard()->productSales(), mode),
            search(m_window->dashboard()->searchResults(), mode),
            events(m_window->dashboard()->eventStream(), mode),
            lines(m_window->checkoutForm()->lines(), mode);
        m_window->controls()->setDelay(100, 100);
        m_window->controls()->setTrafficRate(400);
        QTest::keyClicks(m_window->dashboard()->searchBox(), QStringLiteral("mug"));
        const qint64 start = m_window->dashboard()->lastSnapshot().head;
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head > start + 600,
                                 timeoutMs);
        m_window->controls()->setTrafficRate(0);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->searchResults()->rowCount() > 0, timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->recentOrders()->rowCount() >= 200,
                                 timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->eventStream()->rowCount() >= 500,
                                 timeoutMs);
        QCOMPARE(m_window->dashboard()->eventStream()->rowCount(), 500); // capped
    }

    void resetPutsEverythingBackAsAtLaunch() {
        // Data, knobs, charts and traffic all go back; the question names the folder.
        m_window->controls()->setDelay(800, 200);
        m_window->controls()->setTrafficRate(500);
        m_window->controls()->setAnalyticsRate(1);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head > 400, timeoutMs);
        QSignalSpy sessions(m_window->lifecycle(), &LabLifecycle::sessionStarted);
        m_window->resetDemoData();
        QPointer<QMessageBox> box;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("resetQuestion"))));
        QVERIFY(box->text().contains(QDir::toNativeSeparators(m_window->dataDirectory())));
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        QVERIFY(!m_window->isReady());
        m_window->resetDemoDataNow(); // ignored: still resetting
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QCOMPARE(sessions.count(), 1);
        QCOMPARE(m_window->controls()->trafficRate(), 0);
        QCOMPARE(m_window->controls()->analyticsRate(), 0);
        QCOMPARE(m_window->controls()->delayMs(), 0);
        QCOMPARE(m_window->controls()->jitterMs(), 0);
        QCOMPARE(m_window->dashboard()->recentOrders()->rowCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->checkoutForm()->productPicker()->count(), 20,
                                  timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head > 0, timeoutMs);
        QVERIFY2(m_window->dashboard()->lastSnapshot().head < 400,
                 qPrintable(QString::number(m_window->dashboard()->lastSnapshot().head)));
        QVERIFY(m_window->dashboard()->lagChart()->pointCount(2) < 100); // the chart started over
    }

    void trafficStartsAtZeroOnEveryLaunch() {
        m_window->controls()->setTrafficRate(300);
        m_window->controls()->setAnalyticsRate(2);
        m_window->controls()->setDelay(250, 0);
        const QString dir = m_window->dataDirectory();
        QVERIFY(closeWindow(m_window));
        QSettings().setValue(QStringLiteral("traffic/ordersPerS"),
                             800); // as an earlier version saved it
        m_window = openWindow(dir);
        QVERIFY(waitForCatalog(m_window.get()));
        QCOMPARE(m_window->controls()->trafficRate(), 0);
        QCOMPARE(m_window->controls()->analyticsRate(), 0);
        QCOMPARE(m_window->controls()->delayMs(), 250); // the knobs are kept
    }

    void crossingBetweenCrudAndCqrsReopensTheStoreOnItsJournal() {
        // CRUD needs the rollback journal, which SQLite only switches to with
        // every connection closed: the window reopens the same store, with
        // the traffic still on. Logical <-> physical stays a live switch.
        QCOMPARE(m_window->session()->state().journal, JournalMode::WriteAheadLog);
        m_window->controls()->setTrafficRate(300);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head > 200, timeoutMs);
        QSignalSpy sessions(m_window->lifecycle(), &LabLifecycle::sessionStarted);
        const qint64 head = m_window->dashboard()->lastSnapshot().head;
        m_window->controls()->setArchitecture(ArchitectureMode::Crud);
        QVERIFY(!m_window->isReady());
        QVERIFY(!m_window->checkoutForm()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QCOMPARE(sessions.count(), 1);
        QCOMPARE(m_window->session()->state().architecture, ArchitectureMode::Crud);
        QCOMPARE(m_window->session()->state().journal, JournalMode::Rollback);
        QVERIFY(m_window->checkoutForm()->isEnabled());
        // The same store, not a fresh one: the orders are kept and the
        // traffic goes on from there.
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head > head + 50, timeoutMs);

        const qint64 crudHead = m_window->dashboard()->lastSnapshot().head;
        m_window->controls()->setArchitecture(ArchitectureMode::Logical);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QCOMPARE(m_window->session()->state().journal, JournalMode::WriteAheadLog);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head >= crudHead, timeoutMs);
        QCOMPARE(sessions.count(), 2);
        m_window->controls()->setArchitecture(ArchitectureMode::Physical);
        QVERIFY(m_window->isReady()); // no reopen
        QCOMPARE(sessions.count(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->session()->state().architecture,
                                  ArchitectureMode::Physical, timeoutMs);
        // Reset right after a live switch: the old session's switch and its
        // shutdown run on its own control thread (checked by the audit).
        m_window->controls()->setArchitecture(ArchitectureMode::Logical);
        m_window->resetDemoDataNow();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
    }

    void backgroundThreadsDoNotPreemptTheCommandWorker() {
        // Every commit wakes the projectors and the event stream; they run
        // under SCHED_BATCH so that waking them never takes the command
        // worker's core (util/threadpolicy.h). Read each thread's policy
        // the way `ps -L -o cls` does: field 41 of /proc/self/task/N/stat.
        if (!QFile::exists(QStringLiteral("/proc/self/task")))
            QSKIP("needs Linux /proc");
        m_window->controls()->setAnalyticsRate(1); // starts the analytics thread's work
        QHash<QString, int> policies;
        const auto readPolicies = [&policies] {
            policies.clear();
            const QDir tasks(QStringLiteral("/proc/self/task"));
            for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
                if (!stat.open(QIODevice::ReadOnly))
                    continue;
                const QByteArray line = stat.readAll();
                // "pid (comm) state ...": comm may hold spaces, so split after ')'.
                const qsizetype open = line.indexOf('('), close = line.lastIndexOf(')');
                const QList<QByteArray> fields = line.mid(close + 2).split(' ');
                const QString comm = QString::fromUtf8(line.mid(open + 1, close - open - 1));
                if (fields.size() > 38) // fields[0] is field 3 (state): policy is field 41
                    policies.insert(comm, fields[38].toInt());
            }
            return policies.contains(QStringLiteral("event-stream")) &&
                   policies.contains(QStringLiteral("analytics"));
        };
        QTRY_VERIFY_WITH_TIMEOUT(readPolicies(), timeoutMs);
        constexpr int other = 0, batch = 3; // SCHED_OTHER, SCHED_BATCH
        for (const char* name : {"projectors", "event-stream", "lag-monitor", "ckpt write.db",
                                 "ckpt read.db", "analytics"})
            QVERIFY2(policies.value(QLatin1String(name), -1) == batch,
                     qPrintable(QStringLiteral("%1: policy %2")
                                    .arg(QLatin1String(name))
                                    .arg(policies.value(QLatin1String(name), -1))));
        for (const char* name : {"command-worker", "traffic", "lab-control"})
            QVERIFY2(policies.value(QLatin1String(name), -1) == other,
                     qPrintable(QStringLiteral("%1: policy %2")
                                    .arg(QLatin1String(name))
                                    .arg(policies.value(QLatin1String(name), -1))));
        m_window->controls()->setAnalyticsRate(0);
    }

    void failedOpenSaysWhyAndRetryOpensOnceFixed() {
        // A write.db that is not SQLite: the window says so and names the
        // file, leaves it untouched, and opens the folder again on Retry.
        const QString dir = m_dir.filePath(QStringLiteral("broken"));
        QVERIFY(QDir().mkpath(dir));
        const QString path = QDir(dir).filePath(QStringLiteral("write.db"));
        const QByteArray notes =
            QByteArray("These are someone's notes, not a database.\n").repeated(100);
        writeFile(path, notes);
        auto window = openWindow(dir);
        QPointer<QMessageBox> box;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = window->findChild<QMessageBox*>(QStringLiteral("openFailure"))), timeoutMs);
        QTRY_VERIFY(box->isVisible());
        QVERIFY2(box->text().contains(QStringLiteral("not an SQLite file")),
                 qPrintable(box->text()));
        QVERIFY2(box->text().contains(QDir::toNativeSeparators(path).toHtmlEscaped()) ||
                     box->text().contains(path),
                 qPrintable(box->text()));
        QVERIFY(!window->isReady());
        QVERIFY(!window->checkoutForm()->isEnabled());

        // Retry while the cause is still there: the same answer, the file as it was.
        QTest::mouseClick(box->button(QMessageBox::Retry), Qt::LeftButton);
        QTRY_VERIFY(box.isNull());
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = window->findChild<QMessageBox*>(QStringLiteral("openFailure"))), timeoutMs);
        QCOMPARE(readFile(path), notes);

        // Fixed (the notes moved elsewhere): Retry opens a fresh store.
        QVERIFY(QFile::rename(path, path + QStringLiteral(".notes")));
        QTest::mouseClick(box->button(QMessageBox::Retry), Qt::LeftButton);
        QVERIFY(waitForCatalog(window.get()));
        QVERIFY(window->checkoutForm()->isEnabled());
        QVERIFY(!window->findChild<QMessageBox*>(QStringLiteral("openFailure")));
        QVERIFY(closeWindow(window));
    }

    void resetReplacesAStoreThatCannotBeOpened() {
        const QString dir = m_dir.filePath(QStringLiteral("unreadable"));
        QVERIFY(QDir().mkpath(dir));
        writeFile(QDir(dir).filePath(QStringLiteral("write.db")),
                  QByteArray("not SQLite\n").repeated(500));
        auto window = openWindow(dir);
        QPointer<QMessageBox> box;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = window->findChild<QMessageBox*>(QStringLiteral("openFailure"))), timeoutMs);
        QTest::mouseClick(box->button(QMessageBox::Close), Qt::LeftButton);
        QTRY_VERIFY(box.isNull());
        window->resetDemoDataNow();
        QVERIFY(waitForCatalog(window.get()));
        QVERIFY(closeWindow(window));
    }

    void architectureKnobMovedWhileTheStoreOpens() {
        // Moving the knob to CRUD before the store is open reopens it on the
        // rollback journal once it is, and never shows a half-open window.
        auto window = openWindow(m_dir.filePath(QStringLiteral("knob-while-opening")));
        QVERIFY(!window->isReady());
        window->controls()->setArchitecture(ArchitectureMode::Crud);
        QTRY_VERIFY_WITH_TIMEOUT(window->isReady(), timeoutMs);
        QCOMPARE(window->session()->state().architecture, ArchitectureMode::Crud);
        QCOMPARE(window->session()->state().journal, JournalMode::Rollback);
        QVERIFY(window->checkoutForm()->isEnabled());
        // And back, before this store has even been used.
        window->controls()->setArchitecture(ArchitectureMode::Physical);
        QVERIFY(!window->isReady());
        QTRY_VERIFY_WITH_TIMEOUT(window->isReady(), timeoutMs);
        QCOMPARE(window->session()->state().journal, JournalMode::WriteAheadLog);
        QVERIFY(closeWindow(window));

        // A window closed while its store is still opening.
        window = openWindow(m_dir.filePath(QStringLiteral("closed-while-opening")));
        QVERIFY(!window->isReady());
        QVERIFY(closeWindow(window));
        window = openWindow(m_dir.filePath(QStringLiteral("closed-while-opening")));
        QVERIFY(waitForCatalog(window.get()));
        QVERIFY(closeWindow(window));
    }

    void closingDuringARestartKeepsTheStore() {
        // Cross to CRUD under traffic and close the window before the store
        // has reopened: the window hides at once, and the next window finds
        // at least every event committed before the knob moved, with the
        // read side catching up to all of them.
        const QString dir = m_window->dataDirectory();
        m_window->controls()->setTrafficRate(400);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lastSnapshot().head > 300, timeoutMs);
        const qint64 committedBefore = m_window->dashboard()->lastSnapshot().head;
        QSignalSpy finished(m_window.get(), &MainWindow::shutDownFinished);
        m_window->controls()->setArchitecture(ArchitectureMode::Crud);
        QVERIFY(!m_window->isReady());
        QVERIFY(closeWindow(m_window));
        QCOMPARE(finished.count(), 1);

        m_window = openWindow(dir);
        QVERIFY(waitForCatalog(m_window.get()));
        QCOMPARE(m_window->session()->state().journal, JournalMode::Rollback); // the knob was saved
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(m_window->dashboard()->lastSnapshot()), timeoutMs);
        const qint64 head = m_window->dashboard()->lastSnapshot().head;
        QVERIFY2(head >= committedBefore,
                 qPrintable(QStringLiteral("%1 < %2").arg(head).arg(committedBefore)));
    }

    void zoomReachesEveryPartAndKeepsTheWindowOnScreen() {
        const QRect available = m_window->screen()->availableGeometry();
        const qreal before = QApplication::font().pointSizeF();
        for (int i = 0; i < 3; ++i) // 1.15³: about 1.5×
            QTest::keyClick(m_window.get(), Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(m_window->zoom() > 1.5);
        const qreal zoomed = QApplication::font().pointSizeF();
        QVERIFY(zoomed > before * 1.4);
        QTRY_VERIFY2_WITH_TIMEOUT(available.contains(m_window->frameGeometry()),
                                  qPrintable(QStringLiteral("%1,%2 %3x%4 in %5x%6")
                                                 .arg(m_window->frameGeometry().x())
                                                 .arg(m_window->frameGeometry().y())
                                                 .arg(m_window->frameGeometry().width())
                                                 .arg(m_window->frameGeometry().height())
                                                 .arg(available.width())
                                                 .arg(available.height())),
                                  timeoutMs);
        // Everything a person reads follows: widgets, headers, badges, menus, chart labels.
        QCOMPARE(m_window->checkoutForm()->font().pointSizeF(), zoomed);
        auto* table = byName<QTableView>(m_window->dashboard(), QStringLiteral("Recent orders"));
        QVERIFY(table);
        QCOMPARE(table->horizontalHeader()->font().pointSizeF(), zoomed);
        QCOMPARE(byName<QLabel>(m_window->diagram(), QStringLiteral("Order summary state"))
                     ->font()
                     .pointSizeF(),
                 zoomed);
        QCOMPARE(m_window->menuBar()->font().pointSizeF(), zoomed);
        QCOMPARE(m_window->menuBar()->actions().first()->menu()->font().pointSizeF(), zoomed);
        QCOMPARE(m_window->dashboard()->checkoutChart()->valueAxis()->labelsFont().pointSizeF(),
                 zoomed);
        QCOMPARE(m_window->dashboard()->checkoutChart()->timeAxis()->labelsFont().pointSizeF(),
                 zoomed);
        // The checkout chart's labels fit its height and width, so Qt Charts does not elide them.
        for (TimeSeriesChart* chart :
             {m_window->dashboard()->checkoutChart(), m_window->dashboard()->lagChart()}) {
            QTRY_VERIFY_WITH_TIMEOUT(chart->framesDrawn() > 0, timeoutMs);
            const QFontMetrics metrics(chart->valueAxis()->labelsFont());
            const QRectF plot = chart->chart()->plotArea();
            const double labels =
                chart->valueAxis()->max() / chart->valueAxis()->tickInterval() + 1;
            QVERIFY2(
                labels * metrics.height() <= plot.height(),
                qPrintable(QStringLiteral("%1 labels in %2 px").arg(labels).arg(plot.height())));
            const double timeLabels = 60.0 / chart->timeAxis()->tickInterval() + 1;
            QVERIFY2(
                timeLabels * metrics.horizontalAdvance(QStringLiteral("-60 s")) <= plot.width(),
                qPrintable(
                    QStringLiteral("%1 time labels in %2 px").arg(timeLabels).arg(plot.width())));
        }
        // A dialog opened now is zoomed too.
        m_window->resetDemoData();
        QPointer<QMessageBox> box;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("resetQuestion"))));
        QCOMPARE(box->font().pointSizeF(), zoomed);
        QTest::mouseClick(box->button(QMessageBox::No), Qt::LeftButton);
        QTRY_VERIFY(box.isNull());
        QVERIFY(m_window->isReady());

        // Restored at the next launch, badges and headers included.
        const QString dir = m_window->dataDirectory();
        QVERIFY(closeWindow(m_window));
        QCOMPARE(QApplication::font().pointSizeF(), before); // the closed window gave the font back
        m_window = openWindow(dir);
        QVERIFY(waitForCatalog(m_window.get()));
        QCOMPARE(QApplication::font().pointSizeF(), zoomed);
        QTRY_VERIFY_WITH_TIMEOUT(
            byName<QLabel>(m_window->diagram(), QStringLiteral("Order summary state")), timeoutMs);
        QCOMPARE(byName<QLabel>(m_window->diagram(), QStringLiteral("Order summary state"))
                     ->font()
                     .pointSizeF(),
                 zoomed);
        QCOMPARE(byName<QTableView>(m_window->dashboard(), QStringLiteral("Recent orders"))
                     ->horizontalHeader()
                     ->font()
                     .pointSizeF(),
                 zoomed);
        QTest::keyClick(m_window.get(), Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(QApplication::font().pointSizeF(), before);
    }

    void screenshotAfterAShortSession() {
        m_window->resize(1600, 1000);
        m_window->controls()->setDelay(400, 300);
        m_window->controls()->setTrafficRate(300);
        CheckoutForm* form = m_window->checkoutForm();
        typeCustomer(form, form->customerPicker()->itemText(0));
        form->productPicker()->setCurrentIndex(0);
        form->quantityPicker()->setValue(3);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        form->productPicker()->setCurrentIndex(5);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->dashboard()->lagChart()->pointCount(2) > 40, timeoutMs);
        const QImage shot = m_window->grab().toImage();
        QVERIFY(!shot.isNull());
        const QString path =
            QDir(QStringLiteral(CQRS_SCREENSHOT_DIR)).filePath(QStringLiteral("mainwindow.png"));
        QVERIFY2(shot.save(path), qPrintable(path));
        qInfo("screenshot written to %s", qPrintable(path));
        m_window->controls()->setTrafficRate(0);
    }

private:
    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
