#include "read/queryservice.h"
#include "util/threadaudit.h"

#include "metrics/receiptrecorder.h"
#include "projections/projectionboard.h"
#include "read/searchquery.h"
#include "util/sqlconnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPromise>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace cqrs {

QString architectureModeName(ArchitectureMode mode) {
    switch (mode) {
    case ArchitectureMode::Crud:
        return QStringLiteral("crud");
    case ArchitectureMode::Logical:
        return QStringLiteral("logical");
    case ArchitectureMode::Physical:
        return QStringLiteral("physical");
    }
    return {};
}

std::optional<ArchitectureMode> architectureModeFromName(const QString& name) {
    for (ArchitectureMode mode :
         {ArchitectureMode::Crud, ArchitectureMode::Logical, ArchitectureMode::Physical}) {
        if (architectureModeName(mode) == name)
            return mode;
    }
    return std::nullopt;
}

/// The read connections of one query thread, opened on first use.
class QueryConnections final {
public:
    explicit QueryConnections(bool closed = false)
        : m_closed(closed) {}
    ~QueryConnections() { m_connections.clear(); }

    QSqlDatabase database(const QString& path, QString* error) {
        if (m_closed) {
            *error = QStringLiteral("The query service is stopped.");
            return {};
        }
        auto it = m_connections.find(path);
        if (it == m_connections.end()) {
            auto connection = std::make_shared<SqlConnection>(QStringLiteral("query"), path,
                                                              SqlConnection::Role::Reader);
            if (!connection->open(error))
                return {};
            it = m_connections.insert(path, connection);
        }
        return it.value()->db();
    }

private:
    bool m_closed;
    QHash<QString, std::shared_ptr<SqlConnection>> m_connections;
};

namespace {

struct Stores {
    ArchitectureMode mode = ArchitectureMode::Physical;
    QString writeDbPath;
    QString readDbPath;

    QString pathFor(ArchitectureMode m) const {
        return m == ArchitectureMode::Physical ? readDbPath : writeDbPath;
    }
};

/// Runs `sql` with `values` bound in order and calls `row` for each result row.
bool select(const QSqlDatabase& db, const QString& sql, const QVariantList& values,
            const std::function<void(const QSqlQuery&)>& row, QString* error) {
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        *error = query.lastError().text();
        return false;
    }
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    while (query.next())
        row(query);
    return true;
}

OrderSummaryRow orderRow(const QSqlQuery& q) {
    return {q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
            q.value(3).toInt(),      q.value(4).toInt(),      q.value(5).toLongLong(),
            q.value(6).toString(),   q.value(7).toLongLong(), q.value(8).toLongLong()};
}

const QString orderViewColumns = QStringLiteral(
    "SELECT order_id, customer_id, customer_name, line_count, item_count, total_cents, status, "
    "placed_at_ms, last_position FROM rv_order_summary");
// The "before" picture: the same rows assembled from the normalized tables.
const QString orderCrudColumns = QStringLiteral(
    "SELECT o.id, o.customer_id, c.name, COUNT(l.line_no), SUM(l.quantity), o.total_cents, "
    "o.status, o.placed_at_ms, 0 FROM orders o JOIN customers c ON c.id = o.customer_id "
    "JOIN order_lines l ON l.order_id = o.id");

} // namespace

class QueryService::Pool {
public:
    using Job = std::function<void(QueryConnections&)>;

    Pool(const ProjectionBoard* projectionBoard, int threadCount)
        : board(projectionBoard) {
        for (int i = 0; i < std::max(1, threadCount); ++i) {
            QThread* thread = QThread::create([this] { run(); });
            thread->setObjectName(QStringLiteral("query-%1").arg(i));
            thread->start();
            threads.push_back(thread);
        }
    }

    ~Pool() { stop(); }

    void stop() {
        ThreadAudit::noteWait("QueryService::stop");
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        for (QThread* thread : threads) {
            thread->wait();
            delete thread;
        }
        threads.clear();
    }

    void enqueue(Job job) {
        {
            std::lock_guard lock(mutex);
            if (!stopping) {
                jobs.push_back(std::move(job));
                wake.notify_one();
                return;
            }
        }
        QueryConnections closed(true);
        job(closed); // answers at once that the service is stopped
    }

