// The Lessons dock in a window on a scripted session, driven with the
// mouse and keys: each lesson's Set up leaves every knob as its file says,
// and its check fires on the lesson's action and not before.
#include "fakelabdata.h"
#include "fakelabsession.h"
#include "typing.h"
#include "ui/checkoutform.h"
#include "ui/controlspanel.h"
#include "ui/dashboard.h"
#include "ui/flowdiagram.h"
#include "ui/flownode.h"
#include "ui/lessonrunner.h"
#include "ui/lessonspanel.h"
#include "ui/mainwindow.h"
#include "ui/projectionnode.h"
#include "ui/recentordersmodel.h"
#include "ui/timeserieschart.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;
using namespace cqrs::ui;

namespace {
constexpr int timeoutMs = 10'000;

LatencyHistogram samples(qint64 count, double ms) {
    LatencyHistogram h;
    for (qint64 i = 0; i < count; ++i)
        h.record(qint64(ms * 1e6));
    return h;
}
} // namespace

class TestLessonsWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QSettings().clear();
        m_sessions.clear();
        m_window = std::make_unique<MainWindow>(m_dir.path(), FakeLabSession::factory(&m_sessions));
        m_window->show();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        scriptDemoViews(fake());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->checkoutForm()->customerPicker()->count(), 3, timeoutMs);
    }

    void cleanup() {
        m_window->close();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isShutDown(), timeoutMs);
        m_window.reset();
    }

    void theDockOpensAtFirstLaunchOnTheFirstLesson() {
        LessonsPanel* panel = m_window->lessons();
        QVERIFY(panel->isVisible());
        QVERIFY(panel->current());
        QCOMPARE(panel->current()->number, 1);
        QVERIFY(panel->checkText().contains(QStringLiteral("Measuring checkout")) ||
                panel->checkText().contains(QStringLiteral("Filling")));
        // Next and Back by mouse, then the clicker's keys.
        QTest::mouseClick(panel->nextButton(), Qt::LeftButton);
        QCOMPARE(panel->current()->number, 2);
        QTest::keyClick(m_window.get(), Qt::Key_PageDown);
        QCOMPARE(panel->current()->number, 3);
        QTest::keyClick(m_window.get(), Qt::Key_PageUp);
        QCOMPARE(panel->current()->number, 2);
        QTest::mouseClick(panel->backButton(), Qt::LeftButton);
        QCOMPARE(panel->current()->number, 1);
        QVERIFY(!panel->backButton()->isEnabled());
        QVERIFY(panel->bodyText().contains(QStringLiteral("What to watch")));
    }

    void setUpPutsEveryKnobWhereTheFileSays_data() {
        QTest::addColumn<int>("number");
        for (const Lesson& lesson : LessonCatalog::load().lessons)
            QTest::addRow("lesson %d", lesson.number) << lesson.number;
    }

    void setUpPutsEveryKnobWhereTheFileSays() {
        QFETCH(int, number);
        // Knobs away from every lesson's setting first, so each one must move.
        ControlsPanel* controls = m_window->controls();
        controls->setDelay(777, 33);
        controls->setTrafficRate(9);
        const Lesson lesson = setUp(number);
        const LessonSetup& setup = lesson.setup;
        QCOMPARE(controls->architecture(), setup.architecture);
        QCOMPARE(controls->synchronous(), setup.synchronous);
        QCOMPARE(controls->consistency(), setup.consistency);
        QCOMPARE(controls->delayMs(), setup.delayMs);
        QCOMPARE(controls->jitterMs(), setup.jitterMs);
        QCOMPARE(controls->trafficRate(), setup.trafficRate);
        QCOMPARE(controls->analyticsRate(), setup.analyticsRate);
        QCOMPARE(fake()->state().architecture, setup.architecture);
        QCOMPARE(fake()->state().synchronousUpdate, setup.synchronous);
        QCOMPARE(fake()->trafficRate, setup.trafficRate);
        QCOMPARE(fake()->analyticsRate, setup.analyticsRate);
        QVERIFY(!m_window->lessonRunner()->setupPending());
        for (const QString& name : lessonProjectionNames())
            QCOMPARE(fake()->paused.value(name), setup.pausedViews.contains(name));
        QCOMPARE(fake()->filled, setup.ordersAtLeast);
        // What the lesson points at is outlined.
        for (const QString& target : lesson.highlights) {
            const QString what = target.section(u':', 1);
            if (target.startsWith(QStringLiteral("node:")))
                QVERIFY2(m_window->diagram()->nodeWithId(what)->isSpotlit(), qPrintable(target));
            else if (target.startsWith(QStringLiteral("knob:")))
                QVERIFY2(m_window->controls()->spotlitKnobs().contains(what), qPrintable(target));
            else if (target.startsWith(QStringLiteral("projection:")))
                QVERIFY2(m_window->diagram()->projectionNode(what)->isSpotlit(), qPrintable(target));
            else
                QVERIFY2((what == u"lag" ? m_window->dashboard()->lagChart()
                                         : m_window->dashboard()->checkoutChart())
                             ->property("spotlit")
                             .toBool(),
                         qPrintable(target));
        }
        QVERIFY(!m_window->diagram()->nodeWithId(QStringLiteral("form"))->isSpotlit());
    }

    void oneModelSlowsWhenTheReportsStart() {
        setUp(1);
        settle(20'000);
        sendWindows(13, 2.0, 20'000);
        QVERIFY2(!seen() && checkText().contains(QStringLiteral("start the analytics")), qPrintable(checkText()));
        auto* reports = findChild<QSpinBox>(QStringLiteral("Analytics reports per second, number"));
        reports->setFocus();
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(reports, Qt::Key_Up);
        QCOMPARE(fake()->analyticsRate, 5);
        // Each step of the spin box was a change: measuring starts 2 s after the last.
        settle(20'000);
        sendWindows(11, 60.0, 20'000);
        QVERIFY(!seen()); // 550 answers: not measured enough yet
        sendWindows(2, 60.0, 20'000);
        QTRY_VERIFY2_WITH_TIMEOUT(seen(), qPrintable(checkText()), timeoutMs);
        QVERIFY2(checkText().contains(QStringLiteral("from 2.0 ms to 60.0 ms")), qPrintable(checkText()));
        QVERIFY(m_window->lessons()->picker()->currentText().contains(QStringLiteral("✓")));
    }

    void splitModelsRecoverCheckout() {
        setUp(2);
        settle(20'000);
        sendWindows(13, 60.0, 20'000);
        QVERIFY2(!seen() && checkText().contains(QStringLiteral("CQRS mode")), qPrintable(checkText()));
        const qsizetype sessions = m_sessions.size(); // a new one follows: pointers may be reused
        QTest::keyClick(m_window->controls()->architecturePicker(), Qt::Key_Down); // CQRS, logical
        QTRY_VERIFY_WITH_TIMEOUT(m_sessions.size() > sessions && m_window->isReady(), timeoutMs);
        QCOMPARE(fake()->state().architecture, ArchitectureMode::Logical);
        scriptDemoViews(fake());
        settle(20'000);
        sendWindows(13, 1.5, 20'000);
        QTRY_VERIFY2_WITH_TIMEOUT(seen(), qPrintable(checkText()), timeoutMs);
        QVERIFY2(checkText().contains(QStringLiteral("60.0 ms in CRUD to 1.5 ms with CQRS (one file)")),
                 qPrintable(checkText()));
    }

    void eventualOrderIsPendingThenShown() {
        setUp(3);
        fake()->orders.meta.position = 0;
        QElapsedTimer pending;
        placeOrder();
        pending.start();
        // Committed, and the dashboard shows it pending while the view has not applied it.
        sendWindows(1, 0.5, 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->dashboard()->recentOrders()->rowCount(), 1, timeoutMs);
        QVERIFY2(!seen() && checkText().contains(QStringLiteral("position 1,001")), qPrintable(checkText()));
        // The lesson counts an order pending for at least 500 ms of the window's clock.
        QVERIFY(QTest::qWaitFor([&] { return pending.elapsed() >= 600; }, timeoutMs));
        QVERIFY(!seen());
        fake()->orders.meta.position = 1001; // the scripted head starts at 1,000
        fake()->sendAdvance(QStringLiteral("order_summary"), 1001, false);
        sendWindows(2, 0.5, 1);
        QTRY_VERIFY2_WITH_TIMEOUT(seen(), qPrintable(checkText()), timeoutMs);
        QVERIFY2(checkText().contains(QStringLiteral("Order 101 was committed at position 1,001")),
                 qPrintable(checkText()));
    }

    void readYourWritesShowsTheWait() {
        setUp(4);
        fake()->orders.meta.position = 0;
        placeOrder();
        sendWindows(3, 0.5, 1);
        QTRY_VERIFY_WITH_TIMEOUT(checkText().contains(QStringLiteral("position 1,001")), timeoutMs);
        QVERIFY(!seen());
        fake()->orders.meta.position = 1001;
        fake()->orders.meta.elapsedMs = 1480;
        fake()->sendAdvance(QStringLiteral("order_summary"), 1001, false);
        sendWindows(2, 0.5, 1);
        QTRY_VERIFY2_WITH_TIMEOUT(seen(), qPrintable(checkText()), timeoutMs);
        QVERIFY2(checkText().contains(QStringLiteral("waited 1,480 ms")), qPrintable(checkText()));
    }

    void synchronousUpdateCostsCheckout() {
        setUp(5);
        settle(100);
        sendWindows(13, 0.8, 100);
        QVERIFY2(!seen() && checkText().contains(QStringLiteral("synchronous")), qPrintable(checkText()));
        QTest::keyClick(m_window->controls()->updatePicker(), Qt::Key_Down);
        QVERIFY(fake()->state().synchronousUpdateActive);
        settle(100);
        sendWindows(11, 2.4, 100);
        QVERIFY(!seen()); // 550 answers
        sendWindows(2, 2.4, 100);
        QTRY_VERIFY2_WITH_TIMEOUT(seen(), qPrintable(checkText()), timeoutMs);
        QVERIFY2(checkText().contains(QStringLiteral("from 0.80 ms to 2.4 ms")), qPrintable(checkText()));
    }

    void progressIsKeptBetweenLaunches() {
        setUp(5);
        settle(100);
        sendWindows(13, 0.8, 100);
        QTest::keyClick(m_window->controls()->updatePicker(), Qt::Key_Down);
        settle(100);
        sendWindows(13, 2.4, 100);
        QTRY_VERIFY2_WITH_TIMEOUT(seen(), qPrintable(checkText()), timeoutMs);
        cleanup();
        m_sessions.clear();
        m_window = std::make_unique<MainWindow>(m_dir.path(), FakeLabSession::factory(&m_sessions));
        m_window->show();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QCOMPARE(m_window->lessons()->current()->number, 5);
        QVERIFY(m_window->lessons()->picker()->currentText().contains(QStringLiteral("✓")));
        QVERIFY2(checkText().startsWith(QStringLiteral("Seen on an earlier run: Checkout p99 rose")),
                 qPrintable(checkText()));
    }

private:
    FakeLabSession* fake() const { return m_sessions.last(); }
    QString checkText() const { return m_window->lessons()->checkText(); }
    bool seen() const {
        const LessonCheck* check = m_window->lessonRunner()->check();
        return check && check->seen();
    }
    template <typename W> W* findChild(const QString& name) const {
        for (W* widget : m_window->findChildren<W*>()) {
            if (widget->accessibleName() == name)
                return widget;
        }
        return nullptr;
    }

    /// Opens lesson `number`, clicks Set up, and lets the (new) session take it.
    Lesson setUp(int number) {
        m_window->openLesson(number);
        const Lesson lesson = *m_window->lessons()->current();
        const bool reopens = fake()->reopenNeededFor(lesson.setup.architecture);
        const qsizetype sessions = m_sessions.size();
        QTest::mouseClick(m_window->lessons()->setupButton(), Qt::LeftButton);
        if (reopens) {
            if (!QTest::qWaitFor([&] { return m_sessions.size() > sessions && m_window->isReady(); },
                                 timeoutMs))
                qWarning("the session was not replaced");
            scriptDemoViews(fake());
        }
        fake()->sendSnapshot(snapshotTaken(0)); // an empty store: the lesson fills it
        return lesson;
    }

    /// `count` snapshots taken 100 ms apart (on the snapshots' own clock),
    /// each with 50 checkout answers at `ms`.
    void sendWindows(int count, double ms, qint64 orders) {
        for (int i = 0; i < count; ++i) {
            fake()->checkoutWindow = samples(50, ms);
            fake()->sendSnapshot(snapshotTaken(orders));
        }
    }
    /// Two seconds of snapshots without checkout answers: the check measures
    /// only what follows a change by that long.
    void settle(qint64 orders) {
        for (int i = 0; i < 20; ++i)
            fake()->sendSnapshot(snapshotTaken(orders));
    }

    LagSnapshot snapshotTaken(qint64 orders) {
        LagSnapshot snapshot = snapshotAt(80, 80);
        snapshot.write.orders = orders;
        snapshot.takenAtNs = m_snapshotNs += 100'000'000;
        return snapshot;
    }

    void placeOrder() {
        CheckoutForm* form = m_window->checkoutForm();
        QLineEdit* edit = form->customerPicker()->lineEdit();
        edit->setFocus();
        typeText(edit, QStringLiteral("Alice Andersen"));
        pressKey(edit, Qt::Key_Escape);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QVERIFY(form->placeOrderButton()->isEnabled());
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(form->answerText().contains(QStringLiteral("accepted")), timeoutMs);
    }

    qint64 m_snapshotNs = 0;
    QTemporaryDir m_dir;
    QList<FakeLabSession*> m_sessions;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestLessonsWindow)
#include "tst_lessonswindow.moc"
