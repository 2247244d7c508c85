// Many clients, one write side: 4 threads each submit 250 mixed commands at
// once through one CommandBus. Whatever the interleaving, the store must end
// up as if the commands had run one at a time: a gap-free event log in which
// every accepted command has exactly its own event, no stock below zero, and
// stock that replays exactly from the events.
#include "testsupport.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

#include <deque>
#include <random>
#include <thread>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr int threadCount = 4;
constexpr int commandsPerThread = 250;
constexpr int productCount = 20;  // demo catalog
constexpr int customerCount = 50; // demo catalog
constexpr qint64 missingOrder = 1'000'000;

struct Submitted
{
    Command command;
    CommandResult result;
};

// One client: a fixed-seed mix of orders, cancellations of its own earlier
// orders, restocks, price changes and invalid orders, submitted without
// waiting, except that a cancellation needs the id of the order it cancels.
QList<Submitted> runClient(CommandBus* bus, int client)
{
    std::mt19937 random(20240 + client);
    const auto pick = [&random](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    QList<std::pair<Command, QFuture<CommandResult>>> sent;
    std::deque<QFuture<CommandResult>> myOrders;
    for (int i = 0; i < commandsPerThread; ++i) {
        const int roll = pick(0, 99);
        Command command;
        if (roll < 55) {
            QList<OrderLineRequest> lines;
            for (int l = pick(1, 3); l > 0; --l)
                lines.append(line(pick(1, productCount), pick(1, 5)));
            command = PlaceOrder{CommandMeta{newCommandId(), CommandOrigin::Simulator},
                                 pick(1, customerCount), lines};
        } else if (roll < 70) {
            qint64 orderId = missingOrder; // rejected when the order was not accepted
            if (!myOrders.empty()) {
                QFuture<CommandResult> placed = myOrders.front();
                myOrders.pop_front();
                placed.waitForFinished();
                if (placed.result().accepted())
                    orderId = placed.result().entityId;
            }
            command = CancelOrder{testMeta(), orderId, QStringLiteral("client %1").arg(client)};
        } else if (roll < 85) {
            command = RestockProduct{testMeta(), pick(1, productCount), pick(1, 40), std::nullopt};
        } else if (roll < 93) {
            command = ChangeProductPrice{testMeta(), pick(1, productCount), pick(100, 20000),
                                         QStringLiteral("load test"), std::nullopt};
        } else {
            command = order(pick(1, customerCount), {line(pick(1, productCount), 0)});
        }
        QFuture<CommandResult> future = bus->submit(command);
        if (std::holds_alternative<PlaceOrder>(command))
            myOrders.push_back(future);
        sent.append({command, future});
    }
    QList<Submitted> done;
    for (auto& [command, future] : sent) {
        future.waitForFinished();
        done.append({command, future.result()});
    }
    return done;
}

EventType expectedEventType(const Command& command)
{
    struct Visitor
    {
        EventType operator()(const RegisterCustomer&) const { return EventType::CustomerRegistered; }
        EventType operator()(const AddProduct&) const { return EventType::ProductAdded; }
        EventType operator()(const PlaceOrder&) const { return EventType::OrderPlaced; }
        EventType operator()(const CancelOrder&) const { return EventType::OrderCancelled; }
        EventType operator()(const ChangeProductPrice&) const { return EventType::ProductPriceChanged; }
        EventType operator()(const RestockProduct&) const { return EventType::ProductRestocked; }
        EventType operator()(const DiscontinueProduct&) const { return EventType::ProductDiscontinued; }
    };
    return std::visit(Visitor{}, command);
}

} // namespace

