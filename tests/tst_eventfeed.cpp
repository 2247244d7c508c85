// EventFeed: the projectors on one thread share a window of recent events.
// Whatever is asked of it, in whatever order, it answers exactly what the
// event log itself answers (the oracle is a direct EventLogReader read), and
// it reads the log once where several readers follow the same stretch.
#include "testsupport.h"

#include "workergate.h"

#include "events/eventfeed.h"
#include "events/eventlogreader.h"

#include <QJsonDocument>
#include <QTest>

#include <mutex>
#include <random>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 teaTowel = 5;

bool sameEvents(const EventList& a, const EventList& b, QString* why)
{
    if (a.size() != b.size()) {
        *why = QStringLiteral("%1 events instead of %2").arg(a.size()).arg(b.size());
        return false;
    }
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].position != b[i].position || a[i].type != b[i].type || a[i].payload != b[i].payload
            || a[i].aggregateId != b[i].aggregateId || a[i].committedAtMs != b[i].committedAtMs
            || a[i].committedMonoNs != b[i].committedMonoNs || a[i].commandId != b[i].commandId
            || a[i].origin != b[i].origin) {
            *why = QStringLiteral("event %1 differs (position %2 vs %3)").arg(i).arg(a[i].position).arg(b[i].position);
            return false;
        }
    }
    return true;
}

/// Collects what a bus hands over after each commit (StoreConfig::onCommitted).
class BatchSink final
{
public:
    std::function<void(std::shared_ptr<const CommittedBatch>)> callback()
    {
        return [this](std::shared_ptr<const CommittedBatch> batch) {
            std::lock_guard lock(m_mutex);
            m_batches.append(std::move(batch));
        };
    }
    QList<std::shared_ptr<const CommittedBatch>> take()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_batches, {});
    }

private:
    std::mutex m_mutex;
    QList<std::shared_ptr<const CommittedBatch>> m_batches;
};

EventList parsedAll(const CommittedBatch& batch)
{
    EventList events;
    for (const StoredEvent& stored : batch.events)
        events.append(stored.parsed());
    return events;
}

} // namespace

