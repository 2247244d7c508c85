// Failures that used to pass in silence become states a person sees: a
// projector store that fails (not just busy) stops its views with the
// reason and comes back on Retry; a WAL checkpointer that cannot open says
// it is starved and recovers; an unreadable commit time is "unknown", not
// "0 ms"; a read store that cannot be attached turns synchronous update off
// with the reason, and commands keep being accepted.
#include "readsupport.h"

#include "write/walcheckpointer.h"

#include <QDir>
#include <QTest>

#include <cmath>

using namespace cqrs;
using namespace cqrs::test;

namespace {
const ProjectionLag* lagOf(const LagSnapshot& snapshot, const QString& name)
{
    for (const ProjectionLag& lag : snapshot.projections) {
        if (lag.status.name == name)
            return &lag;
    }
    return nullptr;
}

bool allInState(const ProjectionBoard& board, ProjectionState state)
{
    for (const ProjectionStatus& status : board.statuses()) {
        if (status.state != state)
            return false;
    }
    return !board.statuses().isEmpty();
}
} // namespace

class TestStoreProblems final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFailingProjectorStoreStopsItsViewsUntilRetry()
    {
        LabHarness harness;
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY(opened.result().ok);
        Lab& lab = harness.lab();
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(lab), longWaitMs);
        lab.projections().injectStoreFailure(QStringLiteral("disk I/O error"));
        QVERIFY(harness.run(order(1, {line(1, 1)})).accepted());
        // Every view of that store stops, saying which file and why; no loop.
        QTRY_VERIFY_WITH_TIMEOUT(allInState(lab.projections().board(), ProjectionState::Failed), longWaitMs);
        for (const ProjectionStatus& status : lab.projections().board().statuses()) {
            QVERIFY2(status.error.contains(QStringLiteral("read.db")) && status.error.contains(QStringLiteral("disk I/O error")),
                     qPrintable(status.error));
        }
        const qint64 head = lab.bus().headPosition();
        QVERIFY(lab.projections().board().checkpoint(QStringLiteral("order_summary")) < head);
        // Retry opens the store again and catches up.
        lab.projections().retry({});
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(lab), longWaitMs);
        QVERIFY(allInState(lab.projections().board(), ProjectionState::Live));
    }

    void aCheckpointerThatCannotOpenSaysItIsStarvedAndRecovers()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("not-yet"));
        const QString path = QDir(folder).filePath(QStringLiteral("write.db"));
        WalCheckpointer checkpointer(path, 20);
        checkpointer.start();
        QTRY_VERIFY_WITH_TIMEOUT(!checkpointer.starvation().isEmpty(), longWaitMs);
        QVERIFY2(checkpointer.starvation().contains(QStringLiteral("write.db")), qPrintable(checkpointer.starvation()));
        QVERIFY2(checkpointer.starvation().contains(QStringLiteral("WAL")), qPrintable(checkpointer.starvation()));
        // The folder appears: the next attempt opens it, checkpoints, and the warning goes.
        QVERIFY(QDir().mkpath(folder));
        QTRY_VERIFY_WITH_TIMEOUT(checkpointer.checkpoints() > 0, longWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(checkpointer.starvation().isEmpty(), longWaitMs);
        checkpointer.stop();
    }

    void aStarvedCheckpointReachesTheSnapshot()
    {
        // write.db's checkpointer runs in the CQRS modes; read.db's while the
        // views live there. Take read.db's file away from it: a directory.
        LabHarness harness;
        QVERIFY(QDir().mkpath(harness.scratchPath(QStringLiteral("read.db"))));
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY(opened.result().ok);
        QTRY_VERIFY_WITH_TIMEOUT(!harness.lab().lag().latest().storeWarnings.isEmpty(), longWaitMs);
        QVERIFY2(harness.lab().lag().latest().storeWarnings.first().contains(QStringLiteral("read.db")),
                 qPrintable(harness.lab().lag().latest().storeWarnings.join(u'\n')));
    }

    void anUnreadableCommitTimeIsUnknownNotZero()
    {
        LabHarness harness;
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        Lab& lab = harness.lab();
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(lab), longWaitMs);
        // The board hears of a head the log does not have (as when the log
        // cannot be read): the next event's commit time cannot be found.
        lab.projections().notifyCommitted(lab.bus().headPosition() + 5);
        const auto unknown = [&lab] {
            const ProjectionLag* lag = lagOf(lab.lag().latest(), QStringLiteral("order_summary"));
            return lag && lag->eventsBehind > 0 && std::isnan(lag->timeBehindMs) && !lag->timeBehindProblem.isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(unknown(), longWaitMs);
        QVERIFY2(lagOf(lab.lag().latest(), QStringLiteral("order_summary"))->timeBehindProblem.contains(QStringLiteral("not in the log")),
                 qPrintable(lagOf(lab.lag().latest(), QStringLiteral("order_summary"))->timeBehindProblem));
        QCOMPARE(lab.lag().latest().worstTimeBehindMs(), 0.0); // unknown is not a number to compare
    }

    void aReadStoreThatCannotBeAttachedTurnsSynchronousUpdateOff()
    {
        LabHarness harness;
        harness.config().synchronousUpdate = true;
        QVERIFY(QDir().mkpath(harness.scratchPath(QStringLiteral("read.db")))); // not a file SQLite can attach
        QFuture<StoreInfo> opened = harness.start();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
        QVERIFY(opened.result().ok);
        Lab& lab = harness.lab();
        QTRY_VERIFY_WITH_TIMEOUT(!lab.synchronousUpdateProblem().isEmpty(), longWaitMs);
        QVERIFY(!lab.synchronousUpdateActive());
        QVERIFY2(lab.synchronousUpdateProblem().contains(QStringLiteral("read.db")), qPrintable(lab.synchronousUpdateProblem()));
        QVERIFY2(lab.synchronousUpdateProblem().contains(QStringLiteral("Synchronous update is off")),
                 qPrintable(lab.synchronousUpdateProblem()));
        // Commands are not failed by a hook that cannot work.
        const CommandResult result = harness.run(order(1, {line(1, 1)}));
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        // Switched off and on again with the cause gone, it works.
        lab.setSynchronousUpdate(false);
        QTRY_VERIFY_WITH_TIMEOUT(lab.synchronousUpdateProblem().isEmpty(), longWaitMs);
    }
};

QTEST_MAIN(TestStoreProblems)
#include "tst_storeproblems.moc"
