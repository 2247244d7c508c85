#include "rawfold.h"

#include "rawdatabase.h"
#include "rawstatement.h"

namespace cqrs::bench {

qint64 rawFoldOrderSummary(const QString& writeDbPath, const QString& readDbPath, int batch)
{
    RawDatabase log(writeDbPath);
    RawDatabase store(readDbPath);
    store.exec("CREATE TABLE IF NOT EXISTS raw_order_summary ("
               " order_id INTEGER PRIMARY KEY,"
               " customer_id INTEGER NOT NULL,"
               " customer_name TEXT NOT NULL,"
               " line_count INTEGER NOT NULL,"
               " item_count INTEGER NOT NULL,"
               " total_cents INTEGER NOT NULL,"
               " status TEXT NOT NULL,"
               " placed_at_ms INTEGER NOT NULL,"
               " last_position INTEGER NOT NULL)");
    store.exec("CREATE TABLE IF NOT EXISTS raw_checkpoint (id INTEGER PRIMARY KEY, position INTEGER)");
    store.exec("INSERT OR REPLACE INTO raw_checkpoint VALUES (1, 0)");

    // The reader decodes only what the view needs; other event types pass
    // through (they still move the checkpoint, like in the projector).
    RawStatement read(log,
                      "SELECT position, type, aggregate_id,"
                      " CASE type WHEN 'OrderPlaced' THEN json_extract(payload, '$.customerId') END,"
                      " CASE type WHEN 'OrderPlaced' THEN json_extract(payload, '$.customerName') END,"
                      " CASE type WHEN 'OrderPlaced' THEN json_array_length(payload, '$.lines') END,"
                      " CASE type WHEN 'OrderPlaced' THEN (SELECT SUM(json_extract(value, '$.quantity'))"
                      "   FROM json_each(payload, '$.lines')) END,"
                      " CASE type WHEN 'OrderPlaced' THEN json_extract(payload, '$.totalCents') END,"
                      " CASE type WHEN 'OrderPlaced' THEN json_extract(payload, '$.placedAtMs') END"
                      " FROM events WHERE position > ? ORDER BY position LIMIT ?");
    RawStatement begin(store, "BEGIN IMMEDIATE");
    RawStatement commit(store, "COMMIT");
    RawStatement insert(store,
                        "INSERT INTO raw_order_summary (order_id, customer_id, customer_name, "
                        "line_count, item_count, total_cents, status, placed_at_ms, last_position) "
                        "VALUES (?, ?, ?, ?, ?, ?, 'placed', ?, ?)");
    RawStatement cancel(store, "UPDATE raw_order_summary SET status = 'cancelled', last_position = ? "
                               "WHERE order_id = ?");
    RawStatement checkpoint(store, "UPDATE raw_checkpoint SET position = ? WHERE id = 1");

    qint64 position = 0;
    qint64 folded = 0;
    while (true) {
        read.bind(1, position).bind(2, batch);
        begin.run();
        int rows = 0;
        while (read.step()) {
            ++rows;
            position = read.int64(0);
            const std::string_view type = read.text(1);
            if (type == "OrderPlaced") {
                insert.bind(1, read.int64(2))
                    .bind(2, read.int64(3))
                    .bind(3, read.text(4))
                    .bind(4, read.int64(5))
                    .bind(5, read.int64(6))
                    .bind(6, read.int64(7))
                    .bind(7, read.int64(8))
                    .bind(8, position)
                    .run();
            } else if (type == "OrderCancelled") {
                cancel.bind(1, position).bind(2, read.int64(2)).run();
            }
        }
        read.reset();
        checkpoint.bind(1, position).run();
        commit.run();
        folded += rows;
        if (rows < batch)
            break;
    }
    return folded;
}

} // namespace cqrs::bench
