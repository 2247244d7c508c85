// A poison event: one projection cannot apply it. That projection stops
// right there (Failed, with a reason and the position), the other views carry
// on to the head, and the failed projector does not spin: while commands keep
// flowing it applies nothing and its status does not change.
#include "readsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;

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
};

QTEST_GUILESS_MAIN(TestPoison)
#include "tst_poison.moc"
