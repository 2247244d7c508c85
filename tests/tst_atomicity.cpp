// A command is all or nothing: when it fails after writing its state and its
// event (the worst moment: just before its savepoint is released), the order,
// the stock change, the event and the idempotency record must all vanish, the
// event log must stay gap-free, and the other commands committed in the same
// group must not notice.
#include "testsupport.h"
#include "workergate.h"

#include "write/writemodel.h"

#include <QJsonArray>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {
constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;
constexpr qint64 notebook = 6;
constexpr qint64 alice = 1;
constexpr qint64 bob = 2;

// Positions must be exactly 1..N; returns an explanation when they are not.
QString gapFreeProblem(const QList<qint64>& positions, qint64 head)
{
    if (positions.size() != head)
        return QStringLiteral("%1 events but head is %2").arg(positions.size()).arg(head);
    for (qsizetype i = 0; i < positions.size(); ++i) {
        if (positions[i] != i + 1)
            return QStringLiteral("position %1 found where %2 was expected").arg(positions[i]).arg(i + 1);
    }
    return {};
}
} // namespace

class TestAtomicity final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void injectedFailureLeavesNoTrace()
    {
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        StoreReader reader(store.path());
        const StoreSnapshot before = reader.snapshot();
        const qint64 head = store.bus().headPosition();
        const WriteCounters countersBefore = store.bus().counters();

        store.bus().injectFailuresBeforeCommit(1);
        const PlaceOrder doomed = order(alice, {line(blueMug, 2), line(teaTowel, 3)});
        const CommandResult failed = store.run(doomed);
        QCOMPARE(statusName(failed.status), statusName(CommandResult::Status::Failed));
        QVERIFY2(failed.reason.contains(QStringLiteral("injected failure")), qPrintable(failed.reason));
        QVERIFY2(failed.reason.contains(QStringLiteral("Nothing was changed")), qPrintable(failed.reason));
        QCOMPARE(failed.commandId, doomed.meta.id);
        QCOMPARE(failed.firstPosition, 0);
        QCOMPARE(failed.lastPosition, 0);

        // No order, no lines, no stock taken, no event, no idempotency record.
        const StoreSnapshot after = reader.snapshot();
        for (const QString& table : writeTables())
            QCOMPARE(after.value(table), before.value(table));
        QCOMPARE(store.bus().headPosition(), head);
        const WriteCounters counters = store.bus().counters();
        QCOMPARE(counters.orders, countersBefore.orders);
        QCOMPARE(counters.commandsFailed, countersBefore.commandsFailed + 1);
        QCOMPARE(counters.commandsAccepted, countersBefore.commandsAccepted);

        // The next command takes the very next position: the failed one left no hole.
        const CommandResult next = store.run(order(bob, {line(notebook, 1)}));
        QVERIFY2(next.accepted(), qPrintable(next.reason));
        QCOMPARE(next.firstPosition, head + 1);

        // Because nothing was remembered, retrying the failed command id runs
        // it for real instead of replaying the failure.
        const CommandResult retried = store.run(doomed);
        QVERIFY2(retried.accepted(), qPrintable(retried.reason));
        QVERIFY(!retried.duplicate);
        QCOMPARE(retried.firstPosition, head + 2);
        QCOMPARE(reader.productStock(blueMug), 120 - 2);
        QCOMPARE(reader.productStock(teaTowel), 200 - 3);

        const QString problem = gapFreeProblem(reader.positions(), store.bus().headPosition());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void injectionHitsOnlyAcceptedCommands()
    {
        // A rejected command writes nothing, so the armed failure waits for
        // the next command that would have been accepted.
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        const qint64 head = store.bus().headPosition();
        store.bus().injectFailuresBeforeCommit(2);
        QCOMPARE(statusName(store.run(order(alice, {line(blueMug, 0)})).status),
                 statusName(CommandResult::Status::Rejected));
        QCOMPARE(statusName(store.run(order(alice, {line(blueMug, 1)})).status),
                 statusName(CommandResult::Status::Failed));
        QCOMPARE(statusName(store.run(RestockProduct{testMeta(), blueMug, 5, {}}).status),
                 statusName(CommandResult::Status::Failed));
        const CommandResult ok = store.run(RestockProduct{testMeta(), blueMug, 5, {}});
        QVERIFY2(ok.accepted(), qPrintable(ok.reason));
        QCOMPARE(ok.firstPosition, head + 1);
        StoreReader reader(store.path());
        QCOMPARE(reader.productStock(blueMug), 125);
    }

    void injectedFailureInsideAGroupSparesTheOthers()
    {
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        WorkerGate gate;
        store.bus().setInlineHook(gate.hook());
        const qint64 head = store.bus().headPosition();

        // Hold the worker inside a first command, queue the rest behind it.
        QFuture<CommandResult> first = store.bus().submit(order(alice, {line(notebook, 1)}));
        QTRY_VERIFY_WITH_TIMEOUT(gate.workerWaiting(), 20000);
        store.bus().injectFailuresBeforeCommit(1);
        const PlaceOrder rejected = order(alice, {line(teaTowel, 0)});
        const PlaceOrder doomed = order(bob, {line(blueMug, 7)});
        const PlaceOrder second = order(alice, {line(teaTowel, 2)});
        const RestockProduct third{testMeta(), blueMug, 10, {}};
        const QList<Command> group{rejected, doomed, second, third};
        QList<QFuture<CommandResult>> futures;
        for (const Command& command : group)
            futures.append(store.bus().submit(command));
        // All four wait in the queue, so they will be taken as one group.
        QCOMPARE(store.bus().pendingCommands(), 1 + int(group.size()));
        gate.open();

        const CommandResult firstResult = await(first);
        QVERIFY2(firstResult.accepted(), qPrintable(firstResult.reason));
        QCOMPARE(firstResult.firstPosition, head + 1);
        QList<CommandResult> results;
        for (const QFuture<CommandResult>& future : futures)
            results.append(await(future));
        QCOMPARE(statusName(results[0].status), statusName(CommandResult::Status::Rejected));
        QCOMPARE(statusName(results[1].status), statusName(CommandResult::Status::Failed));
        QVERIFY2(results[2].accepted(), qPrintable(results[2].reason));
        QVERIFY2(results[3].accepted(), qPrintable(results[3].reason));
        // One commit answered the whole group.
        for (const CommandResult& result : results)
            QCOMPARE(result.committedNs, results[0].committedNs);
        QVERIFY(results[0].committedNs != firstResult.committedNs);
        // The survivors close ranks: no hole where the failed one would be.
        QCOMPARE(results[2].firstPosition, head + 2);
        QCOMPARE(results[3].firstPosition, head + 3);

        StoreReader reader(store.path());
        // Blue Mug: the failed order's 7 never left, the restock's 10 arrived.
        QCOMPARE(reader.productStock(blueMug), 120 + 10);
        QCOMPARE(reader.productStock(teaTowel), 200 - 2);
        QCOMPARE(reader.count(QStringLiteral("orders")), 2);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM orders WHERE customer_id = ?"), {bob})
                     .toInt(),
                 0);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM events WHERE command_id = ?"),
                               {doomed.meta.id.toString(QUuid::WithoutBraces)})
                     .toInt(),
                 0);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM processed_commands WHERE command_id = ?"),
                               {doomed.meta.id.toString(QUuid::WithoutBraces)})
                     .toInt(),
                 0);
        const QString problem = gapFreeProblem(reader.positions(), store.bus().headPosition());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void aRedoneGroupGivesTheAnswersOfOnePass()
    {
        // The failure forces the group to be run again: the rejected
        // command's copy later in the group is still its duplicate, no
        // answer of the abandoned pass leaks out, and the rejection is
        // remembered once.
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        WorkerGate gate;
        store.bus().setInlineHook(gate.hook());
        const qint64 head = store.bus().headPosition();
        QFuture<CommandResult> blocker = store.bus().submit(RestockProduct{testMeta(), notebook, 1, {}});
        QTRY_VERIFY_WITH_TIMEOUT(gate.workerWaiting(), 20000);
        store.bus().injectFailuresBeforeCommit(1);
        const CancelOrder missing{testMeta(), 4242, {}};
        const PlaceOrder doomed = order(bob, {line(blueMug, 7)});
        const PlaceOrder fine = order(alice, {line(teaTowel, 1)});
        const QList<Command> group{missing, doomed, missing, fine};
        QList<QFuture<CommandResult>> futures;
        for (const Command& command : group)
            futures.append(store.bus().submit(command));
        QCOMPARE(store.bus().pendingCommands(), 1 + int(group.size()));
        gate.open();
        QVERIFY(await(blocker).accepted());
        QList<CommandResult> results;
        for (const QFuture<CommandResult>& future : futures)
            results.append(await(future));
        QCOMPARE(statusName(results[0].status), statusName(CommandResult::Status::Rejected));
        QVERIFY(!results[0].duplicate);
        QCOMPARE(statusName(results[1].status), statusName(CommandResult::Status::Failed));
        QCOMPARE(statusName(results[2].status), statusName(CommandResult::Status::Rejected));
        QVERIFY(results[2].duplicate);
        QCOMPARE(results[2].reason, results[0].reason);
        QVERIFY2(results[3].accepted(), qPrintable(results[3].reason));
        QCOMPARE(results[3].firstPosition, head + 2);
        // Remembered: sent again in a later group, the same answer.
        const CommandResult again = store.run(missing);
        QVERIFY(again.duplicate);
        QCOMPARE(again.reason, results[0].reason);
        StoreReader reader(store.path());
        QCOMPARE(reader.productStock(blueMug), 120);
        const QString problem = gapFreeProblem(reader.positions(), store.bus().headPosition());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void aTransactionSQLiteEndsCommitsNothingOfItsGroup()
    {
        // Some errors make SQLite roll the whole transaction back by itself.
        // Statements after that would each commit on their own: a command
        // half-written, an idempotency row naming a position that never
        // exists. Here the second command's synchronous update ends the
        // transaction (and reports success): no command of the group may
        // leave anything, all are told so, and the store goes on gap-free.
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        const qint64 head = store.bus().headPosition();
        StoreReader reader(store.path());
        const StoreSnapshot before = reader.snapshot();
        WorkerGate gate;
        const PlaceOrder a = order(alice, {line(teaTowel, 1)});
        const PlaceOrder b = order(bob, {line(blueMug, 2)});
        const PlaceOrder c = order(alice, {line(notebook, 1)});
        gate.dropTransaction(b.meta.id);
        QList<QFuture<CommandResult>> futures;
        submitAsOneGroup(store.bus(), gate, RestockProduct{testMeta(), notebook, 1, {}}, {a, b, c}, &futures);
        if (QTest::currentTestFailed())
            return;
        for (const QFuture<CommandResult>& future : futures) {
            const CommandResult result = await(future);
            QCOMPARE(statusName(result.status), statusName(CommandResult::Status::Failed));
            QVERIFY2(result.reason.contains(QStringLiteral("Nothing was changed")), qPrintable(result.reason));
        }
        store.bus().setInlineHook({});
        QCOMPARE(store.bus().headPosition(), head);
        const StoreSnapshot after = reader.snapshot();
        for (const QString& table : writeTables())
            QCOMPARE(after.value(table), before.value(table));
        // The same commands again are new to the store, and land at the head.
        const CommandResult again = store.run(b);
        QVERIFY2(again.accepted(), qPrintable(again.reason));
        QVERIFY(!again.duplicate);
        QCOMPARE(again.firstPosition, head + 1);
        const QString problem = gapFreeProblem(reader.positions(), store.bus().headPosition());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void groupsRunWithoutSavepointsAndRedoOnlyWhenAFailureWrote()
    {
        // A group's first attempt runs its commands without a savepoint each
        // (WriteModel::handleUnguarded): nothing to undo for the accepted
        // ones, nor for one turned down before it wrote. One that fails
        // after writing asks for the whole transaction to be rolled back;
        // run again with savepoints, it is undone alone, and the events
        // land exactly where a first guarded attempt would have put them.
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        store.closeBus();
        WriteModel model(store.path());
        QString error;
        QVERIFY2(model.open(&error), qPrintable(error));
        const qint64 head = model.headPosition();
        const PlaceOrder accepted = order(alice, {line(blueMug, 1)});
        const PlaceOrder rejected = order(alice, {line(teaTowel, 0)});
        const PlaceOrder doomed = order(bob, {line(blueMug, 7)});
        const PlaceOrder last = order(alice, {line(notebook, 2)});

        QVERIFY2(model.begin(&error), qPrintable(error));
        bool mustRedo = false;
        const CommandResult a = model.handleUnguarded(accepted, &mustRedo);
        QVERIFY2(a.accepted(), qPrintable(a.reason));
        QVERIFY(!mustRedo);
        QCOMPARE(a.firstPosition, head + 1);
        // No savepoint was opened for it.
        QVERIFY(!execSql(model.db(), QStringLiteral("RELEASE command"), &error));
        QVERIFY2(error.contains(QStringLiteral("no such savepoint")), qPrintable(error));
        QVERIFY2(model.commit(&error), qPrintable(error));

        // As the bus does it: the injection is set between two groups.
        model.injectFailuresBeforeCommit(1);
        QVERIFY2(model.begin(&error), qPrintable(error));
        QCOMPARE(statusName(model.handleUnguarded(rejected, &mustRedo).status),
                 statusName(CommandResult::Status::Rejected));
        QVERIFY(!mustRedo); // turned down before writing anything
        QCOMPARE(statusName(model.handleUnguarded(doomed, &mustRedo).status),
                 statusName(CommandResult::Status::Failed));
        QVERIFY(mustRedo); // its order, stock, event and answer are in the transaction

        model.rollbackForRetry();
        QCOMPARE(model.headPosition(), head + 1);
        QVERIFY2(model.begin(&error), qPrintable(error));
        QCOMPARE(statusName(model.handle(rejected).status), statusName(CommandResult::Status::Rejected));
        // The injected failure is back for the redo, and hits the same command.
        QCOMPARE(statusName(model.handle(doomed).status), statusName(CommandResult::Status::Failed));
        const CommandResult l = model.handle(last);
        QVERIFY2(l.accepted(), qPrintable(l.reason));
        QCOMPARE(l.firstPosition, head + 2); // no hole where the failed one was
        QVERIFY2(model.commit(&error), qPrintable(error));
        QCOMPARE(model.headPosition(), head + 2);

        StoreReader reader(store.path());
        QCOMPARE(reader.productStock(blueMug), 120 - 1);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM orders WHERE customer_id = ?"), {bob})
                     .toInt(),
                 0);
        const QString problem = gapFreeProblem(reader.positions(), model.headPosition());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void failingInlineUpdateInTheMiddleOfAGroup()
    {
        // The same guarantee when the failure comes from the synchronous
        // read-model hook, for a command between two successful ones.
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        WorkerGate gate;
        store.bus().setInlineHook(gate.hook());
        const qint64 head = store.bus().headPosition();

        QFuture<CommandResult> first = store.bus().submit(RestockProduct{testMeta(), notebook, 1, {}});
        QTRY_VERIFY_WITH_TIMEOUT(gate.workerWaiting(), 20000);
        const PlaceOrder before = order(alice, {line(blueMug, 1)});
        const PlaceOrder doomed = order(bob, {line(blueMug, 5), line(teaTowel, 5)});
        const PlaceOrder after = order(alice, {line(blueMug, 2)});
        gate.fail(doomed.meta.id);
        QFuture<CommandResult> f1 = store.bus().submit(before);
        QFuture<CommandResult> f2 = store.bus().submit(doomed);
        QFuture<CommandResult> f3 = store.bus().submit(after);
        QCOMPARE(store.bus().pendingCommands(), 4);
        gate.open();

        QVERIFY(await(first).accepted());
        const CommandResult r1 = await(f1);
        const CommandResult r2 = await(f2);
        const CommandResult r3 = await(f3);
        QVERIFY2(r1.accepted(), qPrintable(r1.reason));
        QCOMPARE(statusName(r2.status), statusName(CommandResult::Status::Failed));
        QVERIFY2(r2.reason.contains(QStringLiteral("test hook refused")), qPrintable(r2.reason));
        QVERIFY2(r3.accepted(), qPrintable(r3.reason));
        QCOMPARE(r1.committedNs, r3.committedNs);
        QCOMPARE(r1.firstPosition, head + 2);
        QCOMPARE(r3.firstPosition, head + 3);
        // The stockAfter in the third command's event is computed after the
        // rollback, so it must not count the failed order's 5 mugs.
        StoreReader reader(store.path());
        QCOMPARE(reader.productStock(blueMug), 120 - 3);
        QCOMPARE(reader.productStock(teaTowel), 200);
        QCOMPARE(reader.eventPayload(r3.firstPosition)
                     .value(QStringLiteral("lines")).toArray()[0].toObject()
                     .value(QStringLiteral("stockAfter")).toInt(),
                 120 - 3);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM orders WHERE customer_id = ?"), {bob})
                     .toInt(),
                 0);
        const QString problem = gapFreeProblem(reader.positions(), store.bus().headPosition());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TestAtomicity)
#include "tst_atomicity.moc"
