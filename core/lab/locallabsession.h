#pragma once

#include "lab/labsession.h"

class QThread;

namespace cqrs {

class AnalyticsLoad;
class EventStream;
class Lab;
class LoadGenerator;

/// A LabSession on this machine: one Lab with its event stream and
/// simulators, run from a control thread of its own ("lab-control"). That
/// thread owns them: it opens, switches, stops and joins them, so the
/// caller's thread never waits and never races their callbacks. Commands,
/// queries and knobs go straight to the parts that are thread-safe.
class LocalLabSession final : public LabSession {
    Q_OBJECT

public:
    explicit LocalLabSession(SessionConfig config, QObject* parent = nullptr);
    /// Shuts down and waits if shutdown() was never called (tests, tools).
    ~LocalLabSession() override;

    static LabSessionFactory factory();

    QFuture<StoreInfo> open() override;
    QFuture<void> shutdown(bool deleteStoreFiles = false) override;
    SessionState state() const override { return m_state; }
    bool reopenNeededFor(ArchitectureMode mode) const override;

    QFuture<CommandResult> submit(Command command) override;

    QFuture<OrderPage> recentOrders(int limit, const ReadOptions& options) override;
    QFuture<OrderLookup> order(qint64 orderId, const ReadOptions& options) override;
    QFuture<CustomerStatsResult> customerStats(const ReadOptions& options) override;
    QFuture<ProductSalesResult> productSales(const ReadOptions& options) override;
    QFuture<RevenueSeries> revenue(int seconds, const ReadOptions& options) override;
    QFuture<SearchResult> search(const QString& text, int limit,
                                 const ReadOptions& options) override;
    QFuture<ConsistencyReceipt> receipt(qint64 position) override;
    QFuture<ConsistencyReceipt> orderReceipt(qint64 orderId) override;
    QFuture<ViewRowCounts> viewRows() override;

    void setArchitecture(ArchitectureMode mode) override;
    void setSynchronousUpdate(bool synchronous) override;
    void setDelay(const QString& projection, int delayMs, int jitterMs) override;
    void setPaused(const QString& projection, bool paused) override;
    void retry(const QString& projection) override;
    void rebuild(const QString& projection) override;
    void setTrafficRate(int ordersPerSecond) override;
    void setAnalyticsRate(int reportsPerSecond) override;
    void fillOrders(qint64 orders) override;
    TrafficStats trafficStats() const override;
    AnalyticsStats analyticsStats() const override;
    LatencyHistogram takeCheckoutWindow() override;

private:
    struct Parts;
    /// Runs `task` on the control thread, after everything posted before it.
    void post(std::function<void(Parts&)> task);
    void applyState(const SessionState& state);
    bool usable() const { return m_parts && !m_closing; }
    template <typename T> QFuture<T> closedAnswer() const;

    SessionConfig m_config;
    QThread* m_control = nullptr;
    Parts* m_parts = nullptr; // lives on, and is deleted by, the control thread
    SessionState m_state;
    bool m_closing = false;
    bool m_opened = false;
};

} // namespace cqrs
