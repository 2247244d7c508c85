// The table models apply snapshots as diffs: checked signal by signal.
#include "ui/eventstreammodel.h"
#include "ui/productsalesmodel.h"
#include "ui/recentordersmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace cqrs;
using namespace cqrs::ui;

namespace {
ProductSalesRow product(qint64 id, qint64 units)
{
    ProductSalesRow row;
    row.productId = id;
    row.sku = QStringLiteral("SKU-%1").arg(id);
    row.name = QStringLiteral("Product %1").arg(id);
    row.category = QStringLiteral("Test");
    row.unitsSold = units;
    row.priceCents = 100;
    row.stock = 10;
    return row;
}

OrderSummaryRow order(qint64 id, qint64 position)
{
    OrderSummaryRow row;
    row.orderId = id;
    row.customerName = QStringLiteral("Alice");
    row.itemCount = 1;
    row.totalCents = 850;
    row.status = QStringLiteral("placed");
    row.lastPosition = position;
    return row;
}

Event makeEvent(qint64 position)
{
    Event e;
    e.position = position;
    e.type = EventType::ProductRestocked;
    e.aggregateId = 1;
    return e;
}
} // namespace

class TestTableModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotsBecomeInsertsUpdatesAndRemovals()
    {
        ProductSalesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        model.setRows({product(1, 0), product(2, 0), product(3, 0)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 1); // one batch

        // Rows 1 and 2 change (neighbours): one coalesced dataChanged.
        model.setRows({product(1, 5), product(2, 7), product(3, 0)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 1);
        QCOMPARE(model.index(1, ProductSalesModel::UnitsColumn).data().toLongLong(), 7);

        // Nothing changed: no signal at all.
        changed.clear();
        model.setRows({product(1, 5), product(2, 7), product(3, 0)});
        QCOMPARE(changed.count(), 0);

        // One vanishes, one arrives.
        model.setRows({product(1, 5), product(3, 0), product(4, 1)});
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2, ProductSalesModel::SkuColumn).data().toString(), QStringLiteral("SKU-4"));
        QCOMPARE(reset.count(), 0);
    }

    void pendingOrdersSettleWhenTheViewHasThem()
    {
        RecentOrdersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addPending(order(10, 100));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.rowByKey(10)->pending);
        QCOMPARE(model.index(0, RecentOrdersModel::StatusColumn).data().toString(), QStringLiteral("pending…"));

        OrderPage page;
        page.meta.position = 99; // the view has not applied event 100 yet
        page.rows = {order(9, 99)};
        model.applyPage(page);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.rowByKey(10)->pending);

        page.meta.position = 100;
        page.rows = {order(10, 100), order(9, 99)};
        model.applyPage(page);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(!model.rowByKey(10)->pending);
        QCOMPARE(model.pendingCount(), 0);
    }

    void eventStreamKeepsTheNewestAndMarksApplied()
    {
        EventStreamModel model({QStringLiteral("A"), QStringLiteral("B")}, 5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendEvents({makeEvent(1), makeEvent(2), makeEvent(3)});
        model.appendEvents({makeEvent(4), makeEvent(5), makeEvent(6), makeEvent(7)});
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, EventStreamModel::PositionColumn).data().toLongLong(), 7); // newest first
        QCOMPARE(model.index(4, EventStreamModel::PositionColumn).data().toLongLong(), 3);
        model.setCheckpoints({5, 7});
        QCOMPARE(model.index(0, EventStreamModel::FirstProjectionColumn).data().toString(), QStringLiteral("…"));
        QCOMPARE(model.index(2, EventStreamModel::FirstProjectionColumn).data().toString(), QStringLiteral("✓"));
        QCOMPARE(model.index(0, EventStreamModel::FirstProjectionColumn + 1).data().toString(), QStringLiteral("✓"));
        // A batch bigger than the capacity keeps only its newest events.
        EventList many;
        for (qint64 p = 8; p < 30; ++p)
            many.append(makeEvent(p));
        model.appendEvents(many);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, EventStreamModel::PositionColumn).data().toLongLong(), 29);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestTableModels)
#include "tst_tablemodels.moc"
