#include "write/handlers/placeorderhandler.h"

#include "util/money.h"
#include "write/eventoutbox.h"
#include "write/handlers/commandcontext.h"
#include "write/handlers/productloader.h"

#include <QVarLengthArray>

namespace cqrs {

namespace {

QString lineField(qsizetype index, const char* part)
{
    return QStringLiteral("line:%1:%2").arg(index).arg(QLatin1StringView(part));
}

} // namespace

PlaceOrderHandler::PlaceOrderHandler(sqlite3* db)
    : m_customerName(db, "SELECT name FROM customers WHERE id = ?")
    , m_product(db, "SELECT sku, name, category, price_cents, stock, discontinued "
                    "FROM products WHERE id = ?")
    , m_insertOrder(db, "INSERT INTO orders (customer_id, status, placed_at_ms, total_cents) "
                        "VALUES (?, 'placed', ?, ?)")
    , m_insertLine(db, "INSERT INTO order_lines (order_id, line_no, product_id, quantity, "
                       "unit_price_cents) VALUES (?, ?, ?, ?, ?)")
    , m_takeStock(db, "UPDATE products SET stock = stock - ? WHERE id = ?")
{
}

PlaceOrderHandler::~PlaceOrderHandler() = default;

const SqliteStatement* PlaceOrderHandler::invalid() const
{
    for (const SqliteStatement* statement :
         {&m_customerName, &m_product, &m_insertOrder, &m_insertLine, &m_takeStock}) {
        if (!statement->isValid())
            return statement;
    }
    return nullptr;
}

CommandResult PlaceOrderHandler::handle(const PlaceOrder& command, CommandContext& context)
{
    QString error;
    if (command.customerId <= 0)
        return CommandResult::rejected(QStringLiteral("Choose a customer for the order."),
                                       QStringLiteral("customer"));

    // Keys in QJsonObject's (sorted) order; see JsonWriter.
    JsonWriter json = context.outbox.payload();
    json.beginObject().key("customerId").value(command.customerId);
    {
        SqliteStatement& customer = m_customerName;
        customer.bind(1, command.customerId);
        const SqliteStatement::Step step = customer.step();
        if (step == SqliteStatement::Step::Error) {
            error = customer.error();
            customer.reset();
            return storeFailure(error);
        }
        if (step == SqliteStatement::Step::Done) {
            customer.reset();
            return CommandResult::rejected(
                QStringLiteral("There is no customer #%1.").arg(command.customerId),
                QStringLiteral("customer"));
        }
        json.key("customerName").valueUtf8(customer.text(0));
        customer.reset();
    }
    if (command.lines.isEmpty())
        return CommandResult::rejected(QStringLiteral("An order needs at least one line."),
                                       QStringLiteral("lines"));
    if (command.lines.size() > Limits::maxLinesPerOrder)
        return CommandResult::rejected(
            QStringLiteral("An order can have at most %1 lines; this one has %2.")
                .arg(Limits::maxLinesPerOrder)
                .arg(command.lines.size()),
            QStringLiteral("lines"));

    struct LinePrice
    {
        qint64 productId;
        qint64 unitPriceCents;
    };
    QVarLengthArray<LinePrice, Limits::maxLinesPerOrder> prices;
    qint64 totalCents = 0;
    json.key("lines").beginArray();
    SqliteStatement& product = m_product;
    for (qsizetype i = 0; i < command.lines.size(); ++i) {
        const OrderLineRequest& line = command.lines.at(i);
        product.bind(1, line.productId);
        const SqliteStatement::Step step = product.step();
        if (step != SqliteStatement::Step::Row) {
            if (step == SqliteStatement::Step::Error) {
                error = product.error();
                product.reset();
                return storeFailure(error);
            }
            product.reset();
            return ProductLoader::unknownProduct(line.productId, lineField(i, "product"));
        }
        // Columns: sku, name, category, price_cents, stock, discontinued.
        const qint64 priceCents = product.int64(3);
        const qint64 stock = product.int64(4);
        const auto rejected = [&](const QString& reason, const char* part) {
            product.reset();
            return CommandResult::rejected(reason, lineField(i, part));
        };
        const auto name = [&product] { return QString::fromUtf8(product.text(1)); };
        if (line.quantity <= 0)
            return rejected(QStringLiteral("The quantity of %1 must be at least 1.").arg(name()),
                            "quantity");
        if (line.quantity > Limits::maxQuantityPerLine)
            return rejected(QStringLiteral("At most %1 × %2 per line; this line asks for %3.")
                                .arg(Limits::maxQuantityPerLine)
                                .arg(name())
                                .arg(line.quantity),
                            "quantity");
        if (product.int64(5) != 0)
            return rejected(
                QStringLiteral("%1 is discontinued and can no longer be ordered.").arg(name()),
                "product");
        if (line.shownUnitPriceCents && *line.shownUnitPriceCents != priceCents) {
            CommandResult stale =
                rejected(QStringLiteral("The price of %1 changed from %2 to %3.")
                             .arg(name(), formatCents(*line.shownUnitPriceCents),
                                  formatCents(priceCents)),
                         "price");
            stale.currentPriceCents = priceCents;
            return stale;
        }
        // Several lines may name the same product: they share its stock.
        qint64 wanted = line.quantity;
        for (qsizetype j = 0; j < i; ++j) {
            if (command.lines.at(j).productId == line.productId)
                wanted += command.lines.at(j).quantity;
        }
        if (wanted > stock) {
            const QString reason = stock == 0
                                       ? QStringLiteral("%1 is out of stock.").arg(name())
                                       : QStringLiteral("Not enough stock: only %1 %2 left.")
                                             .arg(stock)
                                             .arg(name());
            return rejected(reason, "quantity");
        }
        json.beginObject()
            .key("category").valueUtf8(product.text(2))
            .key("name").valueUtf8(product.text(1))
            .key("productId").value(line.productId)
            .key("quantity").value(line.quantity)
            .key("sku").valueUtf8(product.text(0))
            .key("stockAfter").value(stock - wanted)
            .key("unitPriceCents").value(priceCents)
            .endObject();
        product.reset();
        prices.append({line.productId, priceCents});
        totalCents += priceCents * line.quantity;
    }
    json.endArray();

    m_insertOrder.bind(1, command.customerId).bind(2, context.nowMs).bind(3, totalCents);
    if (!m_insertOrder.exec(&error))
        return storeFailure(error);
    const qint64 orderId = m_insertOrder.lastInsertRowId();

    for (qsizetype i = 0; i < command.lines.size(); ++i) {
        const OrderLineRequest& line = command.lines.at(i);
        m_insertLine.bind(1, orderId)
            .bind(2, i + 1)
            .bind(3, line.productId)
            .bind(4, line.quantity)
            .bind(5, prices.at(i).unitPriceCents);
        m_takeStock.bind(1, line.quantity).bind(2, line.productId);
        if (!m_insertLine.exec(&error) || !m_takeStock.exec(&error)) {
            m_takeStock.reset();
            return storeFailure(error);
        }
    }
    json.key("orderId").value(orderId)
        .key("placedAtMs").value(context.nowMs)
        .key("totalCents").value(totalCents)
        .endObject();
    if (!context.outbox.append(EventType::OrderPlaced, orderId, &error))
        return storeFailure(error);
    ++context.counters.orders;
    return CommandResult::acceptedFor(orderId);
}

} // namespace cqrs
