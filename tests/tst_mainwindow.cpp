// The window as a person uses it, offscreen: fill the form, place an order,
// watch it go from pending to normal; turn knobs and see the read side react.
#include "ui/checkoutform.h"
#include "ui/controlspanel.h"
#include "ui/customerstatsmodel.h"
#include "ui/eventstreammodel.h"
#include "ui/mainwindow.h"
#include "ui/productsalesmodel.h"
#include "ui/projectionpanel.h"
#include "ui/recentordersmodel.h"
#include "ui/searchresultsmodel.h"
#include "ui/timeserieschart.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;
using namespace cqrs::ui;

namespace {
constexpr int timeoutMs = 30'000;

const RecentOrderRow* findOrder(const RecentOrdersModel* model, qint64 orderId)
{
    return model->rowByKey(orderId);
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

qint64 acceptedOrderId(const QString& answer)
{
    // "✔ Order #123 accepted — event position 456."
    const qsizetype hash = answer.indexOf(QStringLiteral("Order #"));
    if (hash < 0 || !answer.contains(QStringLiteral("accepted")))
        return 0;
    return answer.mid(hash + 7).section(u' ', 0, 0).toLongLong();
}
} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_window = std::make_unique<MainWindow>(m_dir.path() + QStringLiteral("/run") + QString::number(++m_run));
        m_window->show();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        // The pickers are fed by the read side: wait for the demo catalog.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->checkoutForm()->customerPicker()->count(), 50, timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->checkoutForm()->productPicker()->count(), 20, timeoutMs);
    }

    void cleanup()
    {
        m_window->controls()->setTrafficRate(0);
        m_window->controls()->setDelay(0, 0);
        m_window->resetZoom();
        m_window.reset();
    }

    void placedOrderIsPendingThenNormal()
    {
        CheckoutForm* form = m_window->checkoutForm();
        // A visible delay, so the pending state lasts long enough to see.
        m_window->controls()->setDelay(1500, 0);
        QVERIFY(!form->placeOrderButton()->isEnabled()); // nothing to send yet
        form->customerPicker()->setCurrentIndex(0);
        form->productPicker()->setCurrentIndex(1);
        form->quantityPicker()->setValue(2);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QCOMPARE(form->linesTable()->rowCount(), 1);
        QVERIFY(form->placeOrderButton()->isEnabled());
        QTest::keyClick(form->placeOrderButton(), Qt::Key_Return);

        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
        const qint64 orderId = acceptedOrderId(form->answerText());
        QVERIFY(findOrder(m_window->recentOrders(), orderId));
        QVERIFY(findOrder(m_window->recentOrders(), orderId)->pending);
        QTRY_VERIFY_WITH_TIMEOUT(findOrder(m_window->recentOrders(), orderId)
                                     && !findOrder(m_window->recentOrders(), orderId)->pending,
                                 timeoutMs);
        const RecentOrderRow* row = findOrder(m_window->recentOrders(), orderId);
        QCOMPARE(row->order.itemCount, 2);
        QCOMPARE(row->order.status, QStringLiteral("placed"));
        QCOMPARE(form->linesTable()->rowCount(), 0); // the form is ready for the next order
    }

    void invalidOrderCannotBeSentAndRuleViolationShowsReason()
    {
        CheckoutForm* form = m_window->checkoutForm();
        // No customer chosen: the button refuses.
        form->customerPicker()->setCurrentIndex(-1);
        form->productPicker()->setCurrentIndex(0);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QVERIFY(!form->placeOrderButton()->isEnabled());
        QTest::keyClick(form->linesTable(), Qt::Key_Return);
        QVERIFY(!form->answerText().contains(QStringLiteral("accepted")));

        // A rule only the write side knows: more than is in stock.
        form->linesTable()->setRowCount(0);
        form->customerPicker()->setCurrentIndex(3);
        const int headphones = form->productPicker()->findText(QStringLiteral("Noise-Cancelling"), Qt::MatchContains);
        QVERIFY(headphones >= 0);
        form->productPicker()->setCurrentIndex(headphones);
        form->quantityPicker()->setValue(60);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QVERIFY(form->placeOrderButton()->isEnabled());
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(form->answerText().contains(QStringLiteral("Rejected")), timeoutMs);
        QVERIFY2(form->answerText().contains(QStringLiteral("Not enough stock: only 15 Noise-Cancelling Headphones left.")),
                 qPrintable(form->answerText()));
        QCOMPARE(form->linesTable()->rowCount(), 1); // kept, so the user can fix it
    }

    void delaySliderChangesProjectorDelay()
    {
        QSlider* slider = m_window->controls()->delaySlider();
        slider->setFocus();
        slider->setValue(750);
        const ProjectorKnobs knobs = m_window->lab()->projections().board().knobs(QStringLiteral("order_summary"));
        QCOMPARE(knobs.delayMs, 750);
        QTest::keyClick(slider, Qt::Key_PageUp);
        QCOMPARE(m_window->lab()->projections().board().knobs(QStringLiteral("product_sales")).delayMs, 1250);
    }

    void pausingAProjectionGrowsEventsBehind()
    {
        const QString name = QStringLiteral("customer_stats");
        m_window->lab()->projections().setPaused(name, true);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->projectionPanel()->stateText(name), QStringLiteral("paused"), timeoutMs);
        m_window->controls()->setTrafficRate(200);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->projectionPanel()->behindText(name).contains(QStringLiteral("behind")),
                                 timeoutMs);
        const auto behind = [&] {
            return m_window->projectionPanel()->behindText(name).section(u' ', 0, 0).remove(u',').toLongLong();
        };
        const qint64 first = behind();
        QTRY_VERIFY_WITH_TIMEOUT(behind() > first + 50, timeoutMs);
        m_window->controls()->setTrafficRate(0);
        m_window->lab()->projections().setPaused(name, false);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->projectionPanel()->behindText(name), QStringLiteral("caught up"), timeoutMs);
    }

    void lagChartReceivesPoints()
    {
        TimeSeriesChart* chart = m_window->lagChart();
        QTRY_VERIFY_WITH_TIMEOUT(chart->pointCount(0) > 10, timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(chart->framesDrawn() > 3, timeoutMs);
        QVERIFY(chart->pointCount(2) > 10);
    }

    void modelsStayConsistentWhileOrdersStream()
    {
        // The tester checks every signal the models emit against their data.
        QAbstractItemModelTester orders(m_window->recentOrders(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester customers(m_window->customerStats(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester products(m_window->productSales(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester search(m_window->searchResults(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester events(m_window->eventStream(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_window->controls()->setDelay(100, 100);
        m_window->controls()->setTrafficRate(400);
        m_window->searchBox()->setText(QStringLiteral("mug"));
        const qint64 start = m_window->lab()->bus().headPosition();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lab()->bus().headPosition() > start + 600, timeoutMs);
        m_window->controls()->setTrafficRate(0);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->searchResults()->rowCount() > 0, timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->recentOrders()->rowCount() >= 200, timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->eventStream()->rowCount() >= 500, timeoutMs);
        QCOMPARE(m_window->eventStream()->rowCount(), 500); // capped
    }

    void resetDemoDataStartsAFreshStoreWhileTrafficRuns()
    {
        // The reset joins every worker off the GUI thread and reopens from
        // the demo catalog; a reset asked for while opening is ignored.
        m_window->controls()->setTrafficRate(500);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lab()->bus().headPosition() > 400, timeoutMs);
        const Lab* before = m_window->lab();
        m_window->resetDemoDataNow();
        QVERIFY(!m_window->isReady());
        m_window->resetDemoDataNow(); // ignored: still resetting
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QVERIFY(m_window->lab() != before);
        m_window->controls()->setTrafficRate(0);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lab()->bus().headPosition() > 0, timeoutMs);
        // A fresh store: the demo data, and the traffic (still on) starting over.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->checkoutForm()->productPicker()->count(), 20, timeoutMs);
        QVERIFY2(m_window->lab()->bus().headPosition() < 400,
                 qPrintable(QString::number(m_window->lab()->bus().headPosition())));
    }

    void crossingBetweenCrudAndCqrsReopensTheStoreOnItsJournal()
    {
        // CRUD needs the rollback journal, which SQLite only switches to with
        // every connection closed: the window reopens the same store, with
        // the traffic still on. Logical <-> physical stays a live switch.
        QCOMPARE(m_window->lab()->journal(), JournalMode::WriteAheadLog);
        m_window->controls()->setTrafficRate(300);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lab()->bus().headPosition() > 200, timeoutMs);
        Lab* cqrsLab = m_window->lab();
        const qint64 head = cqrsLab->bus().headPosition();
        m_window->controls()->setArchitecture(ArchitectureMode::Crud);
        QVERIFY(!m_window->isReady());
        QVERIFY(!m_window->checkoutForm()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QVERIFY(m_window->lab() != cqrsLab);
        QCOMPARE(m_window->lab()->architecture(), ArchitectureMode::Crud);
        QCOMPARE(m_window->lab()->journal(), JournalMode::Rollback);
        QVERIFY(m_window->checkoutForm()->isEnabled());
        // The same store, not a fresh one: the orders are kept and the
        // traffic goes on from there.
        QVERIFY(m_window->lab()->bus().headPosition() >= head);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lab()->bus().headPosition() > head + 50, timeoutMs);

        const qint64 crudHead = m_window->lab()->bus().headPosition();
        m_window->controls()->setArchitecture(ArchitectureMode::Logical);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QCOMPARE(m_window->lab()->journal(), JournalMode::WriteAheadLog);
        QVERIFY(m_window->lab()->bus().headPosition() >= crudHead);
        const Lab* logicalLab = m_window->lab();
        m_window->controls()->setArchitecture(ArchitectureMode::Physical);
        QVERIFY(m_window->isReady()); // no reopen
        QCOMPARE(m_window->lab(), logicalLab);
        QCOMPARE(m_window->lab()->architecture(), ArchitectureMode::Physical);
        m_window->controls()->setTrafficRate(0);
    }

    void backgroundThreadsDoNotPreemptTheCommandWorker()
    {
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
            return policies.contains(QStringLiteral("event-stream")) && policies.contains(QStringLiteral("analytics"));
        };
        QTRY_VERIFY_WITH_TIMEOUT(readPolicies(), timeoutMs);
        constexpr int other = 0, batch = 3; // SCHED_OTHER, SCHED_BATCH
        for (const char* name : {"projectors", "event-stream", "lag-monitor", "ckpt write.db", "ckpt read.db", "analytics"})
            QVERIFY2(policies.value(QLatin1String(name), -1) == batch,
                     qPrintable(QStringLiteral("%1: policy %2").arg(QLatin1String(name)).arg(policies.value(QLatin1String(name), -1))));
        for (const char* name : {"command-worker", "traffic"})
            QVERIFY2(policies.value(QLatin1String(name), -1) == other,
                     qPrintable(QStringLiteral("%1: policy %2").arg(QLatin1String(name)).arg(policies.value(QLatin1String(name), -1))));
        m_window->controls()->setAnalyticsRate(0);
    }

    void failedOpenSaysWhyAndRetryOpensOnceFixed()
    {
        // A write.db that is not SQLite: the window says so and names the
        // file, leaves it untouched, and opens the folder again on Retry.
        const QString dir = m_dir.filePath(QStringLiteral("broken"));
        QVERIFY(QDir().mkpath(dir));
        const QString path = QDir(dir).filePath(QStringLiteral("write.db"));
        const QByteArray notes = QByteArray("These are someone's notes, not a database.\n").repeated(100);
        writeFile(path, notes);
        MainWindow window(dir);
        window.show();
        QPointer<QMessageBox> box;
        QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox*>(QStringLiteral("openFailure"))), timeoutMs);
        QTRY_VERIFY(box->isVisible());
        QVERIFY2(box->text().contains(QStringLiteral("not an SQLite file")), qPrintable(box->text()));
        QVERIFY2(box->text().contains(QDir::toNativeSeparators(path).toHtmlEscaped()) || box->text().contains(path),
                 qPrintable(box->text()));
        QVERIFY(!window.isReady());
        QVERIFY(!window.checkoutForm()->isEnabled());

        // Retry while the cause is still there: the same answer, the file as it was.
        QTest::mouseClick(box->button(QMessageBox::Retry), Qt::LeftButton);
        QTRY_VERIFY(box.isNull());
        QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox*>(QStringLiteral("openFailure"))), timeoutMs);
        QCOMPARE(readFile(path), notes);

        // Fixed (the notes moved elsewhere): Retry opens a fresh store.
        QVERIFY(QFile::rename(path, path + QStringLiteral(".notes")));
        QTest::mouseClick(box->button(QMessageBox::Retry), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.isReady(), timeoutMs);
        QVERIFY(window.checkoutForm()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(window.checkoutForm()->productPicker()->count(), 20, timeoutMs);
        QVERIFY(!window.findChild<QMessageBox*>(QStringLiteral("openFailure")));
    }

    void resetReplacesAStoreThatCannotBeOpened()
    {
        const QString dir = m_dir.filePath(QStringLiteral("unreadable"));
        QVERIFY(QDir().mkpath(dir));
        writeFile(QDir(dir).filePath(QStringLiteral("write.db")), QByteArray("not SQLite\n").repeated(500));
        MainWindow window(dir);
        window.show();
        QPointer<QMessageBox> box;
        QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox*>(QStringLiteral("openFailure"))), timeoutMs);
        QTest::mouseClick(box->button(QMessageBox::Close), Qt::LeftButton);
        QTRY_VERIFY(box.isNull());
        window.resetDemoDataNow();
        QTRY_VERIFY_WITH_TIMEOUT(window.isReady(), timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(window.checkoutForm()->customerPicker()->count(), 50, timeoutMs);
    }

    void architectureKnobMovedWhileTheStoreOpens()
    {
        // The store opens on the journal of the mode saved last time (WAL
        // for CQRS); moving the knob to CRUD before it is open reopens it on
        // the rollback journal once it is, and never shows a half-open window.
        {
            MainWindow window(m_dir.filePath(QStringLiteral("knob-while-opening")));
            window.show();
            QVERIFY(!window.isReady());
            window.controls()->setArchitecture(ArchitectureMode::Crud);
            QTRY_VERIFY_WITH_TIMEOUT(window.isReady(), timeoutMs);
            QCOMPARE(window.lab()->architecture(), ArchitectureMode::Crud);
            QCOMPARE(window.lab()->journal(), JournalMode::Rollback);
            QVERIFY(window.checkoutForm()->isEnabled());
            // And back, before this store has even been used.
            window.controls()->setArchitecture(ArchitectureMode::Physical);
            QVERIFY(!window.isReady());
            QTRY_VERIFY_WITH_TIMEOUT(window.isReady(), timeoutMs);
            QCOMPARE(window.lab()->journal(), JournalMode::WriteAheadLog);
        }
        {
            // A window closed while its store is still opening.
            MainWindow window(m_dir.filePath(QStringLiteral("closed-while-opening")));
            window.show();
            QVERIFY(!window.isReady());
        }
        MainWindow again(m_dir.filePath(QStringLiteral("closed-while-opening")));
        QTRY_VERIFY_WITH_TIMEOUT(again.isReady(), timeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(again.checkoutForm()->productPicker()->count(), 20, timeoutMs);
    }

    void closingDuringARestartKeepsTheStore()
    {
        // Cross to CRUD under traffic and close the window before the store
        // has reopened: the close waits for the old store to shut down, and
        // the next window finds at least every event committed before the
        // knob moved, with the read side catching up to all of them.
        const QString dir = m_window->dataDirectory();
        m_window->controls()->setTrafficRate(400);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lab()->bus().headPosition() > 300, timeoutMs);
        const qint64 committedBefore = m_window->lab()->bus().headPosition();
        m_window->controls()->setArchitecture(ArchitectureMode::Crud);
        QVERIFY(!m_window->isReady());
        m_window.reset();

        m_window = std::make_unique<MainWindow>(dir);
        m_window->show();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
        QCOMPARE(m_window->lab()->journal(), JournalMode::Rollback); // the knob was saved
        Lab* lab = m_window->lab();
        const qint64 head = lab->bus().headPosition();
        QVERIFY2(head >= committedBefore, qPrintable(QStringLiteral("%1 < %2").arg(head).arg(committedBefore)));
        // The read side catches up with everything the closed window wrote.
        const auto caughtUp = [lab, head] {
            for (const QString& name : lab->projections().projectionNames()) {
                if (lab->projections().board().checkpoint(name) < head)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), timeoutMs);
        m_window->controls()->setArchitecture(ArchitectureMode::Physical);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isReady(), timeoutMs);
    }

    void zoomScalesTheWholeWindow()
    {
        const qreal before = m_window->font().pointSizeF();
        QTest::keyClick(m_window.get(), Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(m_window->font().pointSizeF() > before);
        QVERIFY(m_window->checkoutForm()->font().pointSizeF() > before);
        QTest::keyClick(m_window.get(), Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(qAbs(m_window->font().pointSizeF() - before) < 0.01);
    }

    void screenshotAfterAShortSession()
    {
        m_window->resize(1600, 1000);
        m_window->controls()->setDelay(400, 300);
        m_window->controls()->setTrafficRate(300);
        CheckoutForm* form = m_window->checkoutForm();
        form->customerPicker()->setCurrentIndex(0);
        form->productPicker()->setCurrentIndex(0);
        form->quantityPicker()->setValue(3);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        form->productPicker()->setCurrentIndex(5);
        QTest::mouseClick(form->addLineButton(), Qt::LeftButton);
        QTest::mouseClick(form->placeOrderButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(acceptedOrderId(form->answerText()) > 0, timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->lagChart()->pointCount(0) > 40, timeoutMs);
        const QImage shot = m_window->grab().toImage();
        QVERIFY(!shot.isNull());
        const QString path = QDir(QStringLiteral(CQRS_SCREENSHOT_DIR)).filePath(QStringLiteral("mainwindow.png"));
        QVERIFY2(shot.save(path), qPrintable(path));
        qInfo("screenshot written to %s", qPrintable(path));
    }

private:
    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
