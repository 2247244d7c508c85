#pragma once

// Helpers shared by the read-side tests (header-only, next to the write-side
// testsupport.h whose await(), StoreReader, order() and line() they reuse):
//  - LabHarness: a whole Lab on a QTemporaryDir, opened and closed;
//  - caughtUp()/failedOrCaughtUp(): conditions for QTRY_* waits; openLab():
//    start a harness and wait until every view has caught up;
//  - canonical(): a projection's rows (Projection::canonicalQuery) rendered
//    as strings, from any store file, so two stores compare with QCOMPARE;
//  - crudAnswers()/cqrsAnswers(): the dashboard answers (customer stats,
//    product sales, revenue, all orders) rendered the same way, from the
//    write tables (CRUD) or from the views, to compare the two models;
//  - CommandDriver: a reproducible random stream of mixed commands (OrderMix
//    plus discontinues, new customers and products, and hopeless commands),
//    submitted in groups of random size.
//
// Lab::open() answers through a continuation on the test thread, so it is
// awaited with QTRY (the event loop must run), never with waitForFinished().
// Query, command and replay futures are answered by worker threads and may
// be awaited directly.

#include "testsupport.h"

#include "lab/lab.h"
#include "projections/projection.h"
#include "sim/ordermix.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <functional>
#include <random>

namespace cqrs::test {

inline constexpr int longWaitMs = 30'000;

inline QString modeName(ArchitectureMode mode) { return architectureModeName(mode); }

/// A Lab on a fresh temporary directory.
class LabHarness final
{
public:
    explicit LabHarness(ArchitectureMode mode = ArchitectureMode::Physical, int queryThreads = 3)
    {
        m_config.dataDir = m_dir.path();
        m_config.architecture = mode;
        m_config.queryThreads = queryThreads;
        m_config.lagIntervalMs = 50;
    }
    ~LabHarness() { close(); }
    LabHarness(const LabHarness&) = delete;
    LabHarness& operator=(const LabHarness&) = delete;

    LabConfig& config() { return m_config; }
    QString dirPath() const { return m_dir.path(); }
    QString scratchPath(const QString& name) const { return m_dir.filePath(name); }

    /// Creates and starts the Lab; returns the future of its opening. Await
    /// it with QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), ...).
    QFuture<StoreInfo> start()
    {
        m_lab = std::make_unique<Lab>(m_config);
        return m_lab->open();
    }
    /// Closes and destroys the Lab; the files stay (a reopen may follow).
    void close()
    {
        if (m_lab)
            m_lab->close();
        m_lab.reset();
    }

    Lab& lab() { return *m_lab; }
    bool hasLab() const { return m_lab != nullptr; }

    /// Submits one command and waits for the answer.
    CommandResult run(const Command& command) { return await(m_lab->bus().submit(command)); }

    /// The store the projectors write now.
    QString liveStore() const { return m_lab->projectionStorePath(m_lab->architecture()); }
    /// The CQRS mode whose views are in the live store.
    ArchitectureMode viewMode() const
    {
        return liveStore() == m_lab->readDbPath() ? ArchitectureMode::Physical : ArchitectureMode::Logical;
    }

private:
    QTemporaryDir m_dir;
    LabConfig m_config;
    std::unique_ptr<Lab> m_lab;
};

/// Every projection has applied `head` and is live.
inline bool caughtUp(Lab& lab, qint64 head)
{
    for (const ProjectionStatus& status : lab.projections().board().statuses()) {
        if (status.checkpoint < head || status.state != ProjectionState::Live)
            return false;
    }
    return true;
}

inline bool caughtUp(Lab& lab) { return caughtUp(lab, lab.bus().headPosition()); }

/// Describes the projections, for failure messages.
inline QString describe(Lab& lab)
{
    QStringList parts;
    parts << QStringLiteral("head %1").arg(lab.bus().headPosition());
    for (const ProjectionStatus& s : lab.projections().board().statuses())
        parts << QStringLiteral("%1: %2 @%3%4")
                     .arg(s.name, projectionStateName(s.state))
                     .arg(s.checkpoint)
                     .arg(s.error.isEmpty() ? QString() : QStringLiteral(" (") + s.error + u')');
    return parts.join(QStringLiteral("; "));
}

/// Starts the harness's Lab and waits until it is open and every view has
/// caught up. On failure it records the failure and returns; callers check
/// QTest::currentTestFailed().
/// Lab::setArchitecture(), then waits until the views' move to another
/// store (prepared on the pool) is done, so what follows sees the new routing.
inline void switchArchitecture(Lab& lab, ArchitectureMode mode)
{
    lab.setArchitecture(mode);
    QTRY_VERIFY_WITH_TIMEOUT(!lab.storeSwitchPending(), longWaitMs);
}

inline void openLab(LabHarness& harness)
{
    QFuture<StoreInfo> opened = harness.start();
    QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
    QVERIFY2(opened.result().ok, qPrintable(opened.result().error));
    QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(harness.lab()), qPrintable(describe(harness.lab())), longWaitMs);
}

