// The write model builds the JSON it stores (event payloads, idempotency
// answers) by hand and binds the hottest statements through SQLite's C API.
// Whatever it stores must be what QJsonDocument would have written (so the
// log looks the same to every reader), parse back to the values the command
// carried, and name the command by QUuid's own text.
#include "testsupport.h"

#include <QJsonArray>
#include <QTest>

using namespace cqrs;
using namespace cqrs::test;

namespace {

// Text that needs every kind of escaping, and more than one UTF-8 length.
const QString trickyName = QStringLiteral("Zoë \"The Mug\" O\\Neil \u0001 Кружка 茶杯 😀");
const QString trickyReason = QStringLiteral("Supplier said \"no\"\\ again, tab\there 😀");

} // namespace

class TestStoredJson final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStoredJsonIsQJsonDocumentCompactText()
    {
        TempStore store;
        QVERIFY(store.dirValid());
        const StoreInfo info = store.open();
        QVERIFY2(info.ok, qPrintable(info.error));

        const CommandResult customer = store.run(RegisterCustomer{
            testMeta(), trickyName, QStringLiteral("zoe@example.org"), QStringLiteral("Kraków")});
        QVERIFY2(customer.accepted(), qPrintable(customer.reason));
        const CommandResult product = store.run(AddProduct{
            testMeta(), QStringLiteral("SKU-\"1\"\\é"), trickyName, QStringLiteral("Küche & \"Tisch\""),
            1999, 50});
        QVERIFY2(product.accepted(), qPrintable(product.reason));

        const PlaceOrder placeOrder = order(customer.entityId, {line(product.entityId, 2, 1999),
                                                                line(1, 1),
                                                                line(product.entityId, 3)});
        const CommandResult placed = store.run(placeOrder);
        QVERIFY2(placed.accepted(), qPrintable(placed.reason));
        QCOMPARE(placed.firstPosition, placed.lastPosition);
        QVERIFY(store.run(CancelOrder{testMeta(), placed.entityId, trickyReason}).accepted());
        QVERIFY(store.run(ChangeProductPrice{testMeta(), product.entityId, 2499, trickyReason, {}})
                    .accepted());
        QVERIFY(store.run(RestockProduct{testMeta(), product.entityId, 10, {}}).accepted());
        QVERIFY(store.run(DiscontinueProduct{testMeta(), product.entityId, {}}).accepted());
        store.closeBus();

        StoreReader reader(store.path());
        QVERIFY2(reader.isOpen(), qPrintable(reader.lastError()));
        const auto checkCanonical = [](const QString& what, const QByteArray& text) {
            QJsonParseError error;
            const QJsonDocument parsed = QJsonDocument::fromJson(text, &error);
            if (error.error != QJsonParseError::NoError || !parsed.isObject()) {
                qWarning("%s does not parse: %s", qPrintable(what), text.constData());
                return false;
            }
            if (parsed.toJson(QJsonDocument::Compact) != text) {
                qWarning("%s is not QJsonDocument's text:\n stored %s\n    Qt %s", qPrintable(what),
                         text.constData(), parsed.toJson(QJsonDocument::Compact).constData());
                return false;
            }
            return true;
        };
        const QList<QVariantList> events =
            reader.rows(QStringLiteral("SELECT position, payload, typeof(payload) FROM events"));
        QVERIFY(events.size() > 7); // the demo data, then the seven commands above
        for (const QVariantList& row : events) {
            QCOMPARE(row.at(2).toString(), QStringLiteral("text"));
            QVERIFY(checkCanonical(QStringLiteral("event %1").arg(row.at(0).toLongLong()),
                                   row.at(1).toByteArray()));
        }
        const QList<QVariantList> answers = reader.rows(QStringLiteral(
            "SELECT command_id, result, typeof(command_id), typeof(result) FROM processed_commands"));
        QCOMPARE(answers.size(), events.size()); // one event per accepted command here
        for (const QVariantList& row : answers) {
            QCOMPARE(row.at(2).toString(), QStringLiteral("text"));
            QCOMPARE(row.at(3).toString(), QStringLiteral("text"));
            const QByteArray text = row.at(1).toByteArray();
            QVERIFY(checkCanonical(QStringLiteral("answer to %1").arg(row.at(0).toString()), text));
            const CommandResult answer = CommandResult::fromJson(QJsonDocument::fromJson(text).object());
            QCOMPARE(answer.commandId.toString(QUuid::WithoutBraces), row.at(0).toString());
        }

        // The order's event: names straight from SQLite's UTF-8, parsed back.
        const QString orderId = placeOrder.meta.id.toString(QUuid::WithoutBraces);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT command_id FROM events WHERE position = ?"),
                               {placed.lastPosition})
                     .toString(),
                 orderId);
        QCOMPARE(reader.scalar(QStringLiteral("SELECT origin FROM events WHERE position = ?"),
                               {placed.lastPosition})
                     .toString(),
                 QStringLiteral("test"));
        QCOMPARE(reader.eventType(placed.lastPosition), QStringLiteral("OrderPlaced"));
        const QJsonObject payload = reader.eventPayload(placed.lastPosition);
        QCOMPARE(payload.value(QStringLiteral("customerName")).toString(), trickyName);
        QCOMPARE(payload.value(QStringLiteral("orderId")).toInteger(), placed.entityId);
        const QJsonArray lines = payload.value(QStringLiteral("lines")).toArray();
        QCOMPARE(lines.size(), 3);
        const QJsonObject first = lines.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("name")).toString(), trickyName);
        QCOMPARE(first.value(QStringLiteral("sku")).toString(), QStringLiteral("SKU-\"1\"\\é"));
        QCOMPARE(first.value(QStringLiteral("category")).toString(), QStringLiteral("Küche & \"Tisch\""));
        QCOMPARE(first.value(QStringLiteral("stockAfter")).toInteger(), 48);
        // Two lines of the same product share its stock.
        QCOMPARE(lines.at(2).toObject().value(QStringLiteral("stockAfter")).toInteger(), 45);
        const QJsonObject cancelled = reader.eventPayload(placed.lastPosition + 1);
        QCOMPARE(cancelled.value(QStringLiteral("reason")).toString(), trickyReason.simplified());
        QCOMPARE(cancelled.value(QStringLiteral("customerName")).toString(), trickyName);
    }

    void resubmittedOrderGetsTheStoredAnswer()
    {
        TempStore store;
        QVERIFY(store.dirValid());
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        const PlaceOrder placeOrder = order(1, {line(5, 1), line(6, 2)});
        const CommandResult first = store.run(placeOrder);
        QVERIFY2(first.accepted(), qPrintable(first.reason));
        store.closeBus();
        // A new session: the answer comes from processed_commands, not memory.
        QVERIFY2(store.open().ok, qPrintable(store.info().error));
        const CommandResult again = store.run(placeOrder);
        QVERIFY(again.duplicate);
        QVERIFY(again.accepted());
        QCOMPARE(again.commandId, placeOrder.meta.id);
        QCOMPARE(again.entityId, first.entityId);
        QCOMPARE(again.firstPosition, first.firstPosition);
        QCOMPARE(again.lastPosition, first.lastPosition);
    }
};

QTEST_GUILESS_MAIN(TestStoredJson)
#include "tst_storedjson.moc"
