#pragma once

// A LabSession whose answers a test writes: the window cannot tell it from
// a real lab, so a test can put the window exactly in the moment it needs
// (a view emptied by a rebuild, a store that fails) without racing threads.
#include "lab/labsession.h"

#include <QList>
#include <QMap>
#include <QPromise>

#include <functional>
#include <memory>
#include <utility>

namespace cqrs::test {

class FakeLabSession final : public LabSession {
public:
    explicit FakeLabSession(SessionConfig config)
        : m_config(std::move(config)) {
        m_state.architecture = m_config.architecture;
        m_state.journal = m_config.architecture == ArchitectureMode::Crud
                              ? JournalMode::Rollback
                              : JournalMode::WriteAheadLog;
        m_state.synchronousUpdate = m_config.synchronousUpdate;
    }

    /// A factory whose sessions are also handed to `made` (the newest last).
    static LabSessionFactory factory(QList<FakeLabSession*>* made) {
        return [made](const SessionConfig& config) {
            auto session = std::make_unique<FakeLabSession>(config);
            made->append(session.get());
            return std::unique_ptr<LabSession>(std::move(session));
        };
    }

    // What the test scripts.
    std::function<CommandResult(const Command&)> answer;
    OrderPage orders;
    CustomerStatsResult customers;
    ProductSalesResult products;
    RevenueSeries revenueAnswer;
    SearchResult searchAnswer;
    // What the window did.
    QList<Command> submitted;
    QStringList rebuilt;
    QStringList retried;
    int trafficRate = 0;

    void sendSnapshot(const LagSnapshot& snapshot) { Q_EMIT snapshotReady(snapshot); }
    void sendAdvance(const QString& projection, qint64 checkpoint, bool reset) {
        Q_EMIT advanced(ProjectionAdvance{projection, checkpoint, {}, reset});
    }

    QFuture<StoreInfo> open() override {
        m_state.phase = SessionState::Phase::Open;
        m_state.opened = StoreInfo{true, {}, {}, false};
        Q_EMIT stateChanged(m_state);
        return QtFuture::makeReadyFuture(m_state.opened);
    }
    QFuture<void> shutdown(bool) override {
        m_state.phase = SessionState::Phase::Closed;
        return QtFuture::makeReadyFuture();
    }
    SessionState state() const override { return m_state; }
    bool reopenNeededFor(ArchitectureMode mode) const override {
        return (mode == ArchitectureMode::Crud) != (m_state.journal == JournalMode::Rollback);
    }

    QFuture<CommandResult> submit(Command command) override {
        submitted.append(command);
        if (answer)
            return QtFuture::makeReadyFuture(answer(command));
        CommandResult accepted = CommandResult::acceptedFor(++m_nextId);
        accepted.firstPosition = accepted.lastPosition = ++m_head;
        return QtFuture::makeReadyFuture(accepted);
    }

    QFuture<OrderPage> recentOrders(int, const ReadOptions&) override {
        return QtFuture::makeReadyFuture(orders);
    }
    QFuture<OrderLookup> order(qint64, const ReadOptions&) override {
        return QtFuture::makeReadyFuture(OrderLookup{});
    }
    QFuture<CustomerStatsResult> customerStats(const ReadOptions&) override {
        return QtFuture::makeReadyFuture(customers);
    }
    QFuture<ProductSalesResult> productSales(const ReadOptions&) override {
        return QtFuture::makeReadyFuture(products);
    }
    QFuture<RevenueSeries> revenue(int, const ReadOptions&) override {
        return QtFuture::makeReadyFuture(revenueAnswer);
    }
    ViewRowCounts rowsAnswer;
    QFuture<ViewRowCounts> viewRows() override { return QtFuture::makeReadyFuture(rowsAnswer); }
    ConsistencyReceipt receiptAnswer;
    QFuture<ConsistencyReceipt> receipt(qint64 position) override {
        ConsistencyReceipt scripted = receiptAnswer;
        scripted.event.position = position;
        return QtFuture::makeReadyFuture(scripted);
    }
    QFuture<ConsistencyReceipt> orderReceipt(qint64 orderId) override {
        ConsistencyReceipt scripted = receiptAnswer;
        scripted.event.aggregateId = orderId;
        if (!holdReceipts)
            return QtFuture::makeReadyFuture(scripted);
        auto held = std::make_shared<QPromise<ConsistencyReceipt>>();
        held->start();
        heldReceipts.append({scripted, held});
        return held->future();
    }
    /// Order receipts are answered only by releaseReceipt(), in the test's order.
    bool holdReceipts = false;
    struct HeldReceipt {
        ConsistencyReceipt answer;
        std::shared_ptr<QPromise<ConsistencyReceipt>> promise;
    };
    QList<HeldReceipt> heldReceipts;
    void releaseReceipt(qsizetype index) {
        HeldReceipt& held = heldReceipts[index];
        held.promise->addResult(held.answer);
        held.promise->finish();
    }
    QFuture<SearchResult> search(const QString& text, int, const ReadOptions&) override {
        SearchResult result = searchAnswer;
        result.query = text;
        return QtFuture::makeReadyFuture(result);
    }

    void setArchitecture(ArchitectureMode mode) override {
        m_state.architecture = mode;
        Q_EMIT stateChanged(m_state);
    }
    void setSynchronousUpdate(bool synchronous) override {
        m_state.synchronousUpdate = m_state.synchronousUpdateActive = synchronous;
        Q_EMIT stateChanged(m_state);
    }
    /// As the real session says it when the read store cannot be attached.
    void failSynchronousUpdate(const QString& problem) {
        m_state.synchronousUpdateActive = false;
        m_state.synchronousProblem = problem;
        Q_EMIT stateChanged(m_state);
    }
    void setDelay(const QString&, int, int) override {}
    void setPaused(const QString& projection, bool isPaused) override {
        paused[projection] = isPaused;
    }
    QMap<QString, bool> paused; ///< the last pause asked per projection ("" = all)
    void retry(const QString& projection) override { retried.append(projection); }
    void rebuild(const QString& projection) override { rebuilt.append(projection); }
    void setTrafficRate(int ordersPerSecond) override { trafficRate = ordersPerSecond; }
    void setAnalyticsRate(int reportsPerSecond) override { analyticsRate = reportsPerSecond; }
    void fillOrders(qint64 count) override { filled += count; }
    int analyticsRate = 0;
    qint64 filled = 0;
    TrafficStats trafficStats() const override {
        TrafficStats stats;
        stats.filling = filling;
        return stats;
    }
    /// What trafficStats() says is still to fill.
    qint64 filling = 0;
    AnalyticsStats analyticsStats() const override { return {}; }
    LatencyHistogram takeCheckoutWindow() override { return std::exchange(checkoutWindow, {}); }
    /// The next checkout window takeCheckoutWindow() hands out.
    LatencyHistogram checkoutWindow;

private:
    SessionConfig m_config;
    SessionState m_state;
    qint64 m_nextId = 100;
    qint64 m_head = 1000;
};

} // namespace cqrs::test