class TestConcurrency final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thousandCommandsFromFourThreads()
    {
        TempStore store;
        const StoreInfo info = store.open();
        QVERIFY2(info.ok, qPrintable(info.error));
        const qint64 seedHead = info.counters.headPosition;
        QCOMPARE(seedHead, 70);
        const qint64 acceptedAtOpen = store.bus().counters().commandsAccepted;

        std::vector<QList<Submitted>> perClient(threadCount);
        {
            std::vector<std::thread> clients;
            for (int client = 0; client < threadCount; ++client)
                clients.emplace_back([&, client] { perClient[client] = runClient(&store.bus(), client); });
            for (std::thread& client : clients)
                client.join(); // each returns once all its futures are answered
        }

        // Every command was answered, none failed, and each client saw its
        // own accepted commands in the order it submitted them.
        QHash<qint64, const Submitted*> byPosition;
        QHash<EventType, int> acceptedByType;
        QSet<qint64> acceptedOrders;
        QSet<qint64> cancelledOrders;
        int answered = 0;
        int rejected = 0;
        for (const QList<Submitted>& client : perClient) {
            qint64 lastPosition = 0;
            for (const Submitted& submitted : client) {
                ++answered;
                const CommandResult& result = submitted.result;
                QVERIFY2(result.status != CommandResult::Status::Failed, qPrintable(result.reason));
                QCOMPARE(result.commandId, metaOf(submitted.command).id);
                QVERIFY(!result.duplicate);
                if (!result.accepted()) {
                    ++rejected;
                    QVERIFY(!result.reason.isEmpty());
                    continue;
                }
                QCOMPARE(result.firstPosition, result.lastPosition); // one event per command
                QVERIFY(result.firstPosition > lastPosition);
                lastPosition = result.firstPosition;
                QVERIFY2(!byPosition.contains(result.firstPosition), "two commands share a position");
                byPosition.insert(result.firstPosition, &submitted);
                ++acceptedByType[expectedEventType(submitted.command)];
                if (std::holds_alternative<PlaceOrder>(submitted.command))
                    acceptedOrders.insert(result.entityId);
                else if (std::holds_alternative<CancelOrder>(submitted.command))
                    cancelledOrders.insert(result.entityId);
            }
        }
        QCOMPARE(answered, threadCount * commandsPerThread);
        // The mix must really exercise both outcomes.
        QVERIFY(rejected > 0);
        QVERIFY(acceptedOrders.size() > 100);
        QVERIFY(!cancelledOrders.isEmpty());
        QCOMPARE(store.bus().pendingCommands(), 0);

        // The log: positions exactly 1..N, N = seed + accepted commands.
        const qint64 head = store.bus().headPosition();
        QCOMPARE(head, seedHead + byPosition.size());
        const WriteCounters counters = store.bus().counters();
        QCOMPARE(counters.headPosition, head);
        QCOMPARE(counters.commandsAccepted - acceptedAtOpen, qint64(byPosition.size()));
        QCOMPARE(counters.orders, qint64(acceptedOrders.size()));
        QCOMPARE(counters.ordersCancelled, qint64(cancelledOrders.size()));
        StoreReader reader(store.path());
        const QList<QVariantList> events = reader.rows(QStringLiteral(
            "SELECT position, type, aggregate_id, command_id, payload FROM events ORDER BY position"));
        QCOMPARE(events.size(), head);
        for (qsizetype i = 0; i < events.size(); ++i)
            QCOMPARE(events[i][0].toLongLong(), i + 1);

        // Each accepted command owns exactly the event at its position.
        QHash<QString, int> eventsByType;
        for (const QVariantList& event : events) {
            const qint64 position = event[0].toLongLong();
            ++eventsByType[event[1].toString()];
            if (position <= seedHead)
                continue;
            const Submitted* submitted = byPosition.value(position);
            QVERIFY2(submitted, qPrintable(QStringLiteral("event %1 has no accepted command").arg(position)));
            QCOMPARE(event[1].toString(), eventTypeName(expectedEventType(submitted->command)));
            QCOMPARE(event[2].toLongLong(), submitted->result.entityId);
            QCOMPARE(event[3].toString(), metaOf(submitted->command).id.toString(QUuid::WithoutBraces));
        }
        for (EventType type : {EventType::OrderPlaced, EventType::OrderCancelled,
                               EventType::ProductRestocked, EventType::ProductPriceChanged})
            QCOMPARE(eventsByType.value(eventTypeName(type)), acceptedByType.value(type));
        QCOMPARE(eventsByType.value(eventTypeName(EventType::ProductAdded)), productCount);
        QCOMPARE(eventsByType.value(eventTypeName(EventType::CustomerRegistered)), customerCount);

        // Every accepted order is stored, cancelled exactly when its
        // cancellation was accepted, and there are no other orders.
        QCOMPARE(reader.count(QStringLiteral("orders")), qint64(acceptedOrders.size()));
        for (const QVariantList& row : reader.rows(QStringLiteral("SELECT id, status FROM orders"))) {
            const qint64 id = row[0].toLongLong();
            QVERIFY2(acceptedOrders.contains(id), qPrintable(QStringLiteral("order #%1 was never accepted").arg(id)));
            QCOMPARE(row[1].toString(), cancelledOrders.contains(id) ? QStringLiteral("cancelled")
                                                                     : QStringLiteral("placed"));
        }

        // Stock replayed from the log in position order: opening stock, minus
        // what was sold, plus what was returned and restocked. Every
        // stockAfter on the way must match the replay and never go below 0,
        // which shows the log order is the order the commands really ran in.
        QHash<qint64, qint64> stock;
        for (const QVariantList& event : events) {
            const QString type = event[1].toString();
            const QJsonObject payload = QJsonDocument::fromJson(event[4].toByteArray()).object();
            const auto apply = [&](const QJsonObject& change, qint64 delta) {
                const qint64 product = change.value(QStringLiteral("productId")).toInteger();
                stock[product] += delta;
                QVERIFY2(stock[product] >= 0, "stock went below zero");
                QCOMPARE(change.value(QStringLiteral("stockAfter")).toInteger(), stock[product]);
            };
            if (type == eventTypeName(EventType::ProductAdded)) {
                stock[payload.value(QStringLiteral("productId")).toInteger()] =
                    payload.value(QStringLiteral("stock")).toInteger();
            } else if (type == eventTypeName(EventType::OrderPlaced)) {
                for (const QJsonValue& sold : payload.value(QStringLiteral("lines")).toArray())
                    apply(sold.toObject(), -sold.toObject().value(QStringLiteral("quantity")).toInteger());
            } else if (type == eventTypeName(EventType::OrderCancelled)) {
                for (const QJsonValue& back : payload.value(QStringLiteral("lines")).toArray())
                    apply(back.toObject(), back.toObject().value(QStringLiteral("quantity")).toInteger());
            } else if (type == eventTypeName(EventType::ProductRestocked)) {
                apply(payload, payload.value(QStringLiteral("quantity")).toInteger());
            }
            if (QTest::currentTestFailed())
                return;
        }
        const QList<QVariantList> products =
            reader.rows(QStringLiteral("SELECT id, stock FROM products ORDER BY id"));
        QCOMPARE(products.size(), productCount);
        for (const QVariantList& product : products) {
            QVERIFY(product[1].toLongLong() >= 0);
            QCOMPARE(product[1].toLongLong(), stock.value(product[0].toLongLong()));
        }
    }
};

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
