// Time travel: ProjectionEngine::replayTo(N) builds, in a scratch store, the
// views exactly as they were after event N: the same as a second independent
// replay, with as many orders as OrderPlaced events up to N and each product's
// stock as the last event up to N left it. The live views and their
// checkpoints are not touched.
#include "readsupport.h"

#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace cqrs;
using namespace cqrs::test;

namespace {

/// What the log says the world looked like after event `upTo`.
struct Expected
{
    qint64 orders = 0;
    qint64 cancelled = 0;
    QMap<qint64, qint64> stock;      // product -> stock
    QMap<qint64, qint64> unitsSold;  // product -> units in orders that stand
    QMap<qint64, qint64> customerOrders;
    qint64 customers = 0;
};

Expected foldLog(const QList<LoggedEvent>& log, qint64 upTo)
{
    Expected e;
    for (const LoggedEvent& event : log) {
        if (event.position > upTo)
            break;
        const auto lines = event.payload.value(QStringLiteral("lines")).toArray();
        if (event.type == QStringLiteral("ProductAdded")) {
            e.stock[event.aggregateId] = event.payload.value(QStringLiteral("stock")).toInteger();
            e.unitsSold[event.aggregateId] = 0;
        } else if (event.type == QStringLiteral("ProductRestocked")) {
            e.stock[event.aggregateId] = event.payload.value(QStringLiteral("stockAfter")).toInteger();
        } else if (event.type == QStringLiteral("CustomerRegistered")) {
            ++e.customers;
        } else if (event.type == QStringLiteral("OrderPlaced") || event.type == QStringLiteral("OrderCancelled")) {
            const bool placed = event.type == QStringLiteral("OrderPlaced");
            placed ? ++e.orders : ++e.cancelled;
            if (placed)
                ++e.customerOrders[event.payload.value(QStringLiteral("customerId")).toInteger()];
            for (const QJsonValue& value : lines) {
                const QJsonObject line = value.toObject();
                const qint64 product = line.value(QStringLiteral("productId")).toInteger();
                e.stock[product] = line.value(QStringLiteral("stockAfter")).toInteger();
                e.unitsSold[product] += (placed ? 1 : -1) * line.value(QStringLiteral("quantity")).toInteger();
            }
        }
    }
    return e;
}

QMap<QString, QStringList> liveViews(const QString& store)
{
    QMap<QString, QStringList> views;
    for (const QString& name : projectionNames())
        views.insert(name, canonical(store, name));
    StoreReader reader(store);
    QStringList checkpoints;
    for (const QVariantList& row : reader.rows(QStringLiteral("SELECT projection, position, updated_at_ms FROM rv_checkpoints ORDER BY 1")))
        checkpoints << renderRow(row);
    views.insert(QStringLiteral("rv_checkpoints"), checkpoints);
    return views;
}

} // namespace

