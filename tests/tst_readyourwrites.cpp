// Read-your-writes: with the projections 100 ms behind, an order read back
// with ReadYourWrites and the command's position is always there, while the
// same read with eventual consistency can miss it (which proves the delay is
// real). When the view cannot catch up in time the read answers "still
// catching up" at its deadline instead of hanging.
#include "readsupport.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;
constexpr qint64 notebook = 6;
constexpr int trials = 200;
constexpr int inFlight = 8; // trials running at once (the query pool has as many threads)
constexpr int delayMs = 100;

ReadOptions readYourWrites(qint64 position, int timeoutMs = longWaitMs)
{
    ReadOptions options;
    options.consistency = ConsistencyMode::ReadYourWrites;
    options.minPosition = position;
    options.timeoutMs = timeoutMs;
    return options;
}

} // namespace

class TestReadYourWrites final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void placeThenReadSeesTheOrder_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void placeThenReadSeesTheOrder()
    {
        QFETCH(int, mode);
        LabHarness harness{ArchitectureMode(mode), inFlight};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        QVERIFY(harness.run(RestockProduct{testMeta(), blueMug, 5'000, {}}).accepted());
        QVERIFY(harness.run(RestockProduct{testMeta(), notebook, 5'000, {}}).accepted());
        lab.projections().setDelay({}, delayMs, 0);

        // Read-your-writes: 200 trials, a few at a time; each read is issued
        // as soon as its order is accepted.
        int seen = 0;
        for (int wave = 0; wave < trials / inFlight; ++wave) {
            QList<QFuture<CommandResult>> placed;
            for (int i = 0; i < inFlight; ++i)
                placed << lab.bus().submit(order(1 + (wave * inFlight + i) % 50, {line(blueMug, 1)}));
            QList<std::pair<CommandResult, QFuture<OrderLookup>>> reads;
            for (const QFuture<CommandResult>& future : placed) {
                const CommandResult result = await(future);
                QVERIFY2(result.accepted(), qPrintable(result.reason));
                reads.append({result, lab.queries().order(result.entityId, readYourWrites(result.lastPosition))});
            }
            for (auto& [result, future] : reads) {
                const OrderLookup lookup = await(future);
                QVERIFY2(lookup.meta.ok(), qPrintable(lookup.meta.error));
                QVERIFY2(!lookup.meta.stillCatchingUp, qPrintable(lookup.meta.message));
                QVERIFY(lookup.meta.position >= result.lastPosition);
                QVERIFY2(lookup.order.has_value(), qPrintable(QStringLiteral("order %1 missing").arg(result.entityId)));
                QCOMPARE(lookup.order->orderId, result.entityId);
                QCOMPARE(lookup.order->lastPosition, result.lastPosition);
                QCOMPARE(lookup.order->status, QStringLiteral("placed"));
                ++seen;
            }
        }
        QCOMPARE(seen, trials);

        // The same with eventual consistency misses (the view is 100 ms behind).
        int misses = 0;
        for (int i = 0; i < trials && misses == 0; ++i) {
            const CommandResult result = harness.run(order(2, {line(notebook, 1)}));
            QVERIFY2(result.accepted(), qPrintable(result.reason));
            const OrderLookup lookup = await(lab.queries().order(result.entityId));
            QVERIFY2(lookup.meta.ok(), qPrintable(lookup.meta.error));
            QVERIFY(!lookup.meta.stillCatchingUp);
            if (!lookup.order)
                ++misses;
        }
        QVERIFY2(misses > 0, "an eventual read right after the command never missed: is the delay applied?");

        // Other views honour read-your-writes too.
        const qint64 customer = 3;
        const CustomerStatsResult before = await(lab.queries().customerStats(readYourWrites(lab.bus().headPosition())));
        const CommandResult placed = harness.run(order(customer, {line(blueMug, 2)}));
        QVERIFY(placed.accepted());
        const CustomerStatsResult after = await(lab.queries().customerStats(readYourWrites(placed.lastPosition)));
        QVERIFY2(after.meta.ok(), qPrintable(after.meta.error));
        QVERIFY(!after.meta.stillCatchingUp);
        const auto ordersOf = [customer](const CustomerStatsResult& stats) {
            for (const CustomerStatsRow& row : stats.rows)
                if (row.customerId == customer)
                    return row.orders;
            return qint64(-1);
        };
        QCOMPARE(ordersOf(after), ordersOf(before) + 1);
        const ProductSalesResult sales = await(lab.queries().productSales(readYourWrites(placed.lastPosition)));
        QVERIFY(!sales.meta.stillCatchingUp);
        QVERIFY(sales.meta.position >= placed.lastPosition);
    }

    void crudModeIsAlwaysCurrent()
    {
        LabHarness harness{ArchitectureMode::Crud};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        lab.projections().setDelay({}, delayMs, 0);
        for (int i = 0; i < 20; ++i) {
            const CommandResult result = harness.run(order(4, {line(blueMug, 1)}));
            QVERIFY(result.accepted());
            // Eventual and read-your-writes alike: the write tables are the answer.
            const OrderLookup eventual = await(lab.queries().order(result.entityId));
            QVERIFY2(eventual.meta.ok(), qPrintable(eventual.meta.error));
            QCOMPARE(eventual.meta.mode, ArchitectureMode::Crud);
            QVERIFY(eventual.order.has_value());
            const OrderLookup ryw = await(lab.queries().order(result.entityId, readYourWrites(result.lastPosition)));
            QVERIFY(ryw.order.has_value());
            QVERIFY(!ryw.meta.stillCatchingUp);
        }
    }

    void readYourWritesTimesOutWhenPaused_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void readYourWritesTimesOutWhenPaused()
    {
        QFETCH(int, mode);
        LabHarness harness{ArchitectureMode(mode)};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        lab.projections().setPaused(QStringLiteral("order_summary"), true);
        // A first order settles the pause: once the other views have it, no
        // step the projector had begun before the pause is still running.
        const CommandResult sentinel = harness.run(order(5, {line(notebook, 1)}));
        QVERIFY(sentinel.accepted());
        QTRY_VERIFY_WITH_TIMEOUT(lab.projections().board().checkpoint(QStringLiteral("customer_stats")) >= sentinel.lastPosition,
                                 longWaitMs);
        const CommandResult result = harness.run(order(5, {line(blueMug, 1)}));
        QVERIFY(result.accepted());

        QFuture<OrderLookup> pending = lab.queries().order(result.entityId, readYourWrites(result.lastPosition, 200));
        QTRY_VERIFY_WITH_TIMEOUT(pending.isFinished(), longWaitMs); // never hangs
        const OrderLookup lookup = pending.result();
        QVERIFY2(lookup.meta.ok(), qPrintable(lookup.meta.error));
        QVERIFY(lookup.meta.stillCatchingUp);
        QVERIFY(!lookup.meta.message.isEmpty());
        QVERIFY2(lookup.meta.message.contains(QString::number(result.lastPosition)), qPrintable(lookup.meta.message));
        QVERIFY(lookup.meta.position < result.lastPosition);
        QVERIFY(!lookup.order.has_value()); // the paused view really has not got it

        // Once resumed, the same read sees the order.
        lab.projections().setPaused(QStringLiteral("order_summary"), false);
        const OrderLookup later = await(lab.queries().order(result.entityId, readYourWrites(result.lastPosition)));
        QVERIFY(!later.meta.stillCatchingUp);
        QVERIFY(later.meta.message.isEmpty());
        QVERIFY(later.order.has_value());
    }

    void readYourWritesAcrossArchitectureSwitches()
    {
        // After a switch the queries read another store, which may be behind
        // (or empty): read-your-writes must wait for that store, not trust
        // the checkpoints of the one the views just left.
        LabHarness harness{ArchitectureMode::Physical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        const CommandResult first = harness.run(order(6, {line(blueMug, 1)}));
        QVERIFY(first.accepted());
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);

        // Paused, so the new store stays as it is while we look.
        engine.setPaused({}, true);
        switchArchitecture(lab, ArchitectureMode::Logical); // write.db has no views yet
        OrderLookup lookup = await(lab.queries().order(first.entityId, readYourWrites(first.lastPosition, 200)));
        QVERIFY2(lookup.meta.ok(), qPrintable(lookup.meta.error));
        QVERIFY2(lookup.meta.stillCatchingUp || lookup.order.has_value(),
                 "read-your-writes answered from a store without the order");
        QVERIFY(lookup.meta.stillCatchingUp);
        engine.setPaused({}, false);
        lookup = await(lab.queries().order(first.entityId, readYourWrites(first.lastPosition)));
        QVERIFY(!lookup.meta.stillCatchingUp);
        QVERIFY(lookup.order.has_value());

        // An order placed in Logical mode, then back to Physical (read.db is
        // behind by that order).
        const CommandResult second = harness.run(order(7, {line(blueMug, 1)}));
        QVERIFY(second.accepted());
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        engine.setPaused({}, true);
        switchArchitecture(lab, ArchitectureMode::Physical);
        lookup = await(lab.queries().order(second.entityId, readYourWrites(second.lastPosition, 200)));
        QVERIFY2(lookup.meta.ok(), qPrintable(lookup.meta.error));
        QVERIFY2(lookup.meta.stillCatchingUp || lookup.order.has_value(),
                 "read-your-writes answered from a store without the order");
        QVERIFY(lookup.meta.stillCatchingUp);
        engine.setPaused({}, false);
        lookup = await(lab.queries().order(second.entityId, readYourWrites(second.lastPosition)));
        QVERIFY(!lookup.meta.stillCatchingUp);
        QVERIFY(lookup.order.has_value());
    }

    void switchingStoresPreparesThemOffTheCallersThread()
    {
        // The new store is prepared on the pool: a switch to a read.db that
        // another connection holds locked returns at once, and until the
        // store is ready everything stays on the old one (the engine's
        // store, and the queries, whose read-your-writes answers stay true).
        LabHarness harness{ArchitectureMode::Logical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        const CommandResult first = harness.run(order(8, {line(blueMug, 1)}));
        QVERIFY(first.accepted());
        {
            const QString holder = QStringLiteral("read-db-holder");
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), holder);
                db.setDatabaseName(lab.readDbPath());
                QVERIFY(db.open());
                QSqlQuery lock(db);
                QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));

                lab.setArchitecture(ArchitectureMode::Physical); // returns while read.db is locked
                QVERIFY(lab.storeSwitchPending());
                QCOMPARE(lab.projections().readDbPath(), lab.writeDbPath());
                QCOMPARE(lab.queries().mode(), ArchitectureMode::Logical);
                const OrderLookup meanwhile = await(lab.queries().order(first.entityId, readYourWrites(first.lastPosition)));
                QVERIFY2(meanwhile.meta.ok(), qPrintable(meanwhile.meta.error));
                QVERIFY(meanwhile.order.has_value());
                QVERIFY(lab.storeSwitchPending());

                QVERIFY(lock.exec(QStringLiteral("COMMIT")));
            }
            QSqlDatabase::removeDatabase(holder);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!lab.storeSwitchPending(), longWaitMs);
        QCOMPARE(lab.projections().readDbPath(), lab.readDbPath());
        QCOMPARE(lab.queries().mode(), ArchitectureMode::Physical);
        const OrderLookup after = await(lab.queries().order(first.entityId, readYourWrites(first.lastPosition)));
        QVERIFY2(after.meta.ok(), qPrintable(after.meta.error));
        QVERIFY(after.order.has_value());
    }
};

QTEST_GUILESS_MAIN(TestReadYourWrites)
#include "tst_readyourwrites.moc"
