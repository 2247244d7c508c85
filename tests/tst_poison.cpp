// A poison event: one projection cannot apply it. That projection stops
// right there (Failed, with a reason and the position), the other views carry
// on to the head, and the failed projector does not spin: while commands keep
// flowing it applies nothing and its status does not change.
//
// The projectors of one thread fold their batches in one shared read-store
// transaction, each view in a savepoint of its own: a view that fails in the
// middle of that transaction is rolled back alone. The views folded before
// it and after it in the same transaction keep their work, their stored
// checkpoints are exact, and nothing is applied twice after a retry.
#include "readsupport.h"
#include "workergate.h"

#include <QSignalSpy>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;
constexpr qint64 notebook = 6;
constexpr int groupOrders = 40;

/// The views of `store` equal a replay of the log up to each one's stored
/// checkpoint (a scratch store per distinct checkpoint).
void compareWithReplay(LabHarness& harness, const QString& store, const QStringList& names)
{
    for (const QString& name : names) {
        const qint64 checkpoint = storedCheckpoint(store, name);
        QVERIFY(checkpoint >= 0);
        const ReplayResult replay = await(harness.lab().projections().replayTo(
            checkpoint, harness.scratchPath(QStringLiteral("replay-%1-%2.db").arg(name).arg(checkpoint))));
        QVERIFY2(replay.ok, qPrintable(replay.error));
        QCOMPARE(replay.position, checkpoint);
        const QStringList live = canonical(store, name);
        QVERIFY2(live.isEmpty() || !live.first().startsWith(QStringLiteral("error:")), qPrintable(live.value(0)));
        QVERIFY2(live == canonical(replay.storePath, name),
                 qPrintable(QStringLiteral("%1 differs from the fold of 1..%2").arg(name).arg(checkpoint)));
    }
}

} // namespace

