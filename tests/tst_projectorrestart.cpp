// A projector stopped in the middle of a batch by an error inside its
// transaction: it reports Failed with the reason and the position, its
// checkpoint stays at the last committed batch, and its view holds exactly
// the fold of the events up to that checkpoint (the half-applied batch is
// rolled back). Cleared and retried, or after the Lab is closed and a new Lab
// opened on the same files, it resumes from the checkpoint and converges,
// applying nothing twice.
#include "readsupport.h"
#include "workergate.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;
constexpr qint64 notebook = 6;
constexpr int batchSize = 10;
constexpr int orderCount = 50;
// The 25th new event: in the middle of the third batch of ten.
constexpr qint64 poisonOffset = 25;
constexpr qint64 lastGoodBatchOffset = 20;

ProjectionStatus statusOf(Lab& lab, const QString& name) { return lab.projections().board().status(name); }

} // namespace

class TestProjectorRestart final : public QObject
{
    Q_OBJECT

private:
    /// Opens a Lab, lets `name` fail in the middle of a batch, and checks the
    /// failure. Returns the position of the first new event via *base.
    void failMidBatch(LabHarness& harness, const QString& name, qint64* base)
    {
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        QSignalSpy failures(&engine, &ProjectionEngine::projectionFailed);
        QVERIFY(failures.isValid());
        // Small batches from the start (the catch-up below already uses them).
        engine.setBatchSize(name, batchSize);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const qint64 start = lab.bus().headPosition();
        *base = start;
        const qint64 poison = start + poisonOffset;
        engine.setPoisonPosition(name, poison);

        // All the orders in one group commit, so the projector finds them in
        // the log at once and folds them in batches of exactly ten:
        // start+1..start+10, start+11..start+20, start+21..start+30 (poisoned).
        // The gate holds the worker in a blocker command (which it then
        // fails, so the blocker appends nothing) while the orders queue up.
        WorkerGate gate;
        QList<Command> orders;
        for (int i = 0; i < orderCount; ++i)
            orders << order(1 + i % 7, {line(blueMug, 1 + i % 3), line(teaTowel, 1)});
        QList<QFuture<CommandResult>> placed;
        submitAsOneGroup(lab.bus(), gate, order(1, {line(notebook, 1)}), orders, &placed);
        if (QTest::currentTestFailed())
            return;
        const qint64 groupCommit = await(placed.first()).committedNs;
        for (const QFuture<CommandResult>& future : placed) {
            QVERIFY(await(future).accepted());
            QCOMPARE(await(future).committedNs, groupCommit);
        }
        lab.bus().setInlineHook({});
        QCOMPARE(lab.bus().headPosition(), start + orderCount);

        QTRY_COMPARE_WITH_TIMEOUT(statusOf(lab, name).state, ProjectionState::Failed, longWaitMs);
        const ProjectionStatus failed = statusOf(lab, name);
        QCOMPARE(failed.failedPosition, poison);
        QVERIFY2(failed.error.contains(QStringLiteral("injected poison event")), qPrintable(failed.error));
        QVERIFY2(failed.error.contains(QStringLiteral("#%1").arg(poison)), qPrintable(failed.error));
        QVERIFY2(failed.error.contains(QStringLiteral("OrderPlaced")), qPrintable(failed.error));
        QCOMPARE(failed.checkpoint, start + lastGoodBatchOffset);
        QCOMPARE(storedCheckpoint(harness.liveStore(), name), start + lastGoodBatchOffset);
        QTRY_COMPARE_WITH_TIMEOUT(failures.count(), 1, longWaitMs);
        QCOMPARE(failures.at(0).at(0).toString(), name);
        QCOMPARE(failures.at(0).at(1).toString(), failed.error);

        // The others are not held back.
        for (const QString& other : projectionNames()) {
            if (other != name)
                QTRY_VERIFY2_WITH_TIMEOUT(statusOf(lab, other).checkpoint == start + orderCount
                                              && statusOf(lab, other).state == ProjectionState::Live,
                                          qPrintable(describe(lab)), longWaitMs);
        }

        // The view is the fold of 1..checkpoint: nothing of the failed batch.
        const ReplayResult replay = await(engine.replayTo(
            failed.checkpoint, harness.scratchPath(QStringLiteral("at-checkpoint.db"))));
        QVERIFY2(replay.ok, qPrintable(replay.error));
        QCOMPARE(replay.position, failed.checkpoint);
        const QStringList live = canonical(harness.liveStore(), name);
        QVERIFY(!live.isEmpty());
        QCOMPARE(live, canonical(replay.storePath, name));
    }

