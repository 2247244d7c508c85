#include "eventloggenerator.h"

#include "rawdatabase.h"
#include "rawstatement.h"
#include "rawwritestore.h"

#include "util/monotonicclock.h"

#include <QUuid>

#include <charconv>
#include <random>
#include <vector>

namespace cqrs::bench {

namespace {

constexpr qint64 eventsPerTransaction = 20'000;
constexpr size_t rememberedOrders = 2'000;

void append(std::string& out, qint64 value)
{
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out.append(buffer, end);
}

struct Product
{
    qint64 id = 0;
    std::string sku;
    std::string name;
    std::string category;
    qint64 priceCents = 0;
    qint64 stock = 0;
    qint64 version = 1;
};

struct Line
{
    size_t product = 0;
    qint64 quantity = 0;
};

struct OpenOrder
{
    qint64 id = 0;
    size_t customer = 0;
    qint64 totalCents = 0;
    std::vector<Line> lines;
};

} // namespace

GeneratedLog generateEventLog(const QString& writeDbPath, const CatalogSnapshot& catalog,
                              qint64 count, quint32 seed)
{
    std::vector<Product> products;
    for (const ProductInfo& p : catalog.products)
        products.push_back({p.id, jsonString(p.sku), jsonString(p.name), jsonString(p.category),
                            p.priceCents, p.stock, p.version});
    std::vector<std::pair<qint64, std::string>> customers;
    for (const CustomerInfo& c : catalog.customers)
        customers.emplace_back(c.id, jsonString(c.name));
    if (products.empty() || customers.empty())
        throw BenchError(QStringLiteral("The catalog is empty; cannot generate orders."));

    RawDatabase db(writeDbPath);
    GeneratedLog log;
    {
        RawStatement head(db, "SELECT COALESCE(MAX(position), 0) FROM events");
        if (head.step())
            log.head = head.int64(0);
    }
    RawStatement insert(db, "INSERT INTO events (position, type, aggregate_id, payload, "
                            "committed_at_ms, committed_mono_ns, command_id, origin) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, 'simulator')");
    std::mt19937 random(seed);
    const auto pick = [&random](size_t size) {
        return size_t(std::uniform_int_distribution<size_t>(0, size - 1)(random));
    };
    std::vector<OpenOrder> open;
    qint64 nextOrderId = 1;
    std::string payload;
    std::string commandId;

    for (qint64 i = 0; i < count; ++i) {
        if (i % eventsPerTransaction == 0) {
            if (i > 0)
                db.exec("COMMIT");
            db.exec("BEGIN IMMEDIATE");
        }
        const qint64 nowMs = wallNowMs();
        const int roll = int(pick(100));
        payload.clear();
        const char* type = nullptr;
        qint64 aggregate = 0;
        if (roll == 0) {
            Product& product = products[pick(products.size())];
            product.stock += 300;
            ++product.version;
            type = "ProductRestocked";
            aggregate = product.id;
            payload += "{\"name\":" + product.name + ",\"productId\":";
            append(payload, product.id);
            payload += ",\"quantity\":300,\"stockAfter\":";
            append(payload, product.stock);
            payload += ",\"version\":";
            append(payload, product.version);
            payload += '}';
            ++log.restocks;
        } else if (roll <= 4 && !open.empty()) {
            const size_t index = pick(open.size());
            OpenOrder order = std::move(open[index]);
            open[index] = std::move(open.back());
            open.pop_back();
            type = "OrderCancelled";
            aggregate = order.id;
            payload += "{\"cancelledAtMs\":";
            append(payload, nowMs);
            payload += ",\"customerId\":";
            append(payload, customers[order.customer].first);
            payload += ",\"customerName\":" + customers[order.customer].second + ",\"lines\":[";
            for (size_t n = 0; n < order.lines.size(); ++n) {
                Product& product = products[order.lines[n].product];
                product.stock += order.lines[n].quantity;
                payload += n ? ",{\"name\":" : "{\"name\":";
                payload += product.name + ",\"productId\":";
                append(payload, product.id);
                payload += ",\"quantity\":";
                append(payload, order.lines[n].quantity);
                payload += ",\"stockAfter\":";
                append(payload, product.stock);
                payload += ",\"unitPriceCents\":";
                append(payload, product.priceCents);
                payload += '}';
            }
            payload += "],\"orderId\":";
            append(payload, order.id);
            payload += ",\"reason\":\"changed their mind\",\"totalCents\":";
            append(payload, order.totalCents);
            payload += '}';
            ++log.ordersCancelled;
        } else {
            // Mostly 1-3 lines, sometimes up to 6; quantity mostly 1 (as OrderMix).
            OpenOrder order;
            order.id = nextOrderId++;
            order.customer = pick(customers.size());
            const size_t lineCount = pick(10) < 8 ? 1 + pick(3) : 1 + pick(6);
            for (size_t n = 0; n < lineCount; ++n) {
                const qint64 quantity = pick(10) < 7 ? 1 : 1 + qint64(pick(4));
                order.lines.push_back({pick(products.size()), quantity});
                order.totalCents += products[order.lines.back().product].priceCents * quantity;
            }
            type = "OrderPlaced";
            aggregate = order.id;
            payload += "{\"customerId\":";
            append(payload, customers[order.customer].first);
            payload += ",\"customerName\":" + customers[order.customer].second + ",\"lines\":[";
            for (size_t n = 0; n < order.lines.size(); ++n) {
                Product& product = products[order.lines[n].product];
                product.stock -= order.lines[n].quantity;
                payload += n ? ",{\"category\":" : "{\"category\":";
                payload += product.category + ",\"name\":" + product.name + ",\"productId\":";
                append(payload, product.id);
                payload += ",\"quantity\":";
                append(payload, order.lines[n].quantity);
                payload += ",\"sku\":" + product.sku + ",\"stockAfter\":";
                append(payload, product.stock);
                payload += ",\"unitPriceCents\":";
                append(payload, product.priceCents);
                payload += '}';
            }
            payload += "],\"orderId\":";
            append(payload, order.id);
            payload += ",\"placedAtMs\":";
            append(payload, nowMs);
            payload += ",\"totalCents\":";
            append(payload, order.totalCents);
            payload += '}';
            if (open.size() >= rememberedOrders)
                open.erase(open.begin());
            open.push_back(std::move(order));
            ++log.ordersPlaced;
        }
        commandId = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
        insert.bind(1, ++log.head)
            .bind(2, std::string_view(type))
            .bind(3, aggregate)
            .bind(4, payload)
            .bind(5, nowMs)
            .bind(6, monotonicNowNs())
            .bind(7, commandId)
            .run();
    }
    if (count > 0)
        db.exec("COMMIT");
    return log;
}

} // namespace cqrs::bench
