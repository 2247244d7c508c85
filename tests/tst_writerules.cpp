// The business rules of the write side, one row per rule and bad input.
//
// Every rejection must (1) say why in words a person can act on, (2) name the
// field so a form can highlight it, and (3) change nothing at all: the test
// compares a snapshot of every write table, the event log and the idempotency
// store before and after. The accepted paths then check that a command does
// exactly what it says: state, event type and payload, positions.
#include "testsupport.h"

#include <QJsonArray>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

// Demo catalog ids (resources/seed/catalog.json): products come first, then
// customers, each table counting from 1.
constexpr qint64 blueMug = 1;        // price changed to 9.50 and drained to 3 below
constexpr qint64 espressoCups = 2;   // drained to 0 below
constexpr qint64 chefsKnife = 3;     // discontinued below
constexpr qint64 teaTowel = 5;       // 5.99, 200 in stock
constexpr qint64 notebook = 6;       // 12.50, 150 in stock
constexpr qint64 fountainPen = 7;    // 38.00, 45 in stock
constexpr qint64 deskLamp = 8;       // 49.00, 30 in stock
constexpr qint64 stickyNotes = 9;    // 2.99, 400 in stock
constexpr qint64 alice = 1;
constexpr qint64 dmitri = 4;
constexpr qint64 missing = 999;

} // namespace

