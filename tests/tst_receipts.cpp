// The consistency receipt of one command: its times are the ones the
// command worker and each projector recorded as they happened, in order
// (submit <= commit <= applied), kept for the newest positions only; an
// older event says its times were not recorded.
#include "readsupport.h"

#include "metrics/receiptrecorder.h"

#include <QTest>

#include <cstdlib>

using namespace cqrs;
using namespace cqrs::test;

class TestReceipts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theRecorderKeepsTheNewestPositionsOnly()
    {
        ReceiptRecorder recorder({QStringLiteral("a"), QStringLiteral("b")});
        recorder.committed(1, 3, 1'000'000, 3'000'000);
        recorder.applied(1, 1, 3, 5'500'000);
        ReceiptRecorder::Times times = recorder.times(2);
        QVERIFY(times.recorded);
        QCOMPARE(times.committedNs, 3'000'000);
        QCOMPARE(times.submittedNs, 1'000'000);
        QCOMPARE(times.appliedNs.value(0), 0); // "a" has not applied it
        QCOMPARE(times.appliedNs.value(1), 5'500'000);
        QVERIFY(!recorder.times(4).recorded);
        // A ring of fixed size: the position capacity later takes its slot.
        recorder.committed(2 + ReceiptRecorder::capacity, 2 + ReceiptRecorder::capacity, 9'000'000, 9'500'000);
        QVERIFY(!recorder.times(2).recorded);
        QVERIFY(recorder.times(3).recorded);
        QVERIFY(recorder.times(2 + ReceiptRecorder::capacity).recorded);
        QVERIFY(recorder.oldestKept() > 2);
        // A projection applying what was overwritten records nothing.
        recorder.applied(0, 2, 2, 10'000'000);
        QCOMPARE(recorder.times(2 + ReceiptRecorder::capacity).appliedNs.value(0), 0);
    }

    void inlineUpdatesAreVisibleWithTheirCommit()
    {
        ReceiptRecorder recorder({QStringLiteral("a")});
        recorder.appliedInCommit(0, 7, 7);
        recorder.committed(7, 7, 1'000, 2'000'000);
        QCOMPARE(recorder.times(7).appliedNs.value(0), 2'000'000);
        recorder.applied(0, 7, 7, 9'000'000); // the projector adopts it later: the commit stays the moment
        QCOMPARE(recorder.times(7).appliedNs.value(0), 2'000'000);
        // What a rolled-back group staged does not stick to the next commands.
        recorder.appliedInCommit(0, 8, 8);
        recorder.discardStaged();
        recorder.committed(8, 8, 1'000, 3'000'000);
        QCOMPARE(recorder.times(8).appliedNs.value(0), 0);
    }

    void anOrdersReceiptFollowsItThroughTheLab()
    {
        LabHarness harness;
        openLab(harness);
        QVERIFY(!QTest::currentTestFailed());
        Lab& lab = harness.lab();
        lab.projections().setDelay({}, 150, 0);
        const CommandResult placed = harness.run(order(1, {line(1, 2)}));
        QVERIFY2(placed.accepted(), qPrintable(placed.reason));
        // Right after the answer: committed, and nothing applied yet (150 ms delay).
        ConsistencyReceipt receipt = await(lab.queries().receipt(placed.lastPosition));
        QVERIFY2(receipt.meta.ok(), qPrintable(receipt.meta.error));
        QVERIFY(receipt.found);
        QVERIFY(receipt.recorded);
        QCOMPARE(receipt.event.type, EventType::OrderPlaced);
        QCOMPARE(receipt.event.position, placed.lastPosition);
        QCOMPARE(receipt.event.aggregateId, placed.entityId);
        QCOMPARE(receipt.committedNs, placed.committedNs);
        QVERIFY(std::abs(receipt.submittedNs - placed.submittedNs) < 1000); // kept to the microsecond
        QCOMPARE(receipt.projections.size(), 5);
        QVERIFY(!receipt.complete());
        // Then every projection has it, each after the commit by at least the delay.
        QTRY_VERIFY_WITH_TIMEOUT((receipt = await(lab.queries().receipt(placed.lastPosition))).complete(), longWaitMs);
        QVERIFY(receipt.submittedNs <= receipt.committedNs);
        for (const ReceiptStep& step : receipt.projections) {
            QVERIFY2(*step.afterCommitMs >= 150.0, qPrintable(QStringLiteral("%1: %2 ms").arg(step.projection).arg(*step.afterCommitMs)));
            QVERIFY(*step.afterCommitMs < 150.0 + 10'000);
        }
        // The recorder's own figures, to the microsecond.
        const ReceiptRecorder::Times times = lab.projections().receipts().times(placed.lastPosition);
        for (qsizetype p = 0; p < receipt.projections.size(); ++p)
            QCOMPARE(qRound64(*receipt.projections.at(p).afterCommitMs * 1000), (times.appliedNs.at(p) - times.committedNs) / 1000);
        QVERIFY(!receipt.readWaitMs);
    }

    void aReadYourWritesWaitIsOnTheReceipt()
    {
        LabHarness harness;
        openLab(harness);
        QVERIFY(!QTest::currentTestFailed());
        Lab& lab = harness.lab();
        lab.projections().setDelay({}, 200, 0);
        const CommandResult placed = harness.run(order(2, {line(3, 1)}));
        QVERIFY(placed.accepted());
        ReadOptions ryw;
        ryw.consistency = ConsistencyMode::ReadYourWrites;
        ryw.minPosition = placed.lastPosition;
        const OrderPage page = await(lab.queries().recentOrders(10, ryw));
        QVERIFY(page.meta.ok());
        QVERIFY(!page.meta.stillCatchingUp);
        const ConsistencyReceipt receipt = await(lab.queries().receipt(placed.lastPosition));
        QVERIFY(receipt.readWaitMs);
        QVERIFY2(*receipt.readWaitMs >= 100.0, qPrintable(QString::number(*receipt.readWaitMs)));
    }

    void anEventWhoseTimesWereNotKeptSaysSo()
    {
        LabHarness harness;
        openLab(harness);
        QVERIFY(!QTest::currentTestFailed());
        Lab& lab = harness.lab();
        // The demo data was loaded before the bus took commands: no times.
        const ConsistencyReceipt seed = await(lab.queries().receipt(1));
        QVERIFY(seed.found);
        QVERIFY(!seed.recorded);
        const CommandResult placed = harness.run(order(1, {line(1, 1)}));
        QVERIFY(placed.accepted());
        ConsistencyReceipt receipt = await(lab.queries().receipt(placed.lastPosition));
        QVERIFY(receipt.recorded);
        // A position so much newer that this one's slot is taken.
        const qint64 later = placed.lastPosition + ReceiptRecorder::capacity;
        lab.projections().receipts().committed(later, later, 1, 2);
        receipt = await(lab.queries().receipt(placed.lastPosition));
        QVERIFY(receipt.found);
        QCOMPARE(receipt.event.position, placed.lastPosition);
        QVERIFY(!receipt.recorded);
        QVERIFY(receipt.projections.isEmpty());
        // And a position the log does not have.
        const ConsistencyReceipt none = await(lab.queries().receipt(lab.bus().headPosition() + 100));
        QVERIFY(none.meta.ok());
        QVERIFY(!none.found);
    }

    void synchronousUpdateAppliesWithTheCommit()
    {
        LabHarness harness;
        harness.config().synchronousUpdate = true;
        openLab(harness);
        QVERIFY(!QTest::currentTestFailed());
        Lab& lab = harness.lab();
        QTRY_VERIFY_WITH_TIMEOUT(lab.synchronousUpdateActive(), longWaitMs);
        const CommandResult placed = harness.run(order(3, {line(2, 1)}));
        QVERIFY(placed.accepted());
        const ConsistencyReceipt receipt = await(lab.queries().receipt(placed.lastPosition));
        QVERIFY(receipt.complete());
        for (const ReceiptStep& step : receipt.projections)
            QCOMPARE(*step.afterCommitMs, 0.0);
    }
};

QTEST_MAIN(TestReceipts)
#include "tst_receipts.moc"