inline std::unique_ptr<Projection> projectionNamed(const QString& name)
{
    for (auto& projection : createProjections()) {
        if (projection->name() == name)
            return std::move(projection);
    }
    return {};
}

inline QStringList projectionNames()
{
    QStringList names;
    for (const auto& projection : createProjections())
        names << projection->name();
    return names;
}

inline QString renderRow(const QVariantList& row)
{
    QStringList cells;
    for (const QVariant& cell : row)
        cells.append(cell.isNull() ? QStringLiteral("NULL") : cell.toString());
    return cells.join(u'|');
}

/// The rows of `projection` in the store at `path`, canonical order. The
/// first entry is "error: ..." when the query failed.
inline QStringList canonical(const QString& path, const QString& projection)
{
    StoreReader reader(path);
    const auto view = projectionNamed(projection);
    if (!reader.isOpen() || !view)
        return {QStringLiteral("error: cannot open %1").arg(path)};
    QStringList rendered;
    const QList<QVariantList> rows = reader.rows(view->canonicalQuery());
    if (rows.isEmpty() && !reader.lastError().isEmpty())
        return {QStringLiteral("error: ") + reader.lastError()};
    for (const QVariantList& row : rows)
        rendered.append(renderRow(row));
    return rendered;
}

/// The stored checkpoint of `projection` in the store at `path` (-1 if none).
inline qint64 storedCheckpoint(const QString& path, const QString& projection)
{
    StoreReader reader(path);
    const QVariant value = reader.scalar(
        QStringLiteral("SELECT position FROM rv_checkpoints WHERE projection = ?"), {projection});
    return value.isValid() ? value.toLongLong() : -1;
}

/// The dashboard answers as rendered strings, by view.
struct Answers
{
    QString error;
    QStringList customers;
    QStringList products;
    QStringList revenue;
    QStringList orders;
};

inline QString renderOrder(const OrderSummaryRow& r)
{
    // CRUD rows carry no event position: compare everything else.
    return QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8")
        .arg(r.orderId)
        .arg(r.customerId)
        .arg(r.customerName)
        .arg(r.lineCount)
        .arg(r.itemCount)
        .arg(r.totalCents)
        .arg(r.status)
        .arg(r.placedAtMs);
}