class TestTimeTravel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replayIsTheFoldUpToN_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void replayIsTheFoldUpToN()
    {
        QFETCH(int, mode);
        LabHarness harness{ArchitectureMode(mode)};
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        ProjectionEngine& engine = lab.projections();
        CommandDriver driver(await(lab.bus().catalog()), 77u);
        driver.run(lab.bus(), 800);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        const qint64 head = lab.bus().headPosition();
        const QList<LoggedEvent> log = readLog(lab.writeDbPath());
        QCOMPARE(log.size(), head);

        const QMap<QString, QStringList> liveBefore = liveViews(harness.liveStore());
        QVERIFY(!liveBefore.value(QStringLiteral("order_summary")).isEmpty());
        const ProjectionStatusList statusBefore = engine.board().statuses();

        for (const qint64 n : {qint64(0), qint64(1), qint64(70), qint64(71), head / 3, head / 2 + 7, head - 1, head}) {
            const QString a = harness.scratchPath(QStringLiteral("a-%1.db").arg(n));
            const QString b = harness.scratchPath(QStringLiteral("b-%1.db").arg(n));
            // Two independent replays, at the same time.
            QFuture<ReplayResult> first = engine.replayTo(n, a);
            QFuture<ReplayResult> second = engine.replayTo(n, b);
            const ReplayResult ra = await(first);
            const ReplayResult rb = await(second);
            QVERIFY2(ra.ok, qPrintable(ra.error));
            QVERIFY2(rb.ok, qPrintable(rb.error));
            QCOMPARE(ra.position, n);
            QCOMPARE(ra.eventsApplied, n);
            QCOMPARE(ra.storePath, a);
            CQRS_COMPARE_STORES(a, b);
            for (const QString& name : projectionNames())
                QCOMPARE(storedCheckpoint(a, name), n);

            const Expected expected = foldLog(log, n);
            StoreReader scratch(a);
            QCOMPARE(scratch.count(QStringLiteral("rv_order_summary")), expected.orders);
            QCOMPARE(scratch.scalar(QStringLiteral("SELECT COUNT(*) FROM rv_order_summary WHERE status = 'cancelled'")).toLongLong(),
                     expected.cancelled);
            QCOMPARE(scratch.count(QStringLiteral("rv_customer_stats")), expected.customers);
            QMap<qint64, qint64> stock, unitsSold;
            for (const QVariantList& row : scratch.rows(QStringLiteral("SELECT product_id, stock, units_sold FROM rv_product_sales"))) {
                stock.insert(row.at(0).toLongLong(), row.at(1).toLongLong());
                unitsSold.insert(row.at(0).toLongLong(), row.at(2).toLongLong());
            }
            QCOMPARE(stock, expected.stock);
            QCOMPARE(unitsSold, expected.unitsSold);
            QMap<qint64, qint64> customerOrders;
            for (const QVariantList& row : scratch.rows(QStringLiteral("SELECT customer_id, orders FROM rv_customer_stats WHERE orders > 0")))
                customerOrders.insert(row.at(0).toLongLong(), row.at(1).toLongLong());
            QCOMPARE(customerOrders, expected.customerOrders);
        }

        // At the head, the replay is the live store.
        const ReplayResult atHead = await(engine.replayTo(head, harness.scratchPath(QStringLiteral("head.db"))));
        QVERIFY2(atHead.ok, qPrintable(atHead.error));
        CQRS_COMPARE_STORES(harness.liveStore(), atHead.storePath);
        // Past the head, it stops at the end of the log.
        const ReplayResult beyond = await(engine.replayTo(head + 100, harness.scratchPath(QStringLiteral("beyond.db"))));
        QVERIFY2(beyond.ok, qPrintable(beyond.error));
        QCOMPARE(beyond.position, head);
        // Replaying again into an existing file replaces it.
        const ReplayResult again = await(engine.replayTo(5, harness.scratchPath(QStringLiteral("head.db"))));
        QVERIFY2(again.ok, qPrintable(again.error));
        QCOMPARE(StoreReader(again.storePath).count(QStringLiteral("rv_product_sales")), 5);

        // The live views, their checkpoints (even their timestamps) and the
        // board are exactly as before.
        QCOMPARE(liveViews(harness.liveStore()), liveBefore);
        const ProjectionStatusList statusAfter = engine.board().statuses();
        QCOMPARE(statusAfter.size(), statusBefore.size());
        for (qsizetype i = 0; i < statusAfter.size(); ++i) {
            QCOMPARE(statusAfter[i].checkpoint, statusBefore[i].checkpoint);
            QCOMPARE(statusAfter[i].eventsApplied, statusBefore[i].eventsApplied);
            QCOMPARE(statusAfter[i].state, ProjectionState::Live);
        }
        QCOMPARE(lab.bus().headPosition(), head);
    }

    void replayWhileCommandsFlow()
    {
        // Replaying a past position while the live side keeps working: the
        // replay is unaffected by what is appended meanwhile, and the live
        // views still converge.
        LabHarness harness{ArchitectureMode::Physical};
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
        Lab& lab = harness.lab();
        CommandDriver driver(await(lab.bus().catalog()), 78u);
        driver.run(lab.bus(), 300);
        const qint64 n = lab.bus().headPosition();
        const QFuture<ReplayResult> replay = lab.projections().replayTo(n, harness.scratchPath(QStringLiteral("past.db")));
        driver.run(lab.bus(), 300);
        const ReplayResult result = await(replay);
        QVERIFY2(result.ok, qPrintable(result.error));
        QCOMPARE(result.position, n);
        const ReplayResult reference = await(lab.projections().replayTo(n, harness.scratchPath(QStringLiteral("ref.db"))));
        CQRS_COMPARE_STORES(result.storePath, reference.storePath);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(lab), qPrintable(describe(lab)), longWaitMs);
        CQRS_COMPARE_WITH_CRUD(lab.queries(), ArchitectureMode::Physical);
    }
};

QTEST_GUILESS_MAIN(TestTimeTravel)
#include "tst_timetravel.moc"