class TestWriteRules final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TempStore> m_store;
    std::unique_ptr<StoreReader> m_reader;
    qint64 m_cancelledOrder = 0;
    qint64 m_openOrder = 0;

    static void addRejection(const char* tag, const Command& command, const QString& reason,
                             const QString& field)
    {
        QTest::newRow(tag) << command << reason << field;
    }

    // The fixture commands must all be accepted; a QVERIFY here would only
    // abort the helper, so the caller checks the returned flag.
    bool accept(const Command& command, qint64* entityId = nullptr)
    {
        const CommandResult result = m_store->run(command);
        if (!result.accepted())
            qWarning("fixture command %s was not accepted: %s", qPrintable(commandName(command)),
                     qPrintable(result.reason));
        if (entityId)
            *entityId = result.entityId;
        return result.accepted();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->dirValid());
        const StoreInfo info = m_store->open();
        QVERIFY2(info.ok, qPrintable(info.error));
        QVERIFY(info.seeded);
        m_reader = std::make_unique<StoreReader>(m_store->path());
        QVERIFY2(m_reader->isOpen(), qPrintable(m_reader->lastError()));

        // States the rejection rows need: a changed price (and so version 2),
        // a nearly empty and an empty product, a discontinued one, a cancelled
        // and an open order.
        QVERIFY(accept(ChangeProductPrice{testMeta(), blueMug, 950, QStringLiteral("Supplier price rise"), 1}));
        QVERIFY(accept(order(alice, {line(blueMug, 100), line(blueMug, 17)})));
        QCOMPARE(m_reader->productStock(blueMug), 3);
        QVERIFY(accept(order(alice, {line(espressoCups, 60)})));
        QCOMPARE(m_reader->productStock(espressoCups), 0);
        QVERIFY(accept(DiscontinueProduct{testMeta(), chefsKnife, std::nullopt}));
        QVERIFY(accept(order(alice, {line(teaTowel, 1)}), &m_cancelledOrder));
        QVERIFY(accept(CancelOrder{testMeta(), m_cancelledOrder, QStringLiteral("test")}));
        QVERIFY(accept(order(alice, {line(notebook, 2), line(fountainPen, 1)}), &m_openOrder));
    }

    void cleanupTestCase()
    {
        m_reader.reset();
        m_store.reset();
    }

    void rejects_data()
    {
        QTest::addColumn<Command>("command");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("field");

        // --- RegisterCustomer
        addRejection("customer: empty name",
                     RegisterCustomer{testMeta(), QStringLiteral("   "), QStringLiteral("a@b.org"), {}},
                     QStringLiteral("The customer's name is empty."), QStringLiteral("name"));
        addRejection("customer: name too long",
                     RegisterCustomer{testMeta(), QString(121, u'n'), {}, {}},
                     QStringLiteral("The name is too long (121 characters; at most 120)."),
                     QStringLiteral("name"));
        addRejection("customer: email without @",
                     RegisterCustomer{testMeta(), QStringLiteral("Ann"), QStringLiteral("ann.example.org"), {}},
                     QStringLiteral("\"ann.example.org\" is not an email address."),
                     QStringLiteral("email"));
        addRejection("customer: email with a space",
                     RegisterCustomer{testMeta(), QStringLiteral("Ann"), QStringLiteral("ann b@example.org"), {}},
                     QStringLiteral("\"ann b@example.org\" is not an email address."),
                     QStringLiteral("email"));
        addRejection("customer: email starts with @",
                     RegisterCustomer{testMeta(), QStringLiteral("Ann"), QStringLiteral("@example.org"), {}},
                     QStringLiteral("\"@example.org\" is not an email address."), QStringLiteral("email"));
        addRejection("customer: email ends with @",
                     RegisterCustomer{testMeta(), QStringLiteral("Ann"), QStringLiteral("ann@"), {}},
                     QStringLiteral("\"ann@\" is not an email address."), QStringLiteral("email"));

        // --- AddProduct
        const auto product = [](QString sku, QString name, QString category, qint64 price, int stock) {
            return AddProduct{testMeta(), std::move(sku), std::move(name), std::move(category), price, stock};
        };
        addRejection("product: empty sku",
                     product(QStringLiteral("  "), QStringLiteral("Cup"), QStringLiteral("Kitchen"), 100, 1),
                     QStringLiteral("The SKU is empty."), QStringLiteral("sku"));
        addRejection("product: duplicate sku",
                     product(QStringLiteral("KIT-001"), QStringLiteral("Red Mug"), QStringLiteral("Kitchen"), 900, 5),
                     QStringLiteral("SKU KIT-001 is already used by Blue Mug."), QStringLiteral("sku"));
        addRejection("product: duplicate sku with spaces",
                     product(QStringLiteral(" OFF-004 "), QStringLiteral("Notes"), QStringLiteral("Office"), 100, 5),
                     QStringLiteral("SKU OFF-004 is already used by Sticky Notes."), QStringLiteral("sku"));
        addRejection("product: empty name",
                     product(QStringLiteral("NEW-1"), QStringLiteral(" "), QStringLiteral("Kitchen"), 100, 1),
                     QStringLiteral("The product name is empty."), QStringLiteral("name"));
        addRejection("product: name too long",
                     product(QStringLiteral("NEW-1"), QString(121, u'p'), QStringLiteral("Kitchen"), 100, 1),
                     QStringLiteral("The product name is too long (at most 120 characters)."),
                     QStringLiteral("name"));
        addRejection("product: empty category",
                     product(QStringLiteral("NEW-1"), QStringLiteral("Cup"), {}, 100, 1),
                     QStringLiteral("The category is empty."), QStringLiteral("category"));
        addRejection("product: price 0",
                     product(QStringLiteral("NEW-1"), QStringLiteral("Cup"), QStringLiteral("Kitchen"), 0, 1),
                     QStringLiteral("The price must be more than 0.00."), QStringLiteral("price"));
        addRejection("product: negative price",
                     product(QStringLiteral("NEW-1"), QStringLiteral("Cup"), QStringLiteral("Kitchen"), -5, 1),
                     QStringLiteral("The price must be more than 0.00."), QStringLiteral("price"));
        addRejection("product: price above limit",
                     product(QStringLiteral("NEW-1"), QStringLiteral("Cup"), QStringLiteral("Kitchen"),
                             Limits::maxPriceCents + 1, 1),
                     QStringLiteral("100,000.01 is above the price limit of 100,000.00."),
                     QStringLiteral("price"));
        addRejection("product: negative stock",
                     product(QStringLiteral("NEW-1"), QStringLiteral("Cup"), QStringLiteral("Kitchen"), 100, -1),
                     QStringLiteral("The opening stock must be 0 to 10000."), QStringLiteral("quantity"));
        addRejection("product: stock above limit",
                     product(QStringLiteral("NEW-1"), QStringLiteral("Cup"), QStringLiteral("Kitchen"), 100,
                             Limits::maxRestockQuantity + 1),
                     QStringLiteral("The opening stock must be 0 to 10000."), QStringLiteral("quantity"));

        // --- PlaceOrder
        addRejection("order: no customer chosen", order(0, {line(teaTowel, 1)}),
                     QStringLiteral("Choose a customer for the order."), QStringLiteral("customer"));
        addRejection("order: unknown customer", order(missing, {line(teaTowel, 1)}),
                     QStringLiteral("There is no customer #999."), QStringLiteral("customer"));
        addRejection("order: zero lines", order(alice, {}),
                     QStringLiteral("An order needs at least one line."), QStringLiteral("lines"));
        addRejection("order: 21 lines", order(alice, QList<OrderLineRequest>(21, line(stickyNotes, 1))),
                     QStringLiteral("An order can have at most 20 lines; this one has 21."),
                     QStringLiteral("lines"));
        addRejection("order: unknown product on line 1", order(alice, {line(teaTowel, 1), line(missing, 1)}),
                     QStringLiteral("There is no product #999."), QStringLiteral("line:1:product"));
        addRejection("order: quantity 0", order(alice, {line(teaTowel, 0)}),
                     QStringLiteral("The quantity of Tea Towel must be at least 1."),
                     QStringLiteral("line:0:quantity"));
        addRejection("order: negative quantity", order(alice, {line(teaTowel, 2), line(notebook, -3)}),
                     QStringLiteral("The quantity of Notebook A5 must be at least 1."),
                     QStringLiteral("line:1:quantity"));
        addRejection("order: quantity over 100", order(alice, {line(teaTowel, 101)}),
                     QStringLiteral("At most 100 × Tea Towel per line; this line asks for 101."),
                     QStringLiteral("line:0:quantity"));
        addRejection("order: discontinued product", order(alice, {line(chefsKnife, 1)}),
                     QStringLiteral("Chef's Knife is discontinued and can no longer be ordered."),
                     QStringLiteral("line:0:product"));
        addRejection("order: not enough stock", order(alice, {line(blueMug, 4)}),
                     QStringLiteral("Not enough stock: only 3 Blue Mug left."),
                     QStringLiteral("line:0:quantity"));
        // The stock rule counts every line for the same product together.
        addRejection("order: not enough stock over two lines",
                     order(dmitri, {line(blueMug, 2), line(teaTowel, 1), line(blueMug, 2)}),
                     QStringLiteral("Not enough stock: only 3 Blue Mug left."),
                     QStringLiteral("line:2:quantity"));
        addRejection("order: out of stock", order(alice, {line(teaTowel, 1), line(espressoCups, 1)}),
                     QStringLiteral("Espresso Cup Set is out of stock."), QStringLiteral("line:1:quantity"));
        addRejection("order: shown price changed", order(alice, {line(blueMug, 1, 850)}),
                     QStringLiteral("The price of Blue Mug changed from 8.50 to 9.50."),
                     QStringLiteral("line:0:price"));

        // --- CancelOrder
        addRejection("cancel: nonexistent order", CancelOrder{testMeta(), 99999, {}},
                     QStringLiteral("There is no order #99999."), QStringLiteral("order"));
        addRejection("cancel: twice", CancelOrder{testMeta(), m_cancelledOrder, QStringLiteral("again")},
                     QStringLiteral("Order #%1 is already cancelled.").arg(m_cancelledOrder),
                     QStringLiteral("order"));
        addRejection("cancel: reason too long", CancelOrder{testMeta(), m_openOrder, QString(501, u'r')},
                     QStringLiteral("The reason is too long (at most 500 characters)."),
                     QStringLiteral("reason"));

        // --- ChangeProductPrice
        const auto price = [](qint64 id, qint64 cents, QString reason, std::optional<int> version = {}) {
            return ChangeProductPrice{testMeta(), id, cents, std::move(reason), version};
        };
        addRejection("price: unknown product", price(missing, 100, QStringLiteral("why")),
                     QStringLiteral("There is no product #999."), QStringLiteral("product"));
        addRejection("price: 0", price(teaTowel, 0, QStringLiteral("why")),
                     QStringLiteral("The new price must be more than 0.00."), QStringLiteral("price"));
        addRejection("price: negative", price(teaTowel, -100, QStringLiteral("why")),
                     QStringLiteral("The new price must be more than 0.00."), QStringLiteral("price"));
        addRejection("price: above limit", price(teaTowel, Limits::maxPriceCents + 1, QStringLiteral("why")),
                     QStringLiteral("100,000.01 is above the price limit of 100,000.00."),
                     QStringLiteral("price"));
        addRejection("price: same price", price(teaTowel, 599, QStringLiteral("why")),
                     QStringLiteral("The price of Tea Towel is already 5.99."), QStringLiteral("price"));
        addRejection("price: empty reason", price(teaTowel, 650, QStringLiteral(" \t ")),
                     QStringLiteral("Say why the price changes."), QStringLiteral("reason"));
        addRejection("price: reason too long", price(teaTowel, 650, QString(501, u'r')),
                     QStringLiteral("The reason is too long (at most 500 characters)."),
                     QStringLiteral("reason"));
        addRejection("price: discontinued product", price(chefsKnife, 6000, QStringLiteral("why")),
                     QStringLiteral("Chef's Knife is discontinued; its price can no longer change."),
                     QStringLiteral("product"));
        addRejection("price: stale version", price(blueMug, 1000, QStringLiteral("why"), 1),
                     QStringLiteral("Blue Mug was changed by someone else since you loaded it (it is "
                                    "now at version 2, you saw version 1). Reload it and try again."),
                     QStringLiteral("version"));

        // --- RestockProduct
        addRejection("restock: unknown product", RestockProduct{testMeta(), missing, 5, {}},
                     QStringLiteral("There is no product #999."), QStringLiteral("product"));
        addRejection("restock: 0 units", RestockProduct{testMeta(), teaTowel, 0, {}},
                     QStringLiteral("Restock at least 1 unit."), QStringLiteral("quantity"));
        addRejection("restock: negative units", RestockProduct{testMeta(), teaTowel, -4, {}},
                     QStringLiteral("Restock at least 1 unit."), QStringLiteral("quantity"));
        addRejection("restock: too many units",
                     RestockProduct{testMeta(), teaTowel, Limits::maxRestockQuantity + 1, {}},
                     QStringLiteral("At most 10000 units per restock; asked for 10001."),
                     QStringLiteral("quantity"));
        addRejection("restock: discontinued product", RestockProduct{testMeta(), chefsKnife, 5, {}},
                     QStringLiteral("Chef's Knife is discontinued; it cannot be restocked."),
                     QStringLiteral("product"));
        addRejection("restock: stale version", RestockProduct{testMeta(), blueMug, 5, 1},
                     QStringLiteral("Blue Mug was changed by someone else since you loaded it (it is "
                                    "now at version 2, you saw version 1). Reload it and try again."),
                     QStringLiteral("version"));

        // --- DiscontinueProduct
        addRejection("discontinue: unknown product", DiscontinueProduct{testMeta(), missing, {}},
                     QStringLiteral("There is no product #999."), QStringLiteral("product"));
        addRejection("discontinue: twice", DiscontinueProduct{testMeta(), chefsKnife, 2},
                     QStringLiteral("Chef's Knife is already discontinued."), QStringLiteral("product"));
        addRejection("discontinue: stale version", DiscontinueProduct{testMeta(), blueMug, 3},
                     QStringLiteral("Blue Mug was changed by someone else since you loaded it (it is "
                                    "now at version 2, you saw version 3). Reload it and try again."),
                     QStringLiteral("version"));
    }

    void rejects()
    {
        QFETCH(Command, command);
        QFETCH(QString, reason);
        QFETCH(QString, field);

        const StoreSnapshot before = m_reader->snapshot();
        QVERIFY(!before.value(QStringLiteral("events")).isEmpty());
        const qint64 headBefore = m_store->bus().headPosition();
        const qint64 rejectedBefore = m_store->bus().counters().commandsRejected;

        const CommandResult result = m_store->run(command);
        QCOMPARE(statusName(result.status), statusName(CommandResult::Status::Rejected));
        QCOMPARE(result.reason, reason);
        QCOMPARE(result.field, field);
        QCOMPARE(result.commandId, metaOf(command).id);
        QVERIFY(!result.duplicate);
        QCOMPARE(result.entityId, 0);
        QCOMPARE(result.firstPosition, 0);
        QCOMPARE(result.lastPosition, 0);

        // Nothing changed: not the state, not the log, not the idempotency store.
        const StoreSnapshot after = m_reader->snapshot();
        for (const QString& table : writeTables())
            QCOMPARE(after.value(table), before.value(table));
        QCOMPARE(m_store->bus().headPosition(), headBefore);
        QCOMPARE(m_store->bus().counters().commandsRejected, rejectedBefore + 1);
    }

    void placeOrderTakesStockAndAppendsOrderPlaced()
    {
        const qint64 head = m_store->bus().headPosition();
        const qint64 ordersBefore = m_store->bus().counters().orders;
        const int notebookStock = m_reader->productStock(notebook);
        const int penStock = m_reader->productStock(fountainPen);
        const PlaceOrder command =
            order(dmitri, {line(notebook, 2, 1250), line(fountainPen, 1), line(notebook, 3)});

        const CommandResult result = m_store->run(command);
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QVERIFY(!result.duplicate);
        QVERIFY(result.entityId > 0);
        QCOMPARE(result.firstPosition, head + 1);
        QCOMPARE(result.lastPosition, head + 1);
        QCOMPARE(m_store->bus().headPosition(), head + 1);
        QCOMPARE(m_store->bus().counters().orders, ordersBefore + 1);

        // State: the order, its lines at the current prices, the stock taken.
        const qint64 total = 5 * 1250 + 3800;
        const QList<QVariantList> orderRow = m_reader->rows(
            QStringLiteral("SELECT customer_id, status, total_cents, cancelled_at_ms FROM orders WHERE id = ?"),
            {result.entityId});
        QCOMPARE(orderRow.size(), 1);
        QCOMPARE(orderRow[0][0].toLongLong(), dmitri);
        QCOMPARE(orderRow[0][1].toString(), QStringLiteral("placed"));
        QCOMPARE(orderRow[0][2].toLongLong(), total);
        QVERIFY(orderRow[0][3].isNull());
        const QList<QVariantList> lines = m_reader->rows(
            QStringLiteral("SELECT line_no, product_id, quantity, unit_price_cents FROM order_lines "
                           "WHERE order_id = ? ORDER BY line_no"),
            {result.entityId});
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], (QVariantList{1, notebook, 2, 1250}));
        QCOMPARE(lines[1], (QVariantList{2, fountainPen, 1, 3800}));
        QCOMPARE(lines[2], (QVariantList{3, notebook, 3, 1250}));
        QCOMPARE(m_reader->productStock(notebook), notebookStock - 5);
        QCOMPARE(m_reader->productStock(fountainPen), penStock - 1);

        // The event: right type, aggregate, command and payload.
        const QList<QVariantList> event = m_reader->rows(
            QStringLiteral("SELECT type, aggregate_id, command_id, origin FROM events WHERE position = ?"),
            {result.firstPosition});
        QCOMPARE(event.size(), 1);
        QCOMPARE(event[0][0].toString(), QStringLiteral("OrderPlaced"));
        QCOMPARE(event[0][1].toLongLong(), result.entityId);
        QCOMPARE(event[0][2].toString(), command.meta.id.toString(QUuid::WithoutBraces));
        QCOMPARE(event[0][3].toString(), QStringLiteral("test"));
        const QJsonObject payload = m_reader->eventPayload(result.firstPosition);
        QCOMPARE(payload.value(QStringLiteral("orderId")).toInteger(), result.entityId);
        QCOMPARE(payload.value(QStringLiteral("customerId")).toInteger(), dmitri);
        QCOMPARE(payload.value(QStringLiteral("customerName")).toString(), QStringLiteral("Dmitri Becker"));
        QCOMPARE(payload.value(QStringLiteral("totalCents")).toInteger(), total);
        const QJsonArray payloadLines = payload.value(QStringLiteral("lines")).toArray();
        QCOMPARE(payloadLines.size(), 3);
        const QJsonObject first = payloadLines[0].toObject();
        QCOMPARE(first.value(QStringLiteral("productId")).toInteger(), notebook);
        QCOMPARE(first.value(QStringLiteral("sku")).toString(), QStringLiteral("OFF-001"));
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("Notebook A5"));
        QCOMPARE(first.value(QStringLiteral("category")).toString(), QStringLiteral("Office"));
        QCOMPARE(first.value(QStringLiteral("quantity")).toInt(), 2);
        QCOMPARE(first.value(QStringLiteral("unitPriceCents")).toInteger(), 1250);
        QCOMPARE(first.value(QStringLiteral("stockAfter")).toInt(), notebookStock - 2);
        QCOMPARE(payloadLines[1].toObject().value(QStringLiteral("stockAfter")).toInt(), penStock - 1);
        // The second line for the same product continues from the first.
        QCOMPARE(payloadLines[2].toObject().value(QStringLiteral("stockAfter")).toInt(), notebookStock - 5);

        // The answer is remembered for idempotent replies.
        QCOMPARE(m_reader->scalar(QStringLiteral("SELECT kind FROM processed_commands WHERE command_id = ?"),
                                  {command.meta.id.toString(QUuid::WithoutBraces)})
                     .toString(),
                 QStringLiteral("PlaceOrder"));
    }

    void placeOrderAtTheLimitsIsAccepted()
    {
        // Exactly the stock left, with the price the customer saw.
        CommandResult result = m_store->run(order(alice, {line(blueMug, 3, 950)}));
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(m_reader->productStock(blueMug), 0);
        QCOMPARE(m_reader->eventPayload(result.firstPosition)
                     .value(QStringLiteral("lines")).toArray()[0].toObject()
                     .value(QStringLiteral("stockAfter")).toInt(),
                 0);
        // Now it is out of stock rather than short.
        result = m_store->run(order(alice, {line(blueMug, 1)}));
        QCOMPARE(result.reason, QStringLiteral("Blue Mug is out of stock."));

        // 100 per line and 20 lines are allowed.
        result = m_store->run(order(alice, {line(stickyNotes, Limits::maxQuantityPerLine)}));
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        result = m_store->run(order(alice, QList<OrderLineRequest>(Limits::maxLinesPerOrder, line(stickyNotes, 1))));
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(m_reader->scalar(QStringLiteral("SELECT COUNT(*) FROM order_lines WHERE order_id = ?"),
                                  {result.entityId})
                     .toInt(),
                 Limits::maxLinesPerOrder);
    }

    void cancelOrderReturnsStock()
    {
        const int notebookStock = m_reader->productStock(notebook);
        const int penStock = m_reader->productStock(fountainPen);
        const qint64 head = m_store->bus().headPosition();
        const qint64 cancelledBefore = m_store->bus().counters().ordersCancelled;

        const CommandResult result =
            m_store->run(CancelOrder{testMeta(), m_openOrder, QStringLiteral("  Changed   my mind ")});
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(result.entityId, m_openOrder);
        QCOMPARE(result.firstPosition, head + 1);
        QCOMPARE(m_store->bus().counters().ordersCancelled, cancelledBefore + 1);

        const QList<QVariantList> orderRow = m_reader->rows(
            QStringLiteral("SELECT status, cancelled_at_ms FROM orders WHERE id = ?"), {m_openOrder});
        QCOMPARE(orderRow[0][0].toString(), QStringLiteral("cancelled"));
        QVERIFY(!orderRow[0][1].isNull());
        QCOMPARE(m_reader->productStock(notebook), notebookStock + 2);
        QCOMPARE(m_reader->productStock(fountainPen), penStock + 1);

        QCOMPARE(m_reader->eventType(result.firstPosition), QStringLiteral("OrderCancelled"));
        const QJsonObject payload = m_reader->eventPayload(result.firstPosition);
        QCOMPARE(payload.value(QStringLiteral("orderId")).toInteger(), m_openOrder);
        QCOMPARE(payload.value(QStringLiteral("customerId")).toInteger(), alice);
        QCOMPARE(payload.value(QStringLiteral("reason")).toString(), QStringLiteral("Changed my mind"));
        QCOMPARE(payload.value(QStringLiteral("totalCents")).toInteger(), 2 * 1250 + 3800);
        const QJsonArray lines = payload.value(QStringLiteral("lines")).toArray();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].toObject().value(QStringLiteral("stockAfter")).toInt(), notebookStock + 2);
        QCOMPARE(lines[1].toObject().value(QStringLiteral("stockAfter")).toInt(), penStock + 1);
    }

    void changePriceBumpsVersion()
    {
        const CommandResult result = m_store->run(
            ChangeProductPrice{testMeta(), teaTowel, 649, QStringLiteral(" Cotton  costs "), 1});
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(result.entityId, teaTowel);
        const QList<QVariantList> row = m_reader->rows(
            QStringLiteral("SELECT price_cents, version FROM products WHERE id = ?"), {teaTowel});
        QCOMPARE(row[0], (QVariantList{649, 2}));
        QCOMPARE(m_reader->eventType(result.firstPosition), QStringLiteral("ProductPriceChanged"));
        const QJsonObject payload = m_reader->eventPayload(result.firstPosition);
        QCOMPARE(payload.value(QStringLiteral("oldPriceCents")).toInteger(), 599);
        QCOMPARE(payload.value(QStringLiteral("newPriceCents")).toInteger(), 649);
        QCOMPARE(payload.value(QStringLiteral("reason")).toString(), QStringLiteral("Cotton costs"));
        QCOMPARE(payload.value(QStringLiteral("version")).toInt(), 2);

        // The version the caller saw is now stale; the new one works.
        QCOMPARE(m_store->run(RestockProduct{testMeta(), teaTowel, 1, 1}).field, QStringLiteral("version"));
        QVERIFY(m_store->run(RestockProduct{testMeta(), teaTowel, 1, 2}).accepted());
        // Orders placed from now on use the new price.
        const CommandResult placed = m_store->run(order(alice, {line(teaTowel, 2, 649)}));
        QVERIFY2(placed.accepted(), qPrintable(placed.reason));
        QCOMPARE(m_reader->scalar(QStringLiteral("SELECT total_cents FROM orders WHERE id = ?"), {placed.entityId})
                     .toLongLong(),
                 2 * 649);
    }

    void restockAddsStockAndBumpsVersion()
    {
        const CommandResult result =
            m_store->run(RestockProduct{testMeta(), espressoCups, Limits::maxRestockQuantity, 1});
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(result.entityId, espressoCups);
        const QList<QVariantList> row = m_reader->rows(
            QStringLiteral("SELECT stock, version FROM products WHERE id = ?"), {espressoCups});
        QCOMPARE(row[0], (QVariantList{Limits::maxRestockQuantity, 2}));
        QCOMPARE(m_reader->eventType(result.firstPosition), QStringLiteral("ProductRestocked"));
        const QJsonObject payload = m_reader->eventPayload(result.firstPosition);
        QCOMPARE(payload.value(QStringLiteral("quantity")).toInt(), Limits::maxRestockQuantity);
        QCOMPARE(payload.value(QStringLiteral("stockAfter")).toInt(), Limits::maxRestockQuantity);
        QCOMPARE(payload.value(QStringLiteral("version")).toInt(), 2);
        QVERIFY(m_store->run(order(alice, {line(espressoCups, 1)})).accepted());
    }

    void discontinueBumpsVersionAndStopsOrders()
    {
        const CommandResult result = m_store->run(DiscontinueProduct{testMeta(), deskLamp, 1});
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(result.entityId, deskLamp);
        const QList<QVariantList> row = m_reader->rows(
            QStringLiteral("SELECT discontinued, version FROM products WHERE id = ?"), {deskLamp});
        QCOMPARE(row[0], (QVariantList{1, 2}));
        QCOMPARE(m_reader->eventType(result.firstPosition), QStringLiteral("ProductDiscontinued"));
        QCOMPARE(m_reader->eventPayload(result.firstPosition).value(QStringLiteral("version")).toInt(), 2);
        QCOMPARE(m_store->run(order(alice, {line(deskLamp, 1)})).field, QStringLiteral("line:0:product"));
    }

    void registerCustomerNormalizesInput()
    {
        const qint64 customersBefore = m_store->bus().counters().customers;
        CommandResult result = m_store->run(RegisterCustomer{
            testMeta(), QStringLiteral("  Ada   Lovelace "), QStringLiteral(" ada@example.org "), QStringLiteral(" London ")});
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(result.entityId, customersBefore + 1);
        QCOMPARE(m_store->bus().counters().customers, customersBefore + 1);
        const QList<QVariantList> row = m_reader->rows(
            QStringLiteral("SELECT name, email, city FROM customers WHERE id = ?"), {result.entityId});
        QCOMPARE(row[0], (QVariantList{QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.org"),
                                       QStringLiteral("London")}));
        QCOMPARE(m_reader->eventType(result.firstPosition), QStringLiteral("CustomerRegistered"));
        const QJsonObject payload = m_reader->eventPayload(result.firstPosition);
        QCOMPARE(payload.value(QStringLiteral("customerId")).toInteger(), result.entityId);
        QCOMPARE(payload.value(QStringLiteral("name")).toString(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(payload.value(QStringLiteral("email")).toString(), QStringLiteral("ada@example.org"));

        // The e-mail address and city are optional (a default-constructed
        // QString must not reach the NOT NULL columns as SQL NULL).
        result = m_store->run(RegisterCustomer{testMeta(), QStringLiteral("Grace"), {}, {}});
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        QCOMPARE(m_reader->scalar(QStringLiteral("SELECT COUNT(*) FROM customers "
                                                 "WHERE id = ? AND email = '' AND city = ''"),
                                  {result.entityId})
                     .toInt(),
                 1);
        // The new customer can order.
        QVERIFY(m_store->run(order(result.entityId, {line(notebook, 1)})).accepted());
    }

    void addProductListsIt()
    {
        const CommandResult result = m_store->run(AddProduct{testMeta(), QStringLiteral(" NEW-001 "),
                                                             QStringLiteral("Green  Mug"),
                                                             QStringLiteral("Kitchen"), 900, 0});
        QVERIFY2(result.accepted(), qPrintable(result.reason));
        const QList<QVariantList> row = m_reader->rows(
            QStringLiteral("SELECT sku, name, price_cents, stock, discontinued, version FROM products WHERE id = ?"),
            {result.entityId});
        QCOMPARE(row[0], (QVariantList{QStringLiteral("NEW-001"), QStringLiteral("Green Mug"), 900, 0, 0, 1}));
        QCOMPARE(m_reader->eventType(result.firstPosition), QStringLiteral("ProductAdded"));
        const QJsonObject payload = m_reader->eventPayload(result.firstPosition);
        QCOMPARE(payload.value(QStringLiteral("sku")).toString(), QStringLiteral("NEW-001"));
        QCOMPARE(payload.value(QStringLiteral("stock")).toInt(), 0);
        // Listed with no stock: it exists, but cannot be ordered yet.
        QCOMPARE(m_store->run(order(alice, {line(result.entityId, 1)})).reason,
                 QStringLiteral("Green Mug is out of stock."));
    }

    void eventLogStaysGapFree()
    {
        // After all the rejections and acceptances above, positions are 1..N.
        const QList<qint64> positions = m_reader->positions();
        QCOMPARE(positions.size(), m_store->bus().headPosition());
        for (qsizetype i = 0; i < positions.size(); ++i)
            QCOMPARE(positions[i], i + 1);
    }
};

QTEST_GUILESS_MAIN(TestWriteRules)
#include "tst_writerules.moc"
