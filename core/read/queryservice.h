#pragma once

#include "read/queryresults.h"
#include "read/receipt.h"

#include <QFuture>
#include <QString>

#include <functional>
#include <memory>

namespace cqrs {

class ProjectionBoard;
class QueryConnections;
class ReceiptRecorder;

/// Answers dashboard queries off the caller's thread: a small pool of
/// worker threads, each with its own read connections, returning value
/// snapshots through futures. Any client can use it (widgets, the headless
/// run, a future HTTP API).
///
/// In CRUD mode queries join and aggregate the write tables; in the CQRS
/// modes they read the precomputed views (in write.db or in read.db).
/// Read-your-writes waits on the projection board until the view has
/// applied the caller's position, or reports "still catching up" at the
/// deadline; it never hangs.
class QueryService final {
public:
    explicit QueryService(const ProjectionBoard* board, int threadCount = 3);
    ~QueryService();
    QueryService(const QueryService&) = delete;
    QueryService& operator=(const QueryService&) = delete;

    /// Where to read from; thread-safe, takes effect for the next query.
    void setStores(ArchitectureMode mode, const QString& writeDbPath, const QString& readDbPath);
    ArchitectureMode mode() const;

    QFuture<OrderPage> recentOrders(int limit, const ReadOptions& options = {});
    QFuture<OrderLookup> order(qint64 orderId, const ReadOptions& options = {});
    QFuture<CustomerStatsResult> customerStats(const ReadOptions& options = {});
    QFuture<ProductSalesResult> productSales(const ReadOptions& options = {});
    /// The newest `seconds` per-second buckets, oldest first.
    QFuture<RevenueSeries> revenue(int seconds, const ReadOptions& options = {});
    QFuture<SearchResult> search(const QString& text, int limit, const ReadOptions& options = {});
    /// The rows of every view in the store the queries read now (CQRS
    /// modes; in CRUD the store the projectors keep warm).
    QFuture<ViewRowCounts> viewRows();
    /// The event at `position` from the log, and its recorded times.
    QFuture<ConsistencyReceipt> receipt(qint64 position);
    /// The receipt of the event that placed order `orderId`.
    QFuture<ConsistencyReceipt> orderReceipt(qint64 orderId);

    /// Where the receipts' times are kept, and where read-your-writes
    /// queries note how long they waited (null: nowhere). Set before the
    /// first query; it must outlive the service.
    void setReceipts(ReceiptRecorder* receipts);

    /// Stops the workers after the queued queries are answered.
    void stop();

private:
    /// The receipt of the event `where` (with one `?`, bound to `key`) finds.
    QFuture<ConsistencyReceipt> receiptOf(const QString& where, qint64 key);

    class Pool;
    std::unique_ptr<Pool> m_pool;
};

} // namespace cqrs