inline Answers answers(QueryService& queries, ArchitectureMode mode)
{
    ReadOptions options;
    options.mode = mode;
    Answers a;
    const auto note = [&a](const QueryMeta& meta) {
        if (!meta.error.isEmpty() && a.error.isEmpty())
            a.error = QStringLiteral("%1: %2").arg(architectureModeName(meta.mode), meta.error);
    };
    const CustomerStatsResult customers = await(queries.customerStats(options));
    note(customers.meta);
    for (const CustomerStatsRow& r : customers.rows)
        a.customers << QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8")
                           .arg(r.customerId)
                           .arg(r.name, r.city)
                           .arg(r.orders)
                           .arg(r.cancelled)
                           .arg(r.totalSpentCents)
                           .arg(r.averageOrderCents)
                           .arg(r.lastOrderMs);
    const ProductSalesResult products = await(queries.productSales(options));
    note(products.meta);
    for (const ProductSalesRow& r : products.rows)
        a.products << QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8|%9")
                          .arg(r.productId)
                          .arg(r.sku, r.name, r.category)
                          .arg(r.unitsSold)
                          .arg(r.revenueCents)
                          .arg(r.priceCents)
                          .arg(r.stock)
                          .arg(r.discontinued ? 1 : 0);
    const RevenueSeries revenue = await(queries.revenue(1'000'000, options));
    note(revenue.meta);
    for (const RevenuePoint& p : revenue.points)
        a.revenue << QStringLiteral("%1|%2|%3|%4|%5")
                         .arg(p.second)
                         .arg(p.ordersPlaced)
                         .arg(p.revenueCents)
                         .arg(p.ordersCancelled)
                         .arg(p.refundedCents);
    const OrderPage orders = await(queries.recentOrders(1'000'000, options));
    note(orders.meta);
    for (const OrderSummaryRow& r : orders.rows)
        a.orders << renderOrder(r);
    a.orders << QStringLiteral("total %1").arg(orders.totalOrders);
    return a;
}

/// Compares the CQRS answers (views of `viewMode`) with the CRUD answers
/// (joins over the write tables), view by view.
#define CQRS_COMPARE_WITH_CRUD(queries, viewMode)                                           \
    do {                                                                                     \
        const ::cqrs::test::Answers crud_ = ::cqrs::test::answers(queries, ArchitectureMode::Crud); \
        const ::cqrs::test::Answers cqrs_ = ::cqrs::test::answers(queries, viewMode);      \
        QVERIFY2(crud_.error.isEmpty(), qPrintable(crud_.error));                            \
        QVERIFY2(cqrs_.error.isEmpty(), qPrintable(cqrs_.error));                            \
        QVERIFY(!crud_.customers.isEmpty());                                                 \
        QCOMPARE(cqrs_.customers, crud_.customers);                                          \
        QCOMPARE(cqrs_.products, crud_.products);                                            \
        QCOMPARE(cqrs_.revenue, crud_.revenue);                                              \
        QCOMPARE(cqrs_.orders, crud_.orders);                                                \
    } while (false)

/// Compares every view of the store at `live` with the same view in `other`.
#define CQRS_COMPARE_STORES(live, other)                                                     \
    do {                                                                                     \
        for (const QString& name_ : ::cqrs::test::projectionNames()) {                       \
            const QStringList a_ = ::cqrs::test::canonical(live, name_);                     \
            const QStringList b_ = ::cqrs::test::canonical(other, name_);                    \
            QVERIFY2(a_.isEmpty() || !a_.first().startsWith(QStringLiteral("error:")),       \
                     qPrintable(a_.value(0)));                                               \
            QVERIFY2(b_.isEmpty() || !b_.first().startsWith(QStringLiteral("error:")),       \
                     qPrintable(b_.value(0)));                                               \
            QVERIFY2(a_ == b_, qPrintable(QStringLiteral("view %1 differs (%2 vs %3 rows)")  \
                                              .arg(name_)                                    \
                                              .arg(a_.size())                                \
                                              .arg(b_.size())));                             \
        }                                                                                    \
    } while (false)

/// A reproducible stream of mixed commands: OrderMix's orders (some breaking
/// a rule), cancels, price changes and restocks, plus discontinues, new
/// customers, new products and commands that must be rejected.
class CommandDriver final
{
public:
    CommandDriver(const CatalogSnapshot& catalog, quint32 seed)
        : m_mix(catalog, seed, OrderMix::Options{false, CommandOrigin::Test, 20})
        , m_random(seed ^ 0x5eedu)
    {
        for (const ProductInfo& product : catalog.products)
            m_productIds << product.id;
    }

    bool isUsable() const { return m_mix.isUsable(); }

