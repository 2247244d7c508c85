// Synchronous update: with Lab::setSynchronousUpdate(true) the views are
// updated inside the command's own transaction, so the moment a command's
// future resolves its events are in every view (the stored checkpoints have
// reached its position and an eventual read finds the order), and the views
// equal the CRUD answers without waiting. Switching back to asynchronous
// updates works, and so does switching the architecture while synchronous.
#include "readsupport.h"

#include <QFileInfo>
#include <QScopeGuard>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;

} // namespace

class TestSyncUpdate final : public QObject
{
    Q_OBJECT

    /// Places orders one by one; each must be in the views the moment its
    /// future resolves.
    void placeAndSeeAtOnce(LabHarness& harness, int count, qint64 customer)
    {
        Lab& lab = harness.lab();
        const QString store = harness.liveStore();
        // Hold the projectors back, so that only the command itself can have
        // put its events into the views (synchronous mode suspends a delay).
        lab.projections().setPaused({}, true);
        const auto release = qScopeGuard([&lab] { lab.projections().setPaused({}, false); });
        for (int i = 0; i < count; ++i) {
            const CommandResult result = harness.run(order(customer, {line(blueMug, 1), line(teaTowel, 1)}));
            QVERIFY2(result.accepted(), qPrintable(result.reason));
            for (const QString& name : projectionNames())
                QVERIFY2(storedCheckpoint(store, name) >= result.lastPosition,
                         qPrintable(QStringLiteral("%1 is at %2 in %3, the order is event %4")
                                        .arg(name)
                                        .arg(storedCheckpoint(store, name))
                                        .arg(store)
                                        .arg(result.lastPosition)));
            ReadOptions eventual;
            eventual.mode = harness.viewMode();
            const OrderLookup lookup = await(lab.queries().order(result.entityId, eventual));
            QVERIFY2(lookup.meta.ok(), qPrintable(lookup.meta.error));
            QVERIFY2(lookup.order.has_value(), qPrintable(QStringLiteral("order %1 not in the view").arg(result.entityId)));
            QCOMPARE(lookup.order->lastPosition, result.lastPosition);
            StoreReader reader(store);
            QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM rv_search WHERE rowid = ?"), {result.entityId * 4}).toInt(), 1);
        }
    }

private Q_SLOTS:
    void synchronousViewsAreCurrentAtOnce_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void synchronousViewsAreCurrentAtOnce()
    {
        QFETCH(int, mode);
        LabHarness harness{ArchitectureMode(mode)};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        lab.setSynchronousUpdate(true);
        QVERIFY(lab.synchronousUpdate());
        placeAndSeeAtOnce(harness, 30, 1);
        if (QTest::currentTestFailed())
            return;
        // A random mix, then the views equal CRUD right away (no waiting).
        CommandDriver driver(await(lab.bus().catalog()), 99u);
        lab.projections().setPaused({}, true);
        driver.run(lab.bus(), 400);
        QCOMPARE(driver.failed(), 0);
        for (const QString& name : projectionNames())
            QCOMPARE(storedCheckpoint(harness.liveStore(), name), lab.bus().headPosition());
        CQRS_COMPARE_WITH_CRUD(lab.queries(), harness.viewMode());
        // The projectors learn that there is nothing left for them to do.
        lab.projections().setPaused({}, false);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);