    void run() {
        QueryConnections connections;
        while (true) {
            Job job;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [this] { return stopping || !jobs.empty(); });
                if (jobs.empty())
                    return;
                job = std::move(jobs.front());
                jobs.pop_front();
            }
            job(connections);
        }
    }

    Stores stores() const {
        std::lock_guard lock(storesMutex);
        return current;
    }

    template <typename Result>
    QFuture<Result>
    submit(const ReadOptions& options, const QString& projection,
           std::function<bool(Result&, const QSqlDatabase&, ArchitectureMode, QString*)> body) {
        auto promise = std::make_shared<QPromise<Result>>();
        promise->start();
        QFuture<Result> future = promise->future();
        const Stores snapshot = stores();
        const ProjectionBoard* projections = board;
        ReceiptRecorder* waits = receipts;
        enqueue([promise, options, projection, snapshot, projections, waits,
                 body](QueryConnections& connections) {
            QElapsedTimer timer;
            timer.start();
            Result result;
            const ArchitectureMode mode = options.mode.value_or(snapshot.mode);
            result.meta.mode = mode;
            if (mode == ArchitectureMode::Crud) {
                // The write tables are always current: nothing to wait for.
                result.meta.position = projections->head();
            } else if (options.consistency == ConsistencyMode::ReadYourWrites &&
                       options.minPosition > 0) {
                const qint64 reached = projections->waitForCheckpoint(
                    projection, options.minPosition, options.timeoutMs);
                if (waits) // the receipt of that event says how long its reader waited
                    waits->readWaited(options.minPosition, timer.nsecsElapsed());
                if (reached < options.minPosition) {
                    result.meta.stillCatchingUp = true;
                    result.meta.message =
                        QStringLiteral("Still catching up: this view has applied event %1, your "
                                       "change is event %2 (waited %3 ms).")
                            .arg(reached)
                            .arg(options.minPosition)
                            .arg(options.timeoutMs);
                }
                result.meta.position = reached;
            } else {
                result.meta.position = projections->checkpoint(projection);
            }
            QString error;
            const QSqlDatabase db = connections.database(snapshot.pathFor(mode), &error);
            if (!db.isValid() || !db.isOpen()) {
                result.meta.error =
                    error.isEmpty() ? QStringLiteral("The query service is stopped.") : error;
            } else if (!body(result, db, mode, &error)) {
                result.meta.error = error;
            }
            result.meta.elapsedMs = timer.nsecsElapsed() / 1e6;
            promise->addResult(result);
            promise->finish();
        });
        return future;
    }

    const ProjectionBoard* board;
    ReceiptRecorder* receipts = nullptr;
    std::vector<QThread*> threads;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> jobs;
    bool stopping = false;
    mutable std::mutex storesMutex;
    Stores current;
};

QueryService::QueryService(const ProjectionBoard* board, int threadCount)
    : m_pool(std::make_unique<Pool>(board, threadCount)) {
    qRegisterMetaType<OrderPage>();
    qRegisterMetaType<CustomerStatsResult>();
    qRegisterMetaType<ProductSalesResult>();
    qRegisterMetaType<RevenueSeries>();
    qRegisterMetaType<SearchResult>();
}

QueryService::~QueryService() = default;

void QueryService::stop() {
    m_pool->stop();
}

void QueryService::setStores(ArchitectureMode mode, const QString& writeDbPath,
                             const QString& readDbPath) {
    std::lock_guard lock(m_pool->storesMutex);
    m_pool->current = {mode, writeDbPath, readDbPath};
}

ArchitectureMode QueryService::mode() const {
    return m_pool->stores().mode;
}

QFuture<OrderPage> QueryService::recentOrders(int limit, const ReadOptions& options) {
    return m_pool->submit<OrderPage>(
        options, QStringLiteral("order_summary"),
        [limit](OrderPage& page, const QSqlDatabase& db, ArchitectureMode mode, QString* error) {
            const bool crud = mode == ArchitectureMode::Crud;
            const QString sql =
                crud
                    ? orderCrudColumns + QStringLiteral(" GROUP BY o.id ORDER BY o.id DESC LIMIT ?")
                    : orderViewColumns + QStringLiteral(" ORDER BY order_id DESC LIMIT ?");
            if (!select(
                    db, sql, {limit}, [&](const QSqlQuery& q) { page.rows.append(orderRow(q)); },
                    error))
                return false;
            return select(
                db,
                crud ? QStringLiteral("SELECT COUNT(*) FROM orders")
                     : QStringLiteral("SELECT COUNT(*) FROM rv_order_summary"),
                {}, [&](const QSqlQuery& q) { page.totalOrders = q.value(0).toLongLong(); }, error);
        });
}