class TestPoison final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void poisonStopsOnlyItsProjection_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("projection");
        for (const QString& name : projectionNames()) {
            QTest::addRow("physical %s", qPrintable(name)) << int(ArchitectureMode::Physical) << name;
        }
        QTest::newRow("logical order_summary") << int(ArchitectureMode::Logical) << QStringLiteral("order_summary");
        QTest::newRow("crud product_sales") << int(ArchitectureMode::Crud) << QStringLiteral("product_sales");
    }

    void poisonStopsOnlyItsProjection()
    {
        QFETCH(int, mode);
        QFETCH(QString, projection);
        LabHarness harness{ArchitectureMode(mode)};
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        QSignalSpy failures(&engine, &ProjectionEngine::projectionFailed);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);

        // The third order from now is poison for one projection.
        const qint64 poison = lab.bus().headPosition() + 3;
        engine.setPoisonPosition(projection, poison);
        for (int i = 0; i < 10; ++i)
            QVERIFY(harness.run(order(1 + i, {line(blueMug, 1), line(teaTowel, 2)})).accepted());
        const qint64 head = lab.bus().headPosition();

        QTRY_COMPARE_WITH_TIMEOUT(engine.board().status(projection).state, ProjectionState::Failed, longWaitMs);
        const ProjectionStatus failed = engine.board().status(projection);
        QVERIFY(!failed.error.isEmpty());
        QVERIFY2(failed.error.contains(QStringLiteral("injected poison event")), qPrintable(failed.error));
        QCOMPARE(failed.failedPosition, poison);
        QVERIFY(failed.checkpoint < poison);
        QVERIFY(failed.checkpoint >= poison - 3); // it had applied what came before
        QTRY_COMPARE_WITH_TIMEOUT(failures.count(), 1, longWaitMs);
        QCOMPARE(failures.at(0).at(0).toString(), projection);

        // The others reach the head.
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                for (const ProjectionStatus& s : engine.board().statuses())
                    if (s.name != projection && (s.checkpoint != head || s.state != ProjectionState::Live))
                        return false;
                return true;
            }(),
            qPrintable(describe(lab)), longWaitMs);

        // No busy loop: more commands flow, the others follow them, the failed
        // one applies nothing and stays exactly as it was.
        const ProjectionStatus before = engine.board().status(projection);
        for (int i = 0; i < 20; ++i)
            QVERIFY(harness.run(order(20 + i, {line(teaTowel, 1)})).accepted());
        const qint64 later = lab.bus().headPosition();
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                for (const ProjectionStatus& s : engine.board().statuses())
                    if (s.name != projection && s.checkpoint != later)
                        return false;
                return true;
            }(),
            qPrintable(describe(lab)), longWaitMs);
        // Long enough for the projector's fallback poll (500 ms) to fire a few
        // times: wait on the lag monitor's clock, not a sleep.
        const qint64 since = lab.lag().latest().takenAtNs;
        QTRY_VERIFY_WITH_TIMEOUT(lab.lag().latest().takenAtNs - since > 1'200'000'000, longWaitMs);
        const ProjectionStatus after = engine.board().status(projection);
        QCOMPARE(after.eventsApplied, before.eventsApplied);
        QCOMPARE(after.checkpoint, before.checkpoint);
        QCOMPARE(after.state, ProjectionState::Failed);
        QCOMPARE(after.failedPosition, poison);
        QCOMPARE(after.error, before.error);
        QCOMPARE(failures.count(), 1); // reported once, not once per wake-up
        QCOMPARE(storedCheckpoint(harness.liveStore(), projection), before.checkpoint);
        // The lag monitor shows it behind by everything after its checkpoint.
        QTRY_COMPARE_WITH_TIMEOUT(lab.lag().latest().head, later, longWaitMs);
        for (const ProjectionLag& lag : lab.lag().latest().projections) {
            if (lag.status.name == projection) {
                QCOMPARE(lag.eventsBehind, later - before.checkpoint);
                QCOMPARE(lag.status.state, ProjectionState::Failed);
            }
        }
    }

    void failingViewsInASharedTransaction_data()
    {
        // Which views are poisoned, at the same event, in one transaction
        // that all five views (one projector thread) take part in.
        QTest::addColumn<QStringList>("poisoned");
        QTest::newRow("middle view") << QStringList{QStringLiteral("product_sales")};
        QTest::newRow("first and last") << QStringList{QStringLiteral("order_summary"), QStringLiteral("search_index")};
        QTest::newRow("all but one")
            << QStringList{QStringLiteral("order_summary"), QStringLiteral("customer_stats"),
                           QStringLiteral("revenue_timeline"), QStringLiteral("search_index")};
    }

    void failingViewsInASharedTransaction()
    {
        QFETCH(QStringList, poisoned);
        LabHarness harness{ArchitectureMode::Physical};
        harness.config().projectorThreads = 1;
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        QCOMPARE(engine.threadCount(), 1);
        QSignalSpy failures(&engine, &ProjectionEngine::projectionFailed);
        const qint64 start = lab.bus().headPosition();
        QHash<QString, qint64> appliedBefore;
        for (const ProjectionStatus& s : engine.board().statuses())
            appliedBefore.insert(s.name, s.eventsApplied);
        const qint64 poison = start + groupOrders / 2;
        for (const QString& name : poisoned)
            engine.setPoisonPosition(name, poison);

        // One group commit, so every view finds all the orders at once and
        // folds them as one batch (default batch size 500) in the same step.
        WorkerGate gate;
        QList<Command> orders;
        for (int i = 0; i < groupOrders; ++i)
            orders << order(1 + i % 5, {line(blueMug, 1 + i % 2), line(teaTowel, 1)});
        QList<QFuture<CommandResult>> placed;
        submitAsOneGroup(lab.bus(), gate, order(1, {line(notebook, 1)}), orders, &placed);
        if (QTest::currentTestFailed())
            return;
        for (const QFuture<CommandResult>& future : placed)
            QVERIFY(await(future).accepted());
        lab.bus().setInlineHook({});
        const qint64 head = lab.bus().headPosition();
        QCOMPARE(head, start + groupOrders);

        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                for (const ProjectionStatus& s : engine.board().statuses()) {
                    const bool done = poisoned.contains(s.name)
                                          ? s.state == ProjectionState::Failed
                                          : s.checkpoint == head && s.state == ProjectionState::Live;
                    if (!done)
                        return false;
                }
                return true;
            }(),
            qPrintable(describe(lab)), longWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(failures.count(), int(poisoned.size()), longWaitMs);

        const QString store = harness.liveStore();
        for (const ProjectionStatus& s : engine.board().statuses()) {
            if (poisoned.contains(s.name)) {
                // Its whole batch is rolled back: nothing of it stays.
                QCOMPARE(s.failedPosition, poison);
                QVERIFY2(s.error.contains(QStringLiteral("injected poison event")), qPrintable(s.error));
                QCOMPARE(s.checkpoint, start);
                QCOMPARE(storedCheckpoint(store, s.name), start);
                QCOMPARE(s.eventsApplied, appliedBefore.value(s.name));
            } else {
                // Applied exactly once and committed, beside the failure.
                QCOMPARE(storedCheckpoint(store, s.name), head);
                QCOMPARE(s.eventsApplied, appliedBefore.value(s.name) + groupOrders);
            }
        }
        compareWithReplay(harness, store, projectionNames());
        if (QTest::currentTestFailed())
            return;

        // Cleared and retried: the failed views catch up; the others apply nothing again.
        for (const QString& name : poisoned) {
            engine.setPoisonPosition(name, 0);
            engine.retry(name);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab, head), qPrintable(describe(lab)), longWaitMs);
        for (const ProjectionStatus& s : engine.board().statuses()) {
            QCOMPARE(storedCheckpoint(store, s.name), head);
            QCOMPARE(s.eventsApplied, appliedBefore.value(s.name) + groupOrders);
        }
        compareWithReplay(harness, store, projectionNames());
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Physical);
    }
};

QTEST_GUILESS_MAIN(TestPoison)
#include "tst_poison.moc"
