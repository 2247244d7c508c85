// Lag: with a 200 ms injected projection delay the reported visibility
// latency (p50) is 200..300 ms; with a projector paused its distance from the
// head grows by exactly one event per order placed and its time behind is
// positive; once resumed it returns to zero and to the live state.
#include "readsupport.h"
#include "metrics/lagmonitor.h"
#include "metrics/visibilityrecorder.h"
#include "projections/projectionboard.h"
#include "util/monotonicclock.h"
#include "util/sqlconnection.h"

#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;
constexpr int delayMs = 200;

std::optional<ProjectionLag> lagOf(const LagSnapshot& snapshot, const QString& name)
{
    for (const ProjectionLag& lag : snapshot.projections) {
        if (lag.status.name == name)
            return lag;
    }
    return std::nullopt;
}

QString describe(const LagSnapshot& s)
{
    QStringList parts{QStringLiteral("head %1, p50 %2 ms, %3 samples").arg(s.head).arg(s.p50Ms).arg(s.windowSamples)};
    for (const ProjectionLag& lag : s.projections)
        parts << QStringLiteral("%1 @%2 behind %3 (%4 ms) %5")
                     .arg(lag.status.name)
                     .arg(lag.status.checkpoint)
                     .arg(lag.eventsBehind)
                     .arg(lag.timeBehindMs)
                     .arg(projectionStateName(lag.status.state));
    return parts.join(QStringLiteral("; "));
}

} // namespace