class TestEventFeed final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_store.open().ok, qPrintable(m_store.info().error));
        for (int i = 0; i < 1'200; ++i) {
            if (i % 20 == 0) {
                RestockProduct restock;
                restock.meta = testMeta();
                restock.productId = teaTowel;
                restock.quantity = 50;
                QVERIFY(m_store.run(restock).accepted());
            }
            QVERIFY(m_store.run(order(1 + i % 40, {line(teaTowel, 1)})).accepted());
        }
        m_head = m_store.bus().headPosition();
        QVERIFY(m_head > 1'200);
    }

    void logReaderDecodesWhatTheWriterStored()
    {
        // The oracle of every other case here, checked against the stored
        // rows read as plain text (the reader fetches the payload and the
        // command id as their UTF-8 bytes).
        EventLogReader log(m_store.path());
        QString error;
        const EventList events = log.readAfter(0, 300, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(events.size(), 300);
        StoreReader reader(m_store.path());
        const QList<QVariantList> rows = reader.rows(QStringLiteral(
            "SELECT position, type, aggregate_id, payload, command_id, origin FROM events "
            "ORDER BY position LIMIT 300"));
        QCOMPARE(rows.size(), 300);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const Event& event = events.at(i);
            const QVariantList& row = rows.at(i);
            QCOMPARE(event.position, row.at(0).toLongLong());
            QCOMPARE(eventTypeName(event.type), row.at(1).toString());
            QCOMPARE(event.aggregateId, row.at(2).toLongLong());
            QVERIFY(!event.payload.isEmpty());
            QCOMPARE(event.payload, QJsonDocument::fromJson(row.at(3).toString().toUtf8()).object());
            QVERIFY(!event.commandId.isNull());
            QCOMPARE(event.commandId, QUuid::fromString(row.at(4).toString()));
            QCOMPARE(originName(event.origin), row.at(5).toString());
        }
    }

    void readersFollowingTheHeadShareOneLogRead()
    {
        EventFeed feed(m_store.path());
        EventLogReader log(m_store.path());
        QString why;
        // Five projectors, all at the same checkpoint, each asking for a batch.
        const EventList first = feed.readAfter(100, 50);
        QVERIFY2(sameEvents(first, log.readAfter(100, 50), &why), qPrintable(why));
        for (int reader = 0; reader < 4; ++reader)
            QVERIFY2(sameEvents(feed.readAfter(100, 50), first, &why), qPrintable(why));
        QCOMPARE(feed.logReads(), 1);
        QCOMPARE(feed.windowReads(), 4);
        // The next batch: one of them extends the window, the others share it.
        for (int reader = 0; reader < 5; ++reader)
            QVERIFY2(sameEvents(feed.readAfter(150, 50), log.readAfter(150, 50), &why), qPrintable(why));
        QCOMPARE(feed.logReads(), 2);
        // A reader beyond the head gets nothing, and no error.
        QString error;
        QVERIFY(feed.readAfter(m_head, 10, &error).isEmpty());
        QVERIFY(error.isEmpty());
    }

    void anyOrderOfRequestsAnswersLikeTheLog()
    {
        // Readers far behind, ahead, overlapping, across a small window's
        // edges: every answer equals the log's.
        EventFeed feed(m_store.path(), 64);
        EventLogReader log(m_store.path());
        std::mt19937 random(7);
        for (int i = 0; i < 2'000; ++i) {
            const qint64 after = qint64(random() % quint32(m_head + 5));
            const int count = 1 + int(random() % 120);
            QString why;
            QString feedError;
            QString logError;
            const EventList fromFeed = feed.readAfter(after, count, &feedError);
            QVERIFY2(sameEvents(fromFeed, log.readAfter(after, count, &logError), &why),
                     qPrintable(QStringLiteral("after %1, %2 events: %3").arg(after).arg(count).arg(why)));
            QCOMPARE(feedError, logError);
        }
        QVERIFY(feed.windowReads() > 0);
    }

    void windowStaysSmallForSmallBatches()
    {
        // Live projectors ask for small batches: the window keeps a bounded
        // tail, not everything it has seen; a big batch makes room again.
        EventFeed feed(m_store.path());
        qint64 after = 0;
        while (after < m_head) {
            const EventList events = feed.readAfter(after, 10);
            QVERIFY(!events.isEmpty());
            after = events.last().position;
            QVERIFY2(feed.windowSize() <= EventFeed::minimumWindow, qPrintable(QString::number(feed.windowSize())));
        }
        QCOMPARE(feed.readAfter(0, 1'100).size(), 1'100);
        QVERIFY(feed.windowSize() >= 1'100);
    }

    void closeForgetsTheWindow()
    {
        EventFeed feed(m_store.path());
        QCOMPARE(feed.readAfter(0, 10).size(), 10);
        feed.close();
        QCOMPARE(feed.readAfter(0, 10).size(), 10); // reopens
        QCOMPARE(feed.logReads(), 2);
    }

    void commitsHandOverExactlyWhatTheyStored()
    {
        // One group commit: a command whose savepoint is rolled back after it
        // appended (the gate's blocker, alone in its group), then an accepted
        // order, a rejected one, another accepted one. The batch holds the
        // accepted orders' events, as the log holds them, stamped with the
        // moment the group's COMMIT returned; the rest left nothing.
        BatchSink sink;
        TempStore store;
        store.config().onCommitted = sink.callback();
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        QVERIFY(sink.take().isEmpty()); // the demo data is read from the log

        WorkerGate gate;
        const PlaceOrder blocker = order(4, {line(teaTowel, 1)});
        const QList<Command> commands{order(1, {line(teaTowel, 1)}), order(2, {line(999'999, 1)}),
                                      order(3, {line(teaTowel, 2)})};
        QList<QFuture<CommandResult>> placed;
        submitAsOneGroup(store.bus(), gate, blocker, commands, &placed);
        if (QTest::currentTestFailed())
            return;
        store.bus().setInlineHook({});
        QVERIFY2(placed[0].result().accepted(), qPrintable(placed[0].result().reason));
        QCOMPARE(placed[1].result().status, CommandResult::Status::Rejected);
        QVERIFY2(placed[2].result().accepted(), qPrintable(placed[2].result().reason));

        const auto batches = sink.take();
        QCOMPARE(batches.size(), 1);
        const CommittedBatch& batch = *batches.first();
        QCOMPARE(batch.events.first().position, placed[0].result().firstPosition);
        QCOMPARE(batch.events.last().position, placed[2].result().lastPosition);
        QCOMPARE(batch.events.last().position, store.bus().headPosition());
        QCOMPARE(batch.committedNs, placed[2].result().committedNs);
        for (const StoredEvent& event : batch.events)
            QVERIFY(event.committedMonoNs <= batch.committedNs);
        EventLogReader log(store.path());
        const qint64 before = batch.events.first().position - 1;
        QString why;
        QVERIFY2(sameEvents(parsedAll(batch), log.readAfter(before, 1'000), &why), qPrintable(why));
    }

    void offeredCommitsAnswerLikeTheLogWithoutReadingIt()
    {
        // A follower whose feed is offered every commit reads the log only
        // to start. Whatever the offers (some twice, some late, after a read
        // already went past them) and the reads (following, far behind),
        // every answer equals the log's, and the commit times are those of
        // the offered batches. A commit that is never offered (lost here; in
        // the lab only a writer outside the bus could do that) may be missed
        // until verifyWithLog() (the projectors' poll), never answered wrong.
        BatchSink sink;
        TempStore store;
        store.config().onCommitted = sink.callback();
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        EventFeed feed(store.path(), 256);
        EventLogReader log(store.path());
        qint64 followed = store.bus().headPosition();
        QVERIFY(feed.readAfter(0, 10).size() == 10);

        std::mt19937 random(11);
        QList<std::shared_ptr<const CommittedBatch>> offered;
        QList<std::shared_ptr<const CommittedBatch>> lost;
        for (int round = 0; round < 200; ++round) {
            const int orders = 1 + int(random() % 3);
            for (int i = 0; i < orders; ++i)
                QVERIFY(store.run(order(1 + int(random() % 40), {line(teaTowel, 1)})).accepted());
            if (round % 25 == 0) {
                RestockProduct restock;
                restock.meta = testMeta();
                restock.productId = teaTowel;
                restock.quantity = 500;
                QVERIFY(store.run(restock).accepted());
            }
            const auto batches = sink.take();
            QCOMPARE(batches.size(), orders + (round % 25 == 0 ? 1 : 0));
            const int dice = int(random() % 10);
            for (const auto& batch : batches) {
                if (dice == 0) {
                    lost.append(batch);
                    continue;
                }
                feed.offer(*batch);
                if (dice == 1)
                    feed.offer(*batch); // twice: nothing is duplicated
                offered.append(batch);
            }
            QString why;
            const qint64 after = random() % 8 == 0 ? qint64(random() % quint32(followed + 1)) : followed;
            const int count = 1 + int(random() % 20);
            if (dice == 0) {
                const EventList early = feed.readAfter(after, count);
                QVERIFY2(sameEvents(early, log.readAfter(after, int(early.size())), &why),
                         qPrintable(QStringLiteral("round %1, after %2, before the poll: %3").arg(round).arg(after).arg(why)));
                feed.verifyWithLog();
            }
            const EventList fromFeed = feed.readAfter(after, count);
            QVERIFY2(sameEvents(fromFeed, log.readAfter(after, count), &why),
                     qPrintable(QStringLiteral("round %1, after %2: %3").arg(round).arg(after).arg(why)));
            if (after == followed && !fromFeed.isEmpty())
                followed = fromFeed.last().position;
            if (dice == 2 && !batches.isEmpty())
                feed.offer(*batches.last()); // late: the read went past it
        }
        QVERIFY2(feed.windowReads() > feed.logReads(),
                 qPrintable(QStringLiteral("%1 log reads, %2 window reads").arg(feed.logReads()).arg(feed.windowReads())));
        for (const auto& batch : offered.mid(offered.size() - 50)) {
            for (const StoredEvent& event : batch->events)
                QCOMPARE(feed.commitTimeOf(event.position), batch->committedNs);
        }
        QVERIFY(!lost.isEmpty());
        QCOMPARE(feed.commitTimeOf(lost.last()->events.first().position), qint64(0));
        QCOMPARE(feed.commitTimeOf(store.bus().headPosition() + 1), qint64(0));
    }

    void aFollowerOfferedEveryCommitNeverReadsTheLog()
    {
        BatchSink sink;
        TempStore store;
        store.config().onCommitted = sink.callback();
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        EventFeed feed(store.path());
        qint64 followed = store.bus().headPosition();
        QVERIFY(feed.readAfter(followed - 5, 100).size() == 5);
        const qint64 logReads = feed.logReads();
        EventLogReader log(store.path());
        for (int i = 0; i < 50; ++i) {
            QVERIFY(store.run(order(1 + i % 40, {line(teaTowel, 1)})).accepted());
            for (const auto& batch : sink.take())
                feed.offer(*batch);
            const EventList events = feed.readAfter(followed, 100);
            QString why;
            QVERIFY2(sameEvents(events, log.readAfter(followed, 100), &why), qPrintable(why));
            QVERIFY(!events.isEmpty());
            followed = events.last().position;
        }
        // Asked for up to 100 each time, it found fewer in the window: that
        // the log has no more is known from the offers, not asked of it.
        QCOMPARE(feed.logReads(), logReads);
        // Unless told to check (the projectors' fallback poll).
        feed.verifyWithLog();
        QVERIFY(feed.readAfter(followed, 100).isEmpty());
        QCOMPARE(feed.logReads(), logReads + 1);
        // A commit that was not offered is found then, and only then.
        QVERIFY(store.run(order(7, {line(teaTowel, 1)})).accepted());
        sink.take();
        QVERIFY(feed.readAfter(followed, 100).size() >= 1);
        QCOMPARE(feed.logReads(), logReads + 2);
    }

private:
    TempStore m_store;
    qint64 m_head = 0;
};

QTEST_GUILESS_MAIN(TestEventFeed)
#include "tst_eventfeed.moc"