        // Back to asynchronous: with the delay the view lags, read-your-writes
        // still sees the order, and everything converges.
        lab.setSynchronousUpdate(false);
        QVERIFY(!lab.synchronousUpdate());
        lab.projections().setDelay({}, 60'000, 0);
        const CommandResult placed = harness.run(order(2, {line(blueMug, 2)}));
        QVERIFY(placed.accepted());
        QVERIFY2(storedCheckpoint(harness.liveStore(), QStringLiteral("order_summary")) < placed.lastPosition,
                 "the asynchronous update happened inside the command");
        lab.projections().setDelay({}, 50, 0);
        ReadOptions ryw;
        ryw.consistency = ConsistencyMode::ReadYourWrites;
        ryw.minPosition = placed.lastPosition;
        ryw.timeoutMs = longWaitMs;
        const OrderLookup lookup = await(lab.queries().order(placed.entityId, ryw));
        QVERIFY(lookup.order.has_value());
        driver.run(lab.bus(), 200);
        lab.projections().setDelay({}, 0, 0);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), harness.viewMode());
        const ReplayResult replay = await(lab.projections().replayTo(lab.bus().headPosition(),
                                                                     harness.scratchPath(QStringLiteral("replay.db"))));
        QVERIFY2(replay.ok, qPrintable(replay.error));
        CQRS_COMPARE_STORES(harness.liveStore(), replay.storePath);

        // And synchronous once more.
        lab.setSynchronousUpdate(true);
        placeAndSeeAtOnce(harness, 5, 3);
    }

    void synchronousAcrossArchitectureSwitches()
    {
        // Logical -> Physical -> Logical with synchronous updates on: after
        // each switch (once the new store has caught up) commands update the
        // store the queries read, and nothing else.
        LabHarness harness{ArchitectureMode::Logical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        lab.setSynchronousUpdate(true);
        placeAndSeeAtOnce(harness, 5, 4);
        if (QTest::currentTestFailed())
            return;

        switchArchitecture(lab, ArchitectureMode::Physical);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        QCOMPARE(harness.liveStore(), lab.readDbPath());
        const qint64 frozen = storedCheckpoint(lab.writeDbPath(), QStringLiteral("order_summary"));
        placeAndSeeAtOnce(harness, 5, 5);
        if (QTest::currentTestFailed())
            return;
        // write.db's views stay where the switch left them.
        QCOMPARE(storedCheckpoint(lab.writeDbPath(), QStringLiteral("order_summary")), frozen);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Physical);

        switchArchitecture(lab, ArchitectureMode::Logical);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        placeAndSeeAtOnce(harness, 5, 6);
        if (QTest::currentTestFailed())
            return;
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Logical);

        // Through CRUD (the views stay in write.db) and back to Physical.
        switchArchitecture(lab, ArchitectureMode::Crud);
        placeAndSeeAtOnce(harness, 3, 7);
        switchArchitecture(lab, ArchitectureMode::Physical);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        placeAndSeeAtOnce(harness, 3, 8);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Physical);
    }

    void synchronousUpdatesLeaveNothingForTheProjectors()
    {
        // A long delay is set; in synchronous mode it must not matter: read-your-writes answers at once, the lag
        // monitor sees no lag, each event's visibility is measured once (by
        // the command), and the projectors fold in nothing themselves.
        LabHarness harness{ArchitectureMode::Physical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        lab.setSynchronousUpdate(true);
        engine.setDelay({}, 600'000, 0);
        const ProjectionStatusList before = engine.board().statuses();
        const qint64 samplesBefore = engine.recorder().snapshot({}, 0).cumulative.count();

        constexpr int orders = 10;
        CommandResult last;
        for (int i = 0; i < orders; ++i) {
            last = harness.run(order(11 + i, {line(blueMug, 1)}));
            QVERIFY2(last.accepted(), qPrintable(last.reason));
            ReadOptions ryw;
            ryw.consistency = ConsistencyMode::ReadYourWrites;
            ryw.minPosition = last.lastPosition;
            ryw.timeoutMs = longWaitMs;
            const OrderLookup lookup = await(lab.queries().order(last.entityId, ryw));
            QVERIFY2(!lookup.meta.stillCatchingUp, qPrintable(lookup.meta.message));
            QVERIFY(lookup.order.has_value());
        }
        QTRY_VERIFY2_WITH_TIMEOUT(lab.lag().latest().caughtUp() && lab.lag().latest().head == last.lastPosition,
                                  qPrintable(describe(lab)), longWaitMs);
        QVERIFY(caughtUp(lab));
        const ProjectionStatusList after = engine.board().statuses();
        for (qsizetype i = 0; i < after.size(); ++i)
            QCOMPARE(after[i].eventsApplied, before[i].eventsApplied);
        QCOMPARE(engine.recorder().snapshot({}, 0).cumulative.count() - samplesBefore,
                 qint64(orders * after.size()));
    }

    void aDelaySetBeforeSynchronousUpdateIsSuspendedByIt()
    {
        // The delay knob says "not in use" in synchronous mode. Views left
        // behind by a delay before the switch must catch up at once, not wait
        // it out while the commands' own updates skip views that are behind.
        LabHarness harness{ArchitectureMode::Physical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        engine.setDelay({}, 60'000, 0);
        CommandResult last;
        for (int i = 0; i < 10; ++i)
            last = harness.run(order(1 + i, {line(blueMug, 1)}));
        QVERIFY(last.accepted());
        QVERIFY(storedCheckpoint(harness.liveStore(), QStringLiteral("order_summary")) < last.lastPosition);

        lab.setSynchronousUpdate(true);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        for (int i = 0; i < 5; ++i) {
            last = harness.run(order(1 + i, {line(teaTowel, 1)}));
            QVERIFY(last.accepted());
            for (const QString& name : projectionNames())
                QVERIFY(storedCheckpoint(harness.liveStore(), name) >= last.lastPosition);
        }
        for (const ProjectionStatus& status : engine.board().statuses()) {
            QCOMPARE(status.knobs.delayMs, 60'000); // kept for later
            QVERIFY(!status.knobs.delayApplies());
        }

        // Asynchronous again: the delay applies once more.
        lab.setSynchronousUpdate(false);
        QTRY_VERIFY_WITH_TIMEOUT(engine.board().statuses().first().knobs.delayApplies(), longWaitMs);
        const CommandResult delayed = harness.run(order(2, {line(blueMug, 1)}));
        QVERIFY(delayed.accepted());
        // Not in the command's transaction, and the lag monitor sees the view wait.
        QVERIFY(storedCheckpoint(harness.liveStore(), QStringLiteral("order_summary")) < delayed.lastPosition);
        QTRY_VERIFY_WITH_TIMEOUT(lab.lag().latest().head == delayed.lastPosition
                                     && !lab.lag().latest().caughtUp(),
                                 longWaitMs);
        engine.setDelay({}, 0, 0);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
    }

    void synchronousFromTheStart_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void synchronousFromTheStart()
    {
        // LabConfig.synchronousUpdate: the first command after open() may run
        // before the projectors have opened their store.
        QFETCH(int, mode);
        LabHarness harness{ArchitectureMode(mode)};
        harness.config().synchronousUpdate = true;
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        QVERIFY(lab.synchronousUpdate());
        const CommandResult first = harness.run(order(9, {line(blueMug, 1)}));
        QVERIFY2(first.accepted(), qPrintable(first.reason));
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        placeAndSeeAtOnce(harness, 5, 10);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), harness.viewMode());
    }

    void readStoreIsCheckpointedInTheBackground_data()
    {
        QTest::addColumn<bool>("synchronous");
        QTest::newRow("projectors") << false;
        QTest::newRow("synchronous update") << true;
    }

    void readStoreIsCheckpointedInTheBackground()
    {
        // Nobody who commits into read.db checkpoints it (the projectors'
        // connection and, in synchronous mode, the command worker's run with
        // wal_autocheckpoint = 0): read.db's own checkpointer copies its WAL
        // back, whichever of them wrote it. Before it existed, read.db's WAL
        // grew without bound in synchronous mode.
        QFETCH(bool, synchronous);
        LabHarness harness{ArchitectureMode::Physical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        WalCheckpointer& checkpointer = lab.readCheckpointer();
        QCOMPARE(QFileInfo(checkpointer.path()).fileName(), QStringLiteral("read.db"));
        QVERIFY(checkpointer.isRunning());
        QVERIFY(checkpointer.isActive());
        lab.setSynchronousUpdate(synchronous);
        CommandResult last;
        for (int i = 0; i < 20; ++i) {
            last = harness.run(order(20 + i, {line(blueMug, 1), line(teaTowel, 2)}));
            QVERIFY2(last.accepted(), qPrintable(last.reason));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab, last.lastPosition), qPrintable(describe(lab)), longWaitMs);
        // Every frame written so far ends up in read.db: a checkpoint that
        // started after the last commit leaves none behind.
        const qint64 after = checkpointer.checkpoints();
        QTRY_VERIFY_WITH_TIMEOUT(checkpointer.checkpoints() > after + 1, longWaitMs);
        QCOMPARE(checkpointer.lastWalFrames(), qint64(0));
        QVERIFY(QFileInfo(harness.scratchPath(QStringLiteral("read.db-wal"))).size() > 0);

        // With the views in write.db, read.db is left alone.
        switchArchitecture(lab, ArchitectureMode::Logical);
        QVERIFY(!checkpointer.isActive());
        switchArchitecture(lab, ArchitectureMode::Physical);
        QVERIFY(checkpointer.isActive());
    }
};

QTEST_GUILESS_MAIN(TestSyncUpdate)
#include "tst_syncupdate.moc"