    Command next()
    {
        const int roll = pick(0, 999);
        if (roll < 4 && m_discontinued < 3) {
            ++m_discontinued;
            return DiscontinueProduct{testMeta(), m_productIds.at(pick(0, int(m_productIds.size()) - 1)), {}};
        }
        if (roll < 10) {
            const int n = ++m_created;
            return RegisterCustomer{testMeta(), QStringLiteral("Tester %1").arg(n),
                                    QStringLiteral("tester%1@example.org").arg(n), QStringLiteral("Porto")};
        }
        if (roll < 13) {
            const int n = ++m_created;
            return AddProduct{testMeta(), QStringLiteral("TST-%1-%2").arg(m_random()).arg(n),
                              QStringLiteral("Test Gadget %1").arg(n), QStringLiteral("Test"),
                              qint64(pick(100, 9'999)), pick(0, 500)};
        }
        if (roll < 20) { // hopeless commands
            switch (pick(0, 3)) {
            case 0:
                return CancelOrder{testMeta(), 9'000'000 + pick(0, 999), QStringLiteral("no such order")};
            case 1:
                return PlaceOrder{testMeta(), 7'777'777, {line(m_productIds.first(), 1)}};
            case 2:
                return ChangeProductPrice{testMeta(), m_productIds.first(), -5, QStringLiteral("bad"), {}};
            default:
                return RestockProduct{testMeta(), m_productIds.last(), 0, {}};
            }
        }
        if (roll < 40 && !m_accepted.isEmpty()) // cancels of known orders (may repeat: rejected)
            return CancelOrder{testMeta(), m_accepted.at(pick(0, int(m_accepted.size()) - 1)),
                               QStringLiteral("test cancel")};
        return m_mix.next();
    }

    void observe(const Command& command, const CommandResult& result)
    {
        m_mix.observe(command, result);
        if (result.accepted())
            ++m_acceptedCount;
        else if (result.status == CommandResult::Status::Rejected)
            ++m_rejectedCount;
        else
            ++m_failedCount;
        if (std::holds_alternative<PlaceOrder>(command) && result.accepted())
            m_accepted << result.entityId;
    }

    /// Submits `count` commands in groups of random size (1..64), waiting for
    /// each group's answers. `between` runs after each group (knob changes).
    void run(CommandBus& bus, int count, const std::function<void(std::mt19937&)>& between = {})
    {
        int done = 0;
        while (done < count) {
            const int size = std::min(count - done, pick(1, 64));
            QList<std::pair<Command, QFuture<CommandResult>>> sent;
            for (int i = 0; i < size; ++i) {
                Command command = next();
                sent.append({command, bus.submit(command)});
            }
            for (auto& [command, future] : sent)
                observe(command, await(future));
            done += size;
            if (between)
                between(m_random);
        }
    }

    int accepted() const { return m_acceptedCount; }
    int rejected() const { return m_rejectedCount; }
    int failed() const { return m_failedCount; }

private:
    int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_random); }

    OrderMix m_mix;
    std::mt19937 m_random;
    QList<qint64> m_productIds;
    QList<qint64> m_accepted;
    int m_discontinued = 0;
    int m_created = 0;
    int m_acceptedCount = 0;
    int m_rejectedCount = 0;
    int m_failedCount = 0;
};

/// The event log as the tests see it.
struct LoggedEvent
{
    qint64 position = 0;
    QString type;
    qint64 aggregateId = 0;
    QJsonObject payload;
};

inline QList<LoggedEvent> readLog(const QString& writeDbPath)
{
    StoreReader reader(writeDbPath);
    QList<LoggedEvent> events;
    for (const QVariantList& row : reader.rows(QStringLiteral(
             "SELECT position, type, aggregate_id, payload FROM events ORDER BY position")))
        events.append({row.at(0).toLongLong(), row.at(1).toString(), row.at(2).toLongLong(),
                       QJsonDocument::fromJson(row.at(3).toByteArray()).object()});
    return events;
}

} // namespace cqrs::test