QFuture<OrderLookup> QueryService::order(qint64 orderId, const ReadOptions& options) {
    return m_pool->submit<OrderLookup>(
        options, QStringLiteral("order_summary"),
        [orderId](OrderLookup& lookup, const QSqlDatabase& db, ArchitectureMode mode,
                  QString* error) {
            const QString sql =
                mode == ArchitectureMode::Crud
                    ? orderCrudColumns + QStringLiteral(" WHERE o.id = ? GROUP BY o.id")
                    : orderViewColumns + QStringLiteral(" WHERE order_id = ?");
            return select(
                db, sql, {orderId}, [&](const QSqlQuery& q) { lookup.order = orderRow(q); }, error);
        });
}

QFuture<CustomerStatsResult> QueryService::customerStats(const ReadOptions& options) {
    return m_pool->submit<CustomerStatsResult>(
        options, QStringLiteral("customer_stats"),
        [](CustomerStatsResult& result, const QSqlDatabase& db, ArchitectureMode mode,
           QString* error) {
            const QString sql =
                mode == ArchitectureMode::Crud
                    ? QStringLiteral(
                          "SELECT c.id, c.name, c.city, COUNT(o.id),"
                          " COALESCE(SUM(o.status = 'cancelled'), 0),"
                          " COALESCE(SUM(CASE WHEN o.status = 'placed' THEN o.total_cents END), 0),"
                          " COALESCE(SUM(CASE WHEN o.status = 'placed' THEN o.total_cents END)"
                          "   / NULLIF(SUM(o.status = 'placed'), 0), 0),"
                          " COALESCE(MAX(o.placed_at_ms), 0)"
                          " FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"
                          " GROUP BY c.id ORDER BY c.id")
                    : QStringLiteral(
                          "SELECT customer_id, name, city, orders, cancelled, "
                          "total_spent_cents, avg_order_cents, COALESCE(last_order_ms, 0) "
                          "FROM rv_customer_stats ORDER BY customer_id");
            return select(
                db, sql, {},
                [&](const QSqlQuery& q) {
                    result.rows.append({q.value(0).toLongLong(), q.value(1).toString(),
                                        q.value(2).toString(), q.value(3).toLongLong(),
                                        q.value(4).toLongLong(), q.value(5).toLongLong(),
                                        q.value(6).toLongLong(), q.value(7).toLongLong()});
                },
                error);
        });
}

QFuture<ProductSalesResult> QueryService::productSales(const ReadOptions& options) {
    return m_pool->submit<ProductSalesResult>(
        options, QStringLiteral("product_sales"),
        [](ProductSalesResult& result, const QSqlDatabase& db, ArchitectureMode mode,
           QString* error) {
            const QString sql =
                mode == ArchitectureMode::Crud
                    ? QStringLiteral(
                          "SELECT p.id, p.sku, p.name, p.category,"
                          " COALESCE(SUM(CASE WHEN o.status = 'placed' THEN l.quantity END), 0),"
                          " COALESCE(SUM(CASE WHEN o.status = 'placed' THEN l.quantity * "
                          "l.unit_price_cents END), 0),"
                          " p.price_cents, p.stock, p.discontinued"
                          " FROM products p LEFT JOIN order_lines l ON l.product_id = p.id"
                          " LEFT JOIN orders o ON o.id = l.order_id GROUP BY p.id ORDER BY p.id")
                    : QStringLiteral(
                          "SELECT product_id, sku, name, category, units_sold, revenue_cents, "
                          "price_cents, stock, discontinued FROM rv_product_sales "
                          "ORDER BY product_id");
            return select(
                db, sql, {},
                [&](const QSqlQuery& q) {
                    result.rows.append(
                        {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                         q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                         q.value(6).toLongLong(), q.value(7).toLongLong(), q.value(8).toBool()});
                },
                error);
        });
}

QFuture<RevenueSeries> QueryService::revenue(int seconds, const ReadOptions& options) {
    return m_pool->submit<RevenueSeries>(
        options, QStringLiteral("revenue_timeline"),
        [seconds](RevenueSeries& series, const QSqlDatabase& db, ArchitectureMode mode,
                  QString* error) {
            const QString sql =
                mode == ArchitectureMode::Crud
                    ? QStringLiteral("SELECT second, SUM(placed), SUM(revenue), SUM(cancelled), "
                                     "SUM(refunded) FROM ("
                                     " SELECT placed_at_ms / 1000 AS second, 1 AS placed, "
                                     "total_cents AS revenue,"
                                     "  0 AS cancelled, 0 AS refunded FROM orders"
                                     " UNION ALL SELECT cancelled_at_ms / 1000, 0, 0, 1, "
                                     "total_cents FROM orders"
                                     "  WHERE status = 'cancelled')"
                                     " GROUP BY second ORDER BY second DESC LIMIT ?")
                    : QStringLiteral(
                          "SELECT second, orders_placed, revenue_cents, orders_cancelled, "
                          "refunded_cents FROM rv_revenue_timeline ORDER BY second DESC LIMIT ?");
            const bool ok = select(
                db, sql, {seconds},
                [&](const QSqlQuery& q) {
                    series.points.prepend({q.value(0).toLongLong(), q.value(1).toLongLong(),
                                           q.value(2).toLongLong(), q.value(3).toLongLong(),
                                           q.value(4).toLongLong()});
                },
                error);
            return ok;
        });
}

