// EventStream: the event panel's follower of the log. It delivers every
// event once, in order, and turns a burst of commits into a few batches (at
// most one per interval); a batch still held when it stops is dropped.
#include "testsupport.h"

#include "events/eventstream.h"

#include <QElapsedTimer>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 teaTowel = 5;

/// Collects the stream's batches on the test thread.
struct Collector
{
    explicit Collector(EventStream* stream)
    {
        QObject::connect(stream, &EventStream::eventsAppended, &context,
                         [this](const EventList& events) { batches.append(events); });
    }
    qint64 lastPosition() const { return batches.isEmpty() ? 0 : batches.last().last().position; }

    QObject context;
    QList<EventList> batches;
};

PlaceOrder oneTeaTowel(int i) { return order(1 + i % 40, {line(teaTowel, 1)}); }

} // namespace

class TestEventStream final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyEventOnceInOrderInFewBatches()
    {
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        constexpr int intervalMs = 200;
        EventStream stream(store.path(), 500, intervalMs);
        Collector collector(&stream);
        stream.start();

        QElapsedTimer clock;
        clock.start();
        constexpr int commits = 60;
        for (int i = 0; i < commits; ++i) {
            const CommandResult result = store.run(oneTeaTowel(i));
            QVERIFY2(result.accepted(), qPrintable(result.reason));
            stream.notifyCommitted(result.lastPosition);
        }
        const qint64 head = store.bus().headPosition();
        QTRY_COMPARE_WITH_TIMEOUT(collector.lastPosition(), head, 10'000);
        const qint64 elapsedMs = clock.elapsed();

        qint64 expected = 1;
        for (const EventList& batch : std::as_const(collector.batches)) {
            QVERIFY(!batch.isEmpty());
            for (const Event& event : batch)
                QCOMPARE(event.position, expected++);
        }
        QCOMPARE(expected - 1, head);
        // Batches are at least an interval apart: the first, then at most
        // one per interval that passed (whatever the machine's speed).
        QVERIFY2(collector.batches.size() <= 1 + elapsedMs / intervalMs + 1,
                 qPrintable(QStringLiteral("%1 batches in %2 ms").arg(collector.batches.size()).arg(elapsedMs)));
        stream.stop();
    }

    void stoppingDropsAHeldBatch()
    {
        TempStore store;
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        const qint64 seeded = store.bus().headPosition(); // the demo catalog's events
        QVERIFY(seeded > 0);
        // An hour-long interval: the backlog arrives at start, the next
        // commit is held, and stop() must not wait for it.
        EventStream stream(store.path(), 500, 3'600'000);
        Collector collector(&stream);
        stream.start();
        QTRY_COMPARE_WITH_TIMEOUT(collector.lastPosition(), seeded, 10'000);
        const CommandResult next = store.run(oneTeaTowel(0));
        QVERIFY(next.accepted());
        stream.notifyCommitted(next.lastPosition);
        QElapsedTimer clock;
        clock.start();
        stream.stop();
        QVERIFY(clock.elapsed() < 60'000);
        QCoreApplication::processEvents();
        QCOMPARE(collector.batches.size(), 1);
        QCOMPARE(collector.lastPosition(), seeded);
    }
};

QTEST_GUILESS_MAIN(TestEventStream)
#include "tst_eventstream.moc"