    /// After recovery: caught up, equal to a replay and to CRUD.
    void checkConverged(LabHarness& harness)
    {
        Lab& lab = harness.lab();
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const ReplayResult replay = await(lab.projections().replayTo(
            lab.bus().headPosition(), harness.scratchPath(QStringLiteral("at-head.db"))));
        QVERIFY2(replay.ok, qPrintable(replay.error));
        CQRS_COMPARE_STORES(harness.liveStore(), replay.storePath);
        // units_sold, orders, revenue: equal to CRUD exactly, so no event of
        // the rolled-back batch was counted twice.
        CQRS_COMPARE_WITH_CRUD(lab.queries(), harness.viewMode());
    }

private Q_SLOTS:
    void closeBeforeTheStoreOpensStartsNothing()
    {
        // The open answer arrives after close(): the read side must stay
        // down (no projector reopening read.db) and the caller hears why.
        QTemporaryDir dir;
        LabConfig config;
        config.dataDir = dir.path();
        Lab lab(config);
        QFuture<StoreInfo> opened = lab.open();
        lab.close();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY(!opened.result().ok);
        QVERIFY2(opened.result().error.contains(QStringLiteral("closed")), qPrintable(opened.result().error));
        QCOMPARE(lab.projections().threadCount(), 0); // stopped, not restarted
        QVERIFY(!lab.lag().isRunning());
        QVERIFY(!lab.checkpointer().isRunning());
    }

    void retryAfterPoisonResumes_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("projection");
        QTest::newRow("physical product_sales") << int(ArchitectureMode::Physical) << QStringLiteral("product_sales");
        QTest::newRow("physical customer_stats") << int(ArchitectureMode::Physical) << QStringLiteral("customer_stats");
        QTest::newRow("logical search_index") << int(ArchitectureMode::Logical) << QStringLiteral("search_index");
        QTest::newRow("logical revenue_timeline") << int(ArchitectureMode::Logical) << QStringLiteral("revenue_timeline");
    }

    void retryAfterPoisonResumes()
    {
        QFETCH(int, mode);
        QFETCH(QString, projection);
        LabHarness harness{ArchitectureMode(mode)};
        qint64 base = 0;
        failMidBatch(harness, projection, &base);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();

        // Retrying with the poison still there fails again at the same place.
        engine.retry(projection);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(lab, projection).state, ProjectionState::Failed, longWaitMs);
        QCOMPARE(statusOf(lab, projection).failedPosition, base + poisonOffset);
        QCOMPARE(statusOf(lab, projection).checkpoint, base + lastGoodBatchOffset);

        // Cleared and retried: it resumes from the checkpoint.
        engine.setPoisonPosition(projection, 0);
        engine.retry(projection);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const ProjectionStatus recovered = statusOf(lab, projection);
        QVERIFY(recovered.error.isEmpty());
        QCOMPARE(recovered.failedPosition, 0);
        // Every event of the log was applied exactly once in this session.
        QCOMPARE(recovered.eventsApplied, lab.bus().headPosition());

        // It keeps following new commands.
        QVERIFY(harness.run(order(2, {line(notebook, 2)})).accepted());
        checkConverged(harness);
    }

    void reopenedLabResumesFromTheCheckpoint()
    {
        LabHarness harness{ArchitectureMode::Physical};
        const QString name = QStringLiteral("product_sales");
        qint64 base = 0;
        failMidBatch(harness, name, &base);
        if (QTest::currentTestFailed())
            return;
        const Answers crudBefore = answers(harness.lab().queries(), ArchitectureMode::Crud);

        // A new Lab on the same directory: no poison, same files.
        harness.close();
        QCOMPARE(storedCheckpoint(harness.scratchPath(QStringLiteral("read.db")), name), base + lastGoodBatchOffset);
        QFuture<StoreInfo> reopened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(reopened.isFinished(), longWaitMs);
        QVERIFY2(reopened.result().ok, qPrintable(reopened.result().error));
        QVERIFY(!reopened.result().seeded);
        Lab& lab = harness.lab();
        QCOMPARE(lab.bus().headPosition(), base + orderCount);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        // Only the events after the checkpoint were applied by the new Lab,
        // and none by the projections that had already reached the head.
        for (const ProjectionStatus& status : lab.projections().board().statuses())
            QCOMPARE(status.eventsApplied, status.name == name ? orderCount - lastGoodBatchOffset : 0);
        const Answers crudAfter = answers(lab.queries(), ArchitectureMode::Crud);
        QCOMPARE(crudAfter.products, crudBefore.products);
        checkConverged(harness);

        QVERIFY(harness.run(order(3, {line(blueMug, 4)})).accepted());
        checkConverged(harness);
    }
};

QTEST_GUILESS_MAIN(TestProjectorRestart)
#include "tst_projectorrestart.moc"