QFuture<SearchResult> QueryService::search(const QString& text, int limit,
                                           const ReadOptions& options) {
    const QStringList terms = SearchQuery::terms(text);
    return m_pool->submit<SearchResult>(
        options, QStringLiteral("search_index"),
        [terms, limit, text](SearchResult& result, const QSqlDatabase& db, ArchitectureMode mode,
                             QString* error) {
            result.query = text;
            if (terms.isEmpty())
                return true;
            const auto hit = [&](const QSqlQuery& q) {
                result.hits.append({q.value(0).toString(), q.value(1).toLongLong(),
                                    q.value(2).toString(), q.value(3).toString()});
            };
            if (mode != ArchitectureMode::Crud)
                return select(db,
                              QStringLiteral("SELECT kind, ref, title, body FROM rv_search "
                                             "WHERE rv_search MATCH ? ORDER BY rank LIMIT ?"),
                              {SearchQuery::ftsExpression(terms), limit}, hit, error);
            // CRUD: every term must appear somewhere in the joined rows (LIKE scans).
            QStringList orderConditions, customerConditions, productConditions;
            QVariantList orderValues, customerValues, productValues;
            for (const QString& term : terms) {
                const QString pattern = SearchQuery::likePattern(term);
                orderConditions << QStringLiteral(
                    "(c.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM order_lines l JOIN "
                    "products p "
                    "ON p.id = l.product_id WHERE l.order_id = o.id AND (p.name LIKE ? ESCAPE '\\' "
                    "OR p.sku LIKE ? ESCAPE '\\' OR p.category LIKE ? ESCAPE '\\')))");
                orderValues << pattern << pattern << pattern << pattern;
                customerConditions << QStringLiteral("(name LIKE ? ESCAPE '\\' OR email LIKE ? "
                                                     "ESCAPE '\\' OR city LIKE ? ESCAPE '\\')");
                customerValues << pattern << pattern << pattern;
                productConditions << QStringLiteral("(name LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE "
                                                    "'\\' OR category LIKE ? ESCAPE '\\')");
                productValues << pattern << pattern << pattern;
            }
            const QString sql =
                QStringLiteral(
                    "SELECT 'customer', id, name, email || ' ' || city FROM customers WHERE %1 "
                    "UNION ALL SELECT 'product', id, name, sku || ' ' || category FROM products "
                    "WHERE %2 "
                    "UNION ALL SELECT 'order', o.id, 'Order #' || o.id, c.name FROM orders o "
                    "JOIN customers c ON c.id = o.customer_id WHERE %3 LIMIT ?")
                    .arg(customerConditions.join(QStringLiteral(" AND ")),
                         productConditions.join(QStringLiteral(" AND ")),
                         orderConditions.join(QStringLiteral(" AND ")));
            QVariantList values = customerValues + productValues + orderValues;
            values << limit;
            return select(db, sql, values, hit, error);
        });
}

void QueryService::setReceipts(ReceiptRecorder* receipts) {
    m_pool->receipts = receipts;
}

bool ConsistencyReceipt::complete() const {
    for (const ReceiptStep& step : projections) {
        if (!step.afterCommitMs)
            return false;
    }
    return recorded && !projections.isEmpty();
}

