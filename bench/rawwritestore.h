#pragma once

#include "rawdatabase.h"
#include "rawstatement.h"

#include "commands/commands.h"
#include "write/catalogsnapshot.h"

#include <QHash>

#include <memory>
#include <string>
#include <vector>

namespace cqrs::bench {

/// The baseline for PlaceOrder: the same rows the lab writes for an order
/// (order row, its lines, the stock updates, the OrderPlaced event with the
/// same JSON payload, the idempotency row), with sqlite3 prepared statements
/// and nothing else. It trusts its in-memory catalog instead of re-reading
/// customers and products, as a hand-tuned program would: it is the upper
/// bound the lab is compared with, not an equal implementation.
class RawWriteStore final
{
public:
    /// `path` is a write.db created by the lab (same schema and catalog).
    RawWriteStore(const QString& path, const CatalogSnapshot& catalog);

    void begin();
    void commit();
    /// Writes one accepted order; the caller brackets it with begin()/commit().
    void placeOrder(const PlaceOrder& order);
    /// Position of the last event written (committed once commit() returns).
    qint64 head() const { return m_head; }

private:
    struct Product
    {
        std::string sku;
        std::string name;
        std::string category;
        qint64 priceCents = 0;
        qint64 stock = 0;
    };
    struct Customer
    {
        std::string name;
    };

    RawDatabase m_db;
    std::unique_ptr<RawStatement> m_begin;
    std::unique_ptr<RawStatement> m_commit;
    std::unique_ptr<RawStatement> m_insertOrder;
    std::unique_ptr<RawStatement> m_insertLine;
    std::unique_ptr<RawStatement> m_takeStock;
    std::unique_ptr<RawStatement> m_insertEvent;
    std::unique_ptr<RawStatement> m_remember;
    QHash<qint64, Product> m_products;
    QHash<qint64, Customer> m_customers;
    qint64 m_head = 0;
    std::string m_payload;
    std::string m_result;
    std::string m_commandId;
};

/// JSON string literal (with quotes) for `text`.
std::string jsonString(const QString& text);

} // namespace cqrs::bench
