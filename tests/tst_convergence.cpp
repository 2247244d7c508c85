// Convergence: whatever the command mix, the projector delays and the pauses,
// once the read side has caught up every view equals (a) a fresh replay of
// the event log and (b) the CRUD answer computed from the write tables. Run
// in all three architectures, and across architecture switches at runtime.
#include "readsupport.h"

#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr int commandCount = 2'000;

/// Random knob changes between command groups: delays up to 20 ms (with
/// jitter), pauses and resumes, batch sizes.
std::function<void(std::mt19937&)> randomKnobs(ProjectionEngine& engine, int* pauses)
{
    return [&engine, pauses](std::mt19937& random) {
        const QStringList names = engine.projectionNames();
        const QString name = names.at(int(random() % quint32(names.size())));
        switch (random() % 10) {
        case 0:
        case 1:
        case 2:
            engine.setDelay(name, int(random() % 21), int(random() % 6));
            break;
        case 3:
        case 4:
            engine.setPaused(name, true);
            ++*pauses;
            break;
        case 5:
        case 6:
            engine.setPaused(name, false);
            break;
        case 7:
            engine.setBatchSize(name, 1 + int(random() % 200));
            break;
        default:
            break;
        }
    };
}

void resumeEverything(ProjectionEngine& engine)
{
    engine.setPaused({}, false);
    engine.setDelay({}, 0, 0);
    engine.setBatchSize({}, 500);
}

} // namespace

