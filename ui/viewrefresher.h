#pragma once

#include "read/queryresults.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <array>
#include <functional>

namespace cqrs {
class LabSession;
}

namespace cqrs::ui {

/// The refresh schedule of the dashboard's views: a view whose projection
/// advanced is marked dirty, and half a snapshot interval after each lag
/// snapshot at most one query per dirty view is in flight. Its answer is
/// handed on through a signal. Answers of a session that has been replaced
/// are dropped.
class ViewRefresher final : public QObject {
    Q_OBJECT

public:
    /// RowCountsView: how many rows each view holds, asked about once a second.
    enum View {
        OrdersView,
        CustomersView,
        ProductsView,
        RevenueView,
        SearchView,
        RowCountsView,
        ViewCount
    };

    static constexpr int recentOrdersPage = 200;
    static constexpr int revenueSeconds = 120;

    explicit ViewRefresher(QObject* parent = nullptr);

    /// Queries go to `session` from now on (null: none); everything is dirty.
    void setSession(LabSession* session);
    /// How queries read (consistency, the position read-your-writes waits for).
    void setReadOptions(std::function<ReadOptions()> options) { m_options = std::move(options); }
    void setSearchText(const QString& text);
    const QString& searchText() const { return m_searchText; }

    void markDirty(View view) { m_dirty[view] = true; }
    void markAllDirty();
    /// The projection `name` advanced (its views are dirty).
    void projectionAdvanced(const QString& name);
    /// A lag snapshot arrived: dirty views are queried shortly after it.
    void snapshotArrived();
    bool isDirty(View view) const { return m_dirty[view]; }
    bool isInFlight(View view) const { return m_inFlight[view]; }

Q_SIGNALS:
    void ordersArrived(const cqrs::OrderPage& page);
    void customersArrived(const cqrs::CustomerStatsResult& result);
    void productsArrived(const cqrs::ProductSalesResult& result);
    void revenueArrived(const cqrs::RevenueSeries& series);
    void searchArrived(const cqrs::SearchResult& result);
    void rowCountsArrived(const cqrs::ViewRowCounts& rows);
    /// A query answered "still catching up" or failed.
    void queryNoted(const cqrs::QueryMeta& meta);

private:
    void refreshDirtyViews();
    void run(View view);
    template <typename T, typename Emit>
    void deliver(View view, const QFuture<T>& future, Emit emitAnswer);

    QPointer<LabSession> m_session;
    quint64 m_generation = 0; // setSession() calls: a stale answer is dropped
    std::function<ReadOptions()> m_options;
    QString m_searchText;
    std::array<bool, ViewCount> m_dirty{};
    std::array<bool, ViewCount> m_inFlight{};
    QTimer m_timer;
    QElapsedTimer m_sinceRowCounts;
};

} // namespace cqrs::ui