class TestLag final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void injectedDelayIsWhatTheMonitorReports()
    {
        LabHarness harness{ArchitectureMode::Physical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        // Nothing has been measured yet: the seed events predate the projectors.
        QCOMPARE(lab.projections().recorder().snapshot({}, monotonicNowNs()).cumulative.count(), 0);

        lab.projections().setDelay({}, delayMs, 0);
        constexpr int orders = 20;
        for (int i = 0; i < orders; ++i)
            QVERIFY(harness.run(order(1 + i, {line(blueMug, 1)})).accepted());
        const qint64 head = lab.bus().headPosition();
        const int projections = int(lab.projections().projectionNames().size());

        // One sample per event and projection, all within the 5 s window.
        QTRY_VERIFY2_WITH_TIMEOUT(lab.lag().latest().windowSamples >= orders * projections
                                      && lab.lag().latest().caughtUp() && lab.lag().latest().head == head,
                                  qPrintable(describe(lab.lag().latest())), longWaitMs);
        const LagSnapshot snapshot = lab.lag().latest();
        QCOMPARE(snapshot.windowSamples, qint64(orders * projections));
        QVERIFY2(snapshot.p50Ms >= delayMs && snapshot.p50Ms <= delayMs + 100, qPrintable(describe(snapshot)));
        for (const ProjectionLag& lag : snapshot.projections)
            QVERIFY2(lag.p50Ms >= delayMs && lag.p50Ms <= delayMs + 100, qPrintable(describe(snapshot)));
        // Nobody is seen before the delay has passed.
        QVERIFY2(snapshot.cumulative.minNs() >= qint64(delayMs) * 1'000'000, qPrintable(describe(snapshot)));
        const VisibilityRecorder::Snapshot recorded = lab.projections().recorder().snapshot({}, monotonicNowNs());
        QCOMPARE(recorded.cumulative.count(), qint64(orders * projections));
        QVERIFY(recorded.cumulative.quantileMs(0.5) >= delayMs);
        QVERIFY(recorded.cumulative.quantileMs(0.5) <= delayMs + 100);
    }

    void aBacklogFromBeforeTheRunCountsFromItsStart()
    {
        // The app was closed three hours ago with events not yet folded in.
        // The monitor counts their time behind from its own start, not from
        // the commits: the lab was not running in between.
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        const qint64 head = store.bus().headPosition();
        store.closeBus();
        {
            SqlConnection connection(QStringLiteral("ageing"), store.path(), SqlConnection::Role::Writer);
            QString error;
            QVERIFY2(connection.open(&error), qPrintable(error));
            constexpr qint64 threeHoursMs = 3 * 3600 * 1000;
            QVERIFY2(execSql(connection.db(),
                             QStringLiteral("UPDATE events SET committed_at_ms = committed_at_ms - %1, "
                                            "committed_mono_ns = committed_mono_ns - %1 * 1000000")
                                 .arg(threeHoursMs),
                             &error),
                     qPrintable(error));
        }
        ProjectionBoard board;
        board.add(QStringLiteral("order_summary"), QStringLiteral("Order summary"));
        board.setHead(head);
        VisibilityRecorder recorder;
        const qint64 startedNs = monotonicNowNs();
        LagMonitor monitor(store.path(), &board, &recorder, {});
        monitor.start(20);
        QTRY_VERIFY_WITH_TIMEOUT(!monitor.latest().projections.isEmpty()
                                     && monitor.latest().projections.first().eventsBehind == head,
                                 longWaitMs);
        // Two ticks later, so that the age is not 0 by chance.
        const qint64 seen = monitor.latest().takenAtNs;
        QTRY_VERIFY_WITH_TIMEOUT(monitor.latest().takenAtNs > seen, longWaitMs);
        const LagSnapshot snapshot = monitor.latest();
        const double sinceStartMs = (monotonicNowNs() - startedNs) / 1e6;
        const double behind = snapshot.projections.first().timeBehindMs;
        monitor.stop();
        QVERIFY2(behind > 0 && behind <= sinceStartMs,
                 qPrintable(QStringLiteral("%1 ms behind, %2 ms since the monitor started").arg(behind).arg(sinceStartMs)));
    }

    void pausedProjectorFallsBehindByOneEventPerCommand()
    {
        LabHarness harness{ArchitectureMode::Physical};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        Lab& lab = harness.lab();
        const QString paused = QStringLiteral("customer_stats");
        QTRY_VERIFY2_WITH_TIMEOUT(lab.lag().latest().caughtUp() && lab.lag().latest().head == lab.bus().headPosition(),
                                  qPrintable(describe(lab.lag().latest())), longWaitMs);
        QCOMPARE(lagOf(lab.lag().latest(), paused)->timeBehindMs, 0.0);

        lab.projections().setPaused(paused, true);
        // A first order, once the others have it, sets the baseline (a step the
        // projector had already begun before the pause may still take it).
        QVERIFY(harness.run(order(1, {line(teaTowel, 1)})).accepted());
        qint64 head = lab.bus().headPosition();
        QTRY_VERIFY2_WITH_TIMEOUT(lab.lag().latest().head == head
                                      && lagOf(lab.lag().latest(), QStringLiteral("order_summary"))->eventsBehind == 0,
                                  qPrintable(describe(lab.lag().latest())), longWaitMs);
        const qint64 baseline = head - lab.projections().board().checkpoint(paused);
        QVERIFY(baseline == 0 || baseline == 1);

        constexpr int commands = 6;
        for (int i = 1; i <= commands; ++i) {
            QVERIFY(harness.run(order(2, {line(blueMug, 1)})).accepted());
            head = lab.bus().headPosition();
            QTRY_VERIFY2_WITH_TIMEOUT(lab.lag().latest().head == head, qPrintable(describe(lab.lag().latest())),
                                      longWaitMs);
            const LagSnapshot snapshot = lab.lag().latest();
            const ProjectionLag lag = *lagOf(snapshot, paused);
            QCOMPARE(lag.eventsBehind, baseline + i);
            QCOMPARE(lag.status.state, ProjectionState::Paused);
            QVERIFY2(lag.timeBehindMs > 0, qPrintable(describe(snapshot)));
            QVERIFY(!snapshot.caughtUp());
            QCOMPARE(snapshot.worstTimeBehindMs(), lag.timeBehindMs);
        }
        // The others kept up.
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                const LagSnapshot s = lab.lag().latest();
                for (const ProjectionLag& lag : s.projections)
                    if (lag.status.name != paused && (lag.eventsBehind != 0 || lag.status.state != ProjectionState::Live))
                        return false;
                return s.head == head;
            }(),
            qPrintable(describe(lab.lag().latest())), longWaitMs);

        lab.projections().setPaused(paused, false);
        QTRY_VERIFY2_WITH_TIMEOUT(lab.lag().latest().caughtUp()
                                      && lagOf(lab.lag().latest(), paused)->status.state == ProjectionState::Live,
                                  qPrintable(describe(lab.lag().latest())), longWaitMs);
        const LagSnapshot after = lab.lag().latest();
        QCOMPARE(lagOf(after, paused)->eventsBehind, 0);
        QCOMPARE(lagOf(after, paused)->timeBehindMs, 0.0);
        QCOMPARE(after.worstTimeBehindMs(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestLag)
#include "tst_lag.moc"