class TestConvergence final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomMixConverges_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("threads"); // projector threads
        QTest::newRow("crud") << int(ArchitectureMode::Crud) << 11u << 1;
        QTest::newRow("logical") << int(ArchitectureMode::Logical) << 22u << 1;
        QTest::newRow("physical") << int(ArchitectureMode::Physical) << 33u << 1;
        QTest::newRow("logical, 2 projector threads") << int(ArchitectureMode::Logical) << 55u << 2;
        QTest::newRow("physical, a thread per projector") << int(ArchitectureMode::Physical) << 66u << 5;
    }

    void randomMixConverges()
    {
        QFETCH(int, mode);
        QFETCH(quint32, seed);
        QFETCH(int, threads);
        LabHarness harness{ArchitectureMode(mode)};
        harness.config().projectorThreads = threads;
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        QCOMPARE(lab.architecture(), ArchitectureMode(mode));
        ProjectionEngine& engine = lab.projections();
        QCOMPARE(engine.threadCount(), threads);

        const CatalogSnapshot catalog = await(lab.bus().catalog());
        CommandDriver driver(catalog, seed);
        QVERIFY(driver.isUsable());
        int pauses = 0;
        driver.run(lab.bus(), commandCount, randomKnobs(engine, &pauses));
        QVERIFY(pauses > 0);
        QCOMPARE(driver.failed(), 0);
        QVERIFY2(driver.accepted() > commandCount / 2, qPrintable(QString::number(driver.accepted())));
        QVERIFY2(driver.rejected() > 0, "the mix must contain commands that break a rule");

        resumeEverything(engine);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const qint64 head = lab.bus().headPosition();

        // The stored checkpoints agree with the board.
        for (const QString& name : projectionNames())
            QCOMPARE(storedCheckpoint(harness.liveStore(), name), head);

        // (a) A replay of the whole log into a scratch store.
        const ReplayResult replay = await(engine.replayTo(head, harness.scratchPath(QStringLiteral("replay.db"))));
        QVERIFY2(replay.ok, qPrintable(replay.error));
        QCOMPARE(replay.position, head);
        CQRS_COMPARE_STORES(harness.liveStore(), replay.storePath);

        // (b) The CRUD answers from the write tables.
        CQRS_COMPARE_WITH_CRUD(lab.queries(), harness.viewMode());
        // And the queries in the Lab's own mode answer without error.
        const CustomerStatsResult own = await(lab.queries().customerStats());
        QVERIFY2(own.meta.ok(), qPrintable(own.meta.error));
        QCOMPARE(own.meta.mode, ArchitectureMode(mode));
    }

    void projectorsFollowingTheHeadDoNotReadTheLog()
    {
        // After each commit the command worker hands its events to the
        // projectors: fifty orders reach every view, and the projectors read
        // the log itself at most for the fallback poll (once per 500 ms in
        // which nothing was handed over), not once per commit.
        LabHarness harness;
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        const qint64 before = lab.projections().logReads();
        CommandResult last;
        for (int i = 0; i < 50; ++i) {
            last = harness.run(order(1 + i % 20, {line(1, 1)}));
            QVERIFY2(last.accepted(), qPrintable(last.reason));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab, last.lastPosition), qPrintable(describe(lab)), longWaitMs);
        const qint64 reads = lab.projections().logReads() - before;
        QVERIFY2(reads <= 2, qPrintable(QStringLiteral("%1 log reads for 50 commits").arg(reads)));
    }

    void rebuildConverges()
    {
        // A rebuild (clear, replay the log) while commands keep coming.
        LabHarness harness(ArchitectureMode::Physical);
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        const CatalogSnapshot catalog = await(lab.bus().catalog());
        CommandDriver driver(catalog, 44u);
        driver.run(lab.bus(), 600);
        lab.projections().rebuild({});
        driver.run(lab.bus(), 400);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const ReplayResult replay = await(lab.projections().replayTo(
            lab.bus().headPosition(), harness.scratchPath(QStringLiteral("replay.db"))));
        QVERIFY2(replay.ok, qPrintable(replay.error));
        CQRS_COMPARE_STORES(harness.liveStore(), replay.storePath);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Physical);
    }

    void architectureSwitchKeepsTheDataAndConverges()
    {
        LabHarness harness(ArchitectureMode::Physical);
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        const CatalogSnapshot catalog = await(lab.bus().catalog());
        CommandDriver driver(catalog, 55u);
        int pauses = 0;

        // Physical: build up some data, settle.
        driver.run(lab.bus(), 400, randomKnobs(engine, &pauses));
        resumeEverything(engine);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const qint64 settled = lab.bus().headPosition();
        const Answers physical = answers(lab.queries(), ArchitectureMode::Physical);
        QVERIFY2(physical.error.isEmpty(), qPrintable(physical.error));

        // To Logical: the views move into write.db. Queries keep answering
        // (never an error) while the new store fills, and end up with the
        // same data.
        switchArchitecture(lab, ArchitectureMode::Logical);
        QCOMPARE(lab.queries().mode(), ArchitectureMode::Logical);
        {
            const Answers during = answers(lab.queries(), ArchitectureMode::Logical);
            QVERIFY2(during.error.isEmpty(), qPrintable(during.error));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab, settled), qPrintable(describe(lab)), longWaitMs);
        {
            const Answers logical = answers(lab.queries(), ArchitectureMode::Logical);
            QVERIFY2(logical.error.isEmpty(), qPrintable(logical.error));
            QCOMPARE(logical.customers, physical.customers);
            QCOMPARE(logical.products, physical.products);
            QCOMPARE(logical.revenue, physical.revenue);
            QCOMPARE(logical.orders, physical.orders);
        }
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Logical);

        // Commands flow while switching Logical -> CRUD -> Physical.
        driver.run(lab.bus(), 300, randomKnobs(engine, &pauses));
        // read.db was left alone while the views lived in write.db.
        for (const QString& name : projectionNames())
            QCOMPARE(storedCheckpoint(lab.readDbPath(), name), settled);
        switchArchitecture(lab, ArchitectureMode::Crud);
        QCOMPARE(lab.projectionStorePath(ArchitectureMode::Crud), lab.writeDbPath());
        driver.run(lab.bus(), 300, randomKnobs(engine, &pauses));
        {
            const Answers crud = answers(lab.queries(), ArchitectureMode::Crud);
            QVERIFY2(crud.error.isEmpty(), qPrintable(crud.error));
        }
        switchArchitecture(lab, ArchitectureMode::Physical);
        {
            const Answers during = answers(lab.queries(), ArchitectureMode::Physical);
            QVERIFY2(during.error.isEmpty(), qPrintable(during.error));
        }
        driver.run(lab.bus(), 300, randomKnobs(engine, &pauses));
        resumeEverything(engine);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        QCOMPARE(harness.liveStore(), lab.readDbPath());
        const qint64 head = lab.bus().headPosition();
        const ReplayResult replay = await(engine.replayTo(head, harness.scratchPath(QStringLiteral("replay.db"))));
        QVERIFY2(replay.ok, qPrintable(replay.error));
        CQRS_COMPARE_STORES(lab.readDbPath(), replay.storePath);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Physical);

        // And back to Logical: write.db's views resume where they stopped.
        switchArchitecture(lab, ArchitectureMode::Logical);
        driver.run(lab.bus(), 100);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const ReplayResult again = await(
            engine.replayTo(lab.bus().headPosition(), harness.scratchPath(QStringLiteral("again.db"))));
        QVERIFY2(again.ok, qPrintable(again.error));
        CQRS_COMPARE_STORES(lab.writeDbPath(), again.storePath);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Logical);
    }
};

QTEST_GUILESS_MAIN(TestConvergence)
#include "tst_convergence.moc"
