// EventFeed: the projectors on one thread share a window of recent events.
// Whatever is asked of it, in whatever order, it answers exactly what the
// event log itself answers (the oracle is a direct EventLogReader read), and
// it reads the log once where several readers follow the same stretch.
#include "testsupport.h"

#include "events/eventfeed.h"
#include "events/eventlogreader.h"

#include <QJsonDocument>
#include <QTest>

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
            || a[i].committedMonoNs != b[i].committedMonoNs || a[i].commandId != b[i].commandId) {
            *why = QStringLiteral("event %1 differs (position %2 vs %3)").arg(i).arg(a[i].position).arg(b[i].position);
            return false;
        }
    }
    return true;
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

private:
    TempStore m_store;
    qint64 m_head = 0;
};

QTEST_GUILESS_MAIN(TestEventFeed)
#include "tst_eventfeed.moc"
