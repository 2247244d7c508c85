#include "rawwritestore.h"

#include "events/event.h"
#include "util/monotonicclock.h"

#include <charconv>

namespace cqrs::bench {

std::string jsonString(const QString& text)
{
    std::string out = "\"";
    for (const char c : text.toStdString()) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    out += '"';
    return out;
}

namespace {

void append(std::string& out, qint64 value)
{
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out.append(buffer, end);
}

} // namespace

RawWriteStore::RawWriteStore(const QString& path, const CatalogSnapshot& catalog)
    : m_db(path)
{
    for (const ProductInfo& p : catalog.products)
        m_products.insert(p.id, {jsonString(p.sku), jsonString(p.name), jsonString(p.category),
                                 p.priceCents, p.stock});
    for (const CustomerInfo& c : catalog.customers)
        m_customers.insert(c.id, {jsonString(c.name)});
    RawStatement head(m_db, "SELECT COALESCE(MAX(position), 0) FROM events");
    if (head.step())
        m_head = head.int64(0);
    m_begin = std::make_unique<RawStatement>(m_db, "BEGIN IMMEDIATE");
    m_commit = std::make_unique<RawStatement>(m_db, "COMMIT");
    m_insertOrder = std::make_unique<RawStatement>(
        m_db, "INSERT INTO orders (customer_id, status, placed_at_ms, total_cents) "
              "VALUES (?, 'placed', ?, ?)");
    m_insertLine = std::make_unique<RawStatement>(
        m_db, "INSERT INTO order_lines (order_id, line_no, product_id, quantity, unit_price_cents) "
              "VALUES (?, ?, ?, ?, ?)");
    m_takeStock =
        std::make_unique<RawStatement>(m_db, "UPDATE products SET stock = stock - ? WHERE id = ?");
    m_insertEvent = std::make_unique<RawStatement>(
        m_db, "INSERT INTO events (position, type, aggregate_id, payload, committed_at_ms, "
              "committed_mono_ns, command_id, origin) VALUES (?, 'OrderPlaced', ?, ?, ?, ?, ?, ?)");
    m_remember = std::make_unique<RawStatement>(
        m_db, "INSERT INTO processed_commands (command_id, kind, result, processed_at_ms) "
              "VALUES (?, 'PlaceOrder', ?, ?)");
}

void RawWriteStore::begin() { m_begin->run(); }
void RawWriteStore::commit() { m_commit->run(); }

void RawWriteStore::placeOrder(const PlaceOrder& order)
{
    const qint64 nowMs = wallNowMs();
    const qint64 nowNs = monotonicNowNs();
    const Customer& customer = m_customers[order.customerId];
    qint64 total = 0;
    for (const OrderLineRequest& line : order.lines)
        total += m_products[line.productId].priceCents * line.quantity;

    m_insertOrder->bind(1, order.customerId).bind(2, nowMs).bind(3, total).run();
    const qint64 orderId = m_db.lastInsertRowId();

    // Keys in the order QJsonObject writes them (sorted), so the payload
    // has the very bytes the lab stores.
    m_payload.clear();
    m_payload += "{\"customerId\":";
    append(m_payload, order.customerId);
    m_payload += ",\"customerName\":";
    m_payload += customer.name;
    m_payload += ",\"lines\":[";
    for (qsizetype i = 0; i < order.lines.size(); ++i) {
        const OrderLineRequest& line = order.lines.at(i);
        Product& product = m_products[line.productId];
        m_insertLine->bind(1, orderId)
            .bind(2, i + 1)
            .bind(3, line.productId)
            .bind(4, line.quantity)
            .bind(5, product.priceCents)
            .run();
        m_takeStock->bind(1, line.quantity).bind(2, line.productId).run();
        product.stock -= line.quantity;
        if (i > 0)
            m_payload += ',';
        m_payload += "{\"category\":";
        m_payload += product.category;
        m_payload += ",\"name\":";
        m_payload += product.name;
        m_payload += ",\"productId\":";
        append(m_payload, line.productId);
        m_payload += ",\"quantity\":";
        append(m_payload, line.quantity);
        m_payload += ",\"sku\":";
        m_payload += product.sku;
        m_payload += ",\"stockAfter\":";
        append(m_payload, product.stock);
        m_payload += ",\"unitPriceCents\":";
        append(m_payload, product.priceCents);
        m_payload += '}';
    }
    m_payload += "],\"orderId\":";
    append(m_payload, orderId);
    m_payload += ",\"placedAtMs\":";
    append(m_payload, nowMs);
    m_payload += ",\"totalCents\":";
    append(m_payload, total);
    m_payload += '}';

    const qint64 position = ++m_head;
    m_commandId = order.meta.id.toString(QUuid::WithoutBraces).toStdString();
    m_insertEvent->bind(1, position)
        .bind(2, orderId)
        .bind(3, m_payload)
        .bind(4, nowMs)
        .bind(5, nowNs)
        .bind(6, m_commandId)
        .bind(7, "simulator")
        .run();

    m_result.clear();
    m_result += "{\"commandId\":\"";
    m_result += m_commandId;
    m_result += "\",\"entityId\":";
    append(m_result, orderId);
    m_result += ",\"field\":\"\",\"firstPosition\":";
    append(m_result, position);
    m_result += ",\"lastPosition\":";
    append(m_result, position);
    m_result += ",\"reason\":\"\",\"status\":\"accepted\"}";
    m_remember->bind(1, m_commandId).bind(2, m_result).bind(3, nowMs).run();
}

} // namespace cqrs::bench