QFuture<ViewRowCounts> QueryService::viewRows() {
    ReadOptions options;
    const Stores stores = m_pool->stores();
    // In CRUD the views are the ones the projectors keep for a switch back.
    options.mode = stores.mode == ArchitectureMode::Crud ? ArchitectureMode::Physical : stores.mode;
    return m_pool->submit<ViewRowCounts>(
        options, QStringLiteral("order_summary"),
        [path = stores.pathFor(*options.mode)](ViewRowCounts& result, const QSqlDatabase& db,
                                               ArchitectureMode, QString* error) {
            result.storePath = path;
            for (const auto& [name, table] :
                 std::initializer_list<std::pair<const char*, const char*>>{
                     {"order_summary", "rv_order_summary"},
                     {"customer_stats", "rv_customer_stats"},
                     {"product_sales", "rv_product_sales"},
                     {"revenue_timeline", "rv_revenue_timeline"},
                     {"search_index", "rv_search"}}) {
                qint64 rows = 0;
                if (!select(
                        db, QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1StringView(table)),
                        {}, [&](const QSqlQuery& q) { rows = q.value(0).toLongLong(); }, error))
                    return false;
                result.rows.append({QLatin1StringView(name).toString(), rows});
            }
            return true;
        });
}

QFuture<ConsistencyReceipt> QueryService::receipt(qint64 position) {
    return receiptOf(QStringLiteral("position = ?"), position);
}

QFuture<ConsistencyReceipt> QueryService::orderReceipt(qint64 orderId) {
    // Scanning back from the head, the placing is found after the events
    // since it: a few for a recent order.
    return receiptOf(
        QStringLiteral("type = 'OrderPlaced' AND aggregate_id = ? ORDER BY position DESC LIMIT 1"),
        orderId);
}

QFuture<ConsistencyReceipt> QueryService::receiptOf(const QString& where, qint64 key) {
    auto promise = std::make_shared<QPromise<ConsistencyReceipt>>();
    promise->start();
    QFuture<ConsistencyReceipt> future = promise->future();
    const Stores stores = m_pool->stores();
    const ProjectionBoard* board = m_pool->board;
    const ReceiptRecorder* receipts = m_pool->receipts;
    m_pool->enqueue([promise, where, key, stores, board, receipts](QueryConnections& connections) {
        QElapsedTimer timer;
        timer.start();
        ConsistencyReceipt receipt;
        receipt.meta.mode = stores.mode;
        receipt.meta.position = board->head();
        QString error;
        // The event log is the write store's: read it there in every mode.
        const QSqlDatabase db = connections.database(stores.writeDbPath, &error);
        if (!db.isValid() || !db.isOpen()) {
            receipt.meta.error =
                error.isEmpty() ? QStringLiteral("The query service is stopped.") : error;
        } else {
            const bool read = select(
                db,
                QStringLiteral("SELECT position, type, aggregate_id, payload, committed_at_ms, "
                               "committed_mono_ns, "
                               "command_id, origin FROM events WHERE ") +
                    where,
                {key},
                [&](const QSqlQuery& q) {
                    StoredEvent stored;
                    stored.position = q.value(0).toLongLong();
                    stored.type =
                        eventTypeFromName(q.value(1).toString()).value_or(EventType::OrderPlaced);
                    stored.aggregateId = q.value(2).toLongLong();
                    stored.payload = q.value(3).toString().toUtf8();
                    stored.committedAtMs = q.value(4).toLongLong();
                    stored.committedMonoNs = q.value(5).toLongLong();
                    stored.commandId = QUuid::fromString(q.value(6).toString());
                    stored.origin =
                        originFromName(q.value(7).toString()).value_or(CommandOrigin::Form);
                    receipt.event = stored.parsed();
                    receipt.found = true;
                },
                &error);
            if (!read)
                receipt.meta.error = error;
        }
        if (receipts && receipt.found) {
            const ReceiptRecorder::Times times = receipts->times(receipt.event.position);
            receipt.oldestRecorded = receipts->oldestKept();
            receipt.recorded = times.recorded;
            if (times.recorded) {
                receipt.submittedNs = times.submittedNs;
                receipt.committedNs = times.committedNs;
                receipt.submitToCommitMs = (times.committedNs - times.submittedNs) / 1e6;
                if (times.readWaitNs > 0)
                    receipt.readWaitMs = times.readWaitNs / 1e6;
                const QList<ProjectionStatus> statuses = board->statuses();
                for (qsizetype p = 0; p < receipts->projections().size(); ++p) {
                    ReceiptStep step;
                    step.projection = receipts->projections().at(p);
                    step.title = step.projection;
                    for (const ProjectionStatus& status : statuses) {
                        if (status.name == step.projection)
                            step.title = status.title;
                    }
                    if (times.appliedNs.value(p) > 0)
                        step.afterCommitMs = (times.appliedNs.value(p) - times.committedNs) / 1e6;
                    receipt.projections.append(step);
                }
            }
        }
        receipt.meta.elapsedMs = timer.nsecsElapsed() / 1e6;
        promise->addResult(receipt);
        promise->finish();
    });
    return future;
}

} // namespace cqrs
