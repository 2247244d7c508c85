// The command bus: where handlers run, idempotency by command id (one order
// however often a command arrives, and the same answer every time), what a
// closed bus answers, and the committed() signal that the read side follows.
#include "committedrelay.h"
#include "testsupport.h"
#include "workergate.h"

#include <QDateTime>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <thread>

using namespace cqrs;
using namespace cqrs::test;

namespace {
constexpr qint64 blueMug = 1;
constexpr qint64 teaTowel = 5;
constexpr qint64 notebook = 6;
constexpr qint64 headphones = 20; // 15 in stock
constexpr qint64 alice = 1;
constexpr qint64 bob = 2;
} // namespace

class TestCommandBus final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handlersRunOnTheWorkerThread()
    {
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        const Qt::HANDLE mainThread = QThread::currentThreadId();
        const Qt::HANDLE worker = store.bus().workerThreadId();
        QVERIFY(worker != nullptr);
        QVERIFY(worker != mainThread);

        // The inline hook runs inside the handler, so it sees the handler's thread.
        auto handlerThread = std::make_shared<std::atomic<Qt::HANDLE>>(nullptr);
        store.bus().setInlineHook([handlerThread](const QSqlDatabase&, const EventList&, QString*) {
            handlerThread->store(QThread::currentThreadId());
            return true;
        });
        // committed() is emitted from the worker too (the read side relies on
        // it arriving queued); a direct connection observes where.
        auto signalThread = std::make_shared<std::atomic<Qt::HANDLE>>(nullptr);
        connect(&store.bus(), &CommandBus::committed, this,
                [signalThread](qint64) { signalThread->store(QThread::currentThreadId()); },
                Qt::DirectConnection);

        QVERIFY(store.run(order(alice, {line(notebook, 1)})).accepted());
        QCOMPARE(handlerThread->load(), worker);
        QCOMPARE(signalThread->load(), worker);

        // Submitted from another thread: still handled on the worker.
        handlerThread->store(nullptr);
        Qt::HANDLE submitter = nullptr;
        CommandResult fromThread;
        std::thread client([&] {
            submitter = QThread::currentThreadId();
            fromThread = await(store.bus().submit(order(bob, {line(notebook, 1)})));
        });
        client.join();
        QVERIFY2(fromThread.accepted(), qPrintable(fromThread.reason));
        QVERIFY(submitter != worker);
        QVERIFY(submitter != mainThread);
        QCOMPARE(handlerThread->load(), worker);
        QCOMPARE(store.bus().workerThreadId(), worker);
    }

    void commandsSubmittedBeforeOpenWait()
    {
        // Submitting right after open() must not race the store opening.
        QTemporaryDir dir;
        StoreConfig config;
        config.writeDbPath = dir.filePath(QStringLiteral("write.db"));
        CommandBus bus;
        QFuture<StoreInfo> opened = bus.open(config);
        QFuture<CommandResult> placed = bus.submit(order(alice, {line(blueMug, 1)}));
        QVERIFY(await(opened).ok);
        const CommandResult result = await(placed);
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(result.firstPosition, 71); // after the 70 demo events
        bus.close();
    }

    void openingTwiceIsRefused()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        StoreConfig other;
        other.writeDbPath = store.dirPath() + QStringLiteral("/other.db");
        const StoreInfo second = await(store.bus().open(other));
        QVERIFY(!second.ok);
        QVERIFY2(second.error.contains(QStringLiteral("already open")), qPrintable(second.error));
        // The first store still works.
        QVERIFY(store.run(order(alice, {line(blueMug, 1)})).accepted());
    }

    void sameCommandTwiceInSequence()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        StoreReader reader(store.path());
        const PlaceOrder command = order(alice, {line(blueMug, 2), line(teaTowel, 1)});

        const CommandResult first = store.run(command);
        QVERIFY2(first.accepted(), qPrintable(first.reason));
        QVERIFY(!first.duplicate);
        const StoreSnapshot afterFirst = reader.snapshot();

        const CommandResult second = store.run(command);
        QVERIFY2(second.accepted(), qPrintable(second.reason));
        QVERIFY(second.duplicate);
        QCOMPARE(second.commandId, first.commandId);
        QCOMPARE(second.entityId, first.entityId);
        QCOMPARE(second.firstPosition, first.firstPosition);
        QCOMPARE(second.lastPosition, first.lastPosition);
        // The replay changed nothing: still one order, one event, stock taken once.
        const StoreSnapshot afterSecond = reader.snapshot();
        for (const QString& table : writeTables())
            QCOMPARE(afterSecond.value(table), afterFirst.value(table));
        QCOMPARE(reader.count(QStringLiteral("orders")), 1);
        QCOMPARE(reader.productStock(blueMug), 118);
        QCOMPARE(store.bus().headPosition(), first.lastPosition);
    }

    void sameCommandTwiceInOneGroup()
    {
        // Both copies in one transaction: the second must see the first's
        // idempotency record although neither is committed yet.
        TempStore store;
        QVERIFY(store.open().ok);
        WorkerGate gate;
        store.bus().setInlineHook(gate.hook());
        QFuture<CommandResult> blocker = store.bus().submit(RestockProduct{testMeta(), notebook, 1, {}});
        QTRY_VERIFY_WITH_TIMEOUT(gate.workerWaiting(), 20000);
        const PlaceOrder command = order(bob, {line(teaTowel, 4)});
        QFuture<CommandResult> f1 = store.bus().submit(command);
        QFuture<CommandResult> f2 = store.bus().submit(command);
        QCOMPARE(store.bus().pendingCommands(), 3);
        gate.open();

        QVERIFY(await(blocker).accepted());
        const CommandResult first = await(f1);
        const CommandResult second = await(f2);
        QVERIFY2(first.accepted(), qPrintable(first.reason));
        QVERIFY(!first.duplicate);
        QVERIFY2(second.accepted(), qPrintable(second.reason));
        QVERIFY(second.duplicate);
        QCOMPARE(second.committedNs, first.committedNs); // really one group
        QCOMPARE(second.entityId, first.entityId);
        QCOMPARE(second.firstPosition, first.firstPosition);
        QCOMPARE(second.lastPosition, first.lastPosition);

        StoreReader reader(store.path());
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM orders WHERE customer_id = ?"), {bob}).toInt(), 1);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT COUNT(*) FROM events WHERE command_id = ?"),
                               {command.meta.id.toString(QUuid::WithoutBraces)})
                     .toInt(),
                 1);
        QCOMPARE(reader.productStock(teaTowel), 200 - 4);
    }

    void sameCommandInABurst()
    {
        // Without the gate the copies may or may not share a group; the
        // answer must be the same either way.
        TempStore store;
        QVERIFY(store.open().ok);
        const PlaceOrder command = order(alice, {line(notebook, 3)});
        QList<QFuture<CommandResult>> futures;
        for (int i = 0; i < 5; ++i)
            futures.append(store.bus().submit(command));
        QList<CommandResult> results;
        for (const QFuture<CommandResult>& future : futures)
            results.append(await(future));
        QVERIFY(results[0].accepted());
        QVERIFY(!results[0].duplicate);
        for (qsizetype i = 1; i < results.size(); ++i) {
            QVERIFY(results[i].accepted());
            QVERIFY(results[i].duplicate);
            QCOMPARE(results[i].entityId, results[0].entityId);
            QCOMPARE(results[i].firstPosition, results[0].firstPosition);
        }
        StoreReader reader(store.path());
        QCOMPARE(reader.count(QStringLiteral("orders")), 1);
        QCOMPARE(reader.productStock(notebook), 150 - 3);
    }

    void rejectedCommandResubmittedGetsTheSameRejection()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        StoreReader reader(store.path());
        const PlaceOrder tooMany = order(alice, {line(headphones, 16)});
        const CommandResult first = store.run(tooMany);
        QCOMPARE(statusName(first.status), statusName(CommandResult::Status::Rejected));
        QCOMPARE(first.reason, QStringLiteral("Not enough stock: only 15 Noise-Cancelling Headphones left."));
        QVERIFY(!first.duplicate);

        // Even after the stock arrives, the id keeps its first answer: a
        // retried request must not turn into a second, different decision.
        QVERIFY(store.run(RestockProduct{testMeta(), headphones, 100, {}}).accepted());
        const StoreSnapshot before = reader.snapshot();
        const CommandResult second = store.run(tooMany);
        QCOMPARE(statusName(second.status), statusName(CommandResult::Status::Rejected));
        QVERIFY(second.duplicate);
        QCOMPARE(second.reason, first.reason);
        QCOMPARE(second.field, first.field);
        QCOMPARE(second.commandId, first.commandId);
        const StoreSnapshot after = reader.snapshot();
        for (const QString& table : writeTables())
            QCOMPARE(after.value(table), before.value(table));

        // A new id with the same content is a new request and now succeeds.
        PlaceOrder again = tooMany;
        again.meta.id = QUuid::createUuid();
        QVERIFY(store.run(again).accepted());
    }

    void rejectedCommandTwiceInOneGroup()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        WorkerGate gate;
        store.bus().setInlineHook(gate.hook());
        QFuture<CommandResult> blocker = store.bus().submit(RestockProduct{testMeta(), notebook, 1, {}});
        QTRY_VERIFY_WITH_TIMEOUT(gate.workerWaiting(), 20000);
        const CancelOrder command{testMeta(), 4242, {}};
        QFuture<CommandResult> f1 = store.bus().submit(command);
        QFuture<CommandResult> f2 = store.bus().submit(command);
        QCOMPARE(store.bus().pendingCommands(), 3);
        gate.open();
        QVERIFY(await(blocker).accepted());
        const CommandResult first = await(f1);
        const CommandResult second = await(f2);
        QCOMPARE(statusName(first.status), statusName(CommandResult::Status::Rejected));
        QCOMPARE(statusName(second.status), statusName(CommandResult::Status::Rejected));
        QVERIFY(!first.duplicate);
        QVERIFY(second.duplicate);
        QCOMPARE(second.reason, QStringLiteral("There is no order #4242."));
        QCOMPARE(second.field, first.field);
    }

    void submitAfterCloseFailsAtOnce()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        const qint64 head = store.bus().headPosition();
        store.bus().close();
        store.bus().close(); // idempotent

        QFuture<CommandResult> future = store.bus().submit(order(alice, {line(blueMug, 1)}));
        // Answered inside submit(): nobody is left to answer later.
        QVERIFY(future.isFinished());
        const CommandResult result = future.result();
        QCOMPARE(statusName(result.status), statusName(CommandResult::Status::Failed));
        QVERIFY2(result.reason.contains(QStringLiteral("closed")), qPrintable(result.reason));

        QFuture<CatalogSnapshot> catalog = store.bus().catalog();
        QVERIFY(catalog.isFinished());
        QVERIFY(!catalog.result().error.isEmpty());

        StoreReader reader(store.path());
        QCOMPARE(reader.count(QStringLiteral("orders")), 0);
        QCOMPARE(reader.positions().size(), head);
    }

    void submitToABusNeverOpenedFailsAtOnce()
    {
        CommandBus bus;
        QFuture<CommandResult> future = bus.submit(order(alice, {line(blueMug, 1)}));
        QVERIFY(future.isFinished());
        QCOMPARE(statusName(future.result().status), statusName(CommandResult::Status::Failed));
    }

    void closeAnswersEverythingQueued()
    {
        // close() drains the queue: no future is left unfinished.
        TempStore store;
        QVERIFY(store.open().ok);
        QList<QFuture<CommandResult>> futures;
        for (int i = 0; i < 50; ++i)
            futures.append(store.bus().submit(order(alice, {line(teaTowel, 1)})));
        store.bus().close();
        for (const QFuture<CommandResult>& future : futures) {
            QVERIFY(future.isFinished());
            QVERIFY(future.result().accepted());
        }
        QCOMPARE(store.bus().pendingCommands(), 0);
    }

    void repliesArriveOnTheReceiversThreadInOrder()
    {
        // The simulators' API: the answers of one group travel together to
        // the receiver's thread, in submission order, each one exactly once.
        TempStore store;
        QVERIFY(store.open().ok);
        WorkerGate gate;
        store.bus().setInlineHook(gate.hook());
        QThread receiverThread;
        QObject receiver;
        receiver.moveToThread(&receiverThread);
        receiverThread.start();

        struct Seen
        {
            std::mutex mutex;
            QList<int> order;
            QList<CommandResult> results;
            bool wrongThread = false;
        };
        auto seen = std::make_shared<Seen>();
        QThread* const expectedThread = &receiverThread;
        const auto submit = [&](int index, const Command& command) {
            store.bus().submit(command, &receiver, [seen, index, expectedThread](const CommandResult& result) {
                std::lock_guard lock(seen->mutex);
                seen->wrongThread |= QThread::currentThread() != expectedThread;
                seen->order.append(index);
                seen->results.append(result);
            });
        };
        submit(0, order(alice, {line(teaTowel, 1)})); // holds the worker at the gate
        QTRY_VERIFY(gate.workerWaiting());
        for (int i = 1; i < 100; ++i) // one group behind the gate, every third one rejected
            submit(i, i % 3 == 0 ? order(alice, {line(blueMug, 0)}) : order(bob, {line(teaTowel, 1)}));
        const auto answered = [seen] {
            std::lock_guard lock(seen->mutex);
            return seen->order.size();
        };
        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(answered(), 100, 10000);
        store.bus().close();
        submit(100, order(alice, {line(teaTowel, 1)})); // closed: still answered, queued
        QTRY_COMPARE_WITH_TIMEOUT(answered(), 101, 10000);
        receiverThread.quit();
        receiverThread.wait();
        QVERIFY(!seen->wrongThread);
        for (int i = 0; i <= 100; ++i)
            QCOMPARE(seen->order.at(i), i);
        for (int i = 0; i < 100; ++i) {
            const auto expected = i % 3 == 0 && i > 0 ? CommandResult::Status::Rejected
                                                      : CommandResult::Status::Accepted;
            QCOMPARE(statusName(seen->results.at(i).status), statusName(expected));
        }
        QCOMPARE(statusName(seen->results.at(100).status), statusName(CommandResult::Status::Failed));
        StoreReader reader(store.path());
        QCOMPARE(reader.count(QStringLiteral("orders")), 100 - 33);
    }

    void commandIdsAreVersion7AndIncreasing()
    {
        // Text order is time order: the idempotency index grows at its edge.
        QString previous;
        QSet<QUuid> seen;
        for (int i = 0; i < 20'000; ++i) {
            const QUuid id = newCommandId();
            QCOMPARE(id.data3 >> 12, 7); // (Qt 6.4's QUuid::version() predates version 7)
            QCOMPARE(id.variant(), QUuid::DCE);
            const QString text = id.toString(QUuid::WithoutBraces);
            QVERIFY2(text > previous, qPrintable(text + QStringLiteral(" after ") + previous));
            previous = text;
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 20'000);
        // The first 48 bits are the Unix time in milliseconds.
        const qint64 ms = qint64(newCommandId().data1) << 16 | newCommandId().data2;
        QVERIFY(qAbs(ms - QDateTime::currentMSecsSinceEpoch()) < 60'000);

        // Unique and increasing per thread when several threads draw at once.
        QList<QList<QUuid>> drawn(4);
        std::vector<std::thread> threads;
        for (auto& list : drawn)
            threads.emplace_back([&list] {
                for (int i = 0; i < 5'000; ++i)
                    list.append(newCommandId());
            });
        for (auto& thread : threads)
            thread.join();
        QSet<QUuid> all;
        for (const auto& list : drawn) {
            for (qsizetype i = 1; i < list.size(); ++i)
                QVERIFY(list[i].toString() > list[i - 1].toString());
            for (const QUuid& id : list)
                all.insert(id);
        }
        QCOMPARE(all.size(), 20'000);
    }

    void committedSignalCarriesTheHead()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        CommittedRelay relay(store.bus());
        QSignalSpy spy(&relay, &CommittedRelay::committed);
        QVERIFY(spy.isValid());

        const CommandResult placed = store.run(order(alice, {line(blueMug, 1)}));
        QVERIFY(placed.accepted());
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 20000);
        QCOMPARE(spy.at(0).at(0).toLongLong(), placed.lastPosition);
        QCOMPARE(store.bus().headPosition(), placed.lastPosition);

        // A rejection appends nothing and so signals nothing: the next
        // signal (queued in emission order) is the accepted command's.
        QCOMPARE(statusName(store.run(order(alice, {line(blueMug, 0)})).status),
                 statusName(CommandResult::Status::Rejected));
        const CommandResult restocked = store.run(RestockProduct{testMeta(), blueMug, 3, {}});
        QVERIFY(restocked.accepted());
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 20000);
        QCOMPARE(spy.at(1).at(0).toLongLong(), restocked.lastPosition);
        QCOMPARE(restocked.lastPosition, placed.lastPosition + 1);

        // A group commit signals once, with the head after the whole group.
        WorkerGate gate;
        store.bus().setInlineHook(gate.hook());
        QFuture<CommandResult> blocker = store.bus().submit(order(bob, {line(notebook, 1)}));
        QTRY_VERIFY_WITH_TIMEOUT(gate.workerWaiting(), 20000);
        QList<QFuture<CommandResult>> group;
        for (int i = 0; i < 3; ++i)
            group.append(store.bus().submit(order(bob, {line(teaTowel, 1)})));
        QCOMPARE(store.bus().pendingCommands(), 4);
        gate.open();
        const CommandResult blocked = await(blocker);
        qint64 groupHead = 0;
        for (const QFuture<CommandResult>& future : group)
            groupHead = std::max(groupHead, await(future).lastPosition);
        QCOMPARE(groupHead, blocked.lastPosition + 3);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 4, 20000);
        QCOMPARE(spy.at(2).at(0).toLongLong(), blocked.lastPosition);
        QCOMPARE(spy.at(3).at(0).toLongLong(), groupHead);
        QCOMPARE(store.bus().headPosition(), groupHead);
        QCOMPARE(store.bus().pendingCommands(), 0);
    }

    void catalogReflectsTheStore()
    {
        TempStore store;
        QVERIFY(store.open().ok);
        QVERIFY(store.run(order(alice, {line(blueMug, 5)})).accepted());
        const CatalogSnapshot catalog = await(store.bus().catalog());
        QVERIFY2(catalog.error.isEmpty(), qPrintable(catalog.error));
        QCOMPARE(catalog.products.size(), 20);
        QCOMPARE(catalog.customers.size(), 50);
        QCOMPARE(catalog.products[0].name, QStringLiteral("Blue Mug"));
        QCOMPARE(catalog.products[0].stock, 115);
        QCOMPARE(catalog.customers[0].name, QStringLiteral("Alice Andersen"));
    }
};

QTEST_GUILESS_MAIN(TestCommandBus)
#include "tst_commandbus.moc"
