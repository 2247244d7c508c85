#include "ui/viewrefresher.h"

#include "lab/labsession.h"
#include "util/whenready.h"

namespace cqrs::ui {

namespace {
/// The projection that feeds each view (the row counts: none, they are timed).
constexpr const char* projectionOf[ViewRefresher::ViewCount] = {
    "order_summary", "customer_stats", "product_sales", "revenue_timeline", "search_index", ""};
} // namespace

ViewRefresher::ViewRefresher(QObject* parent)
    : QObject(parent) {
    // Half of the lag monitor's 100 ms: tables repaint in a frame of their
    // own, not in the one that paints the charts and bars the snapshot
    // changed (docs/benchmarks.md, target 6).
    m_timer.setSingleShot(true);
    m_timer.setInterval(50);
    connect(&m_timer, &QTimer::timeout, this, &ViewRefresher::refreshDirtyViews);
}

void ViewRefresher::setSession(LabSession* session) {
    m_session = session;
    ++m_generation;
    m_inFlight.fill(false);
    markAllDirty();
    if (session)
        m_timer.start();
}

void ViewRefresher::setSearchText(const QString& text) {
    m_searchText = text;
    markDirty(SearchView);
}

void ViewRefresher::markAllDirty() {
    m_dirty.fill(true);
}

void ViewRefresher::projectionAdvanced(const QString& name) {
    for (int view = 0; view < ViewCount; ++view) {
        if (name == QLatin1StringView(projectionOf[view]))
            markDirty(View(view));
    }
}

void ViewRefresher::snapshotArrived() {
    if (!m_sinceRowCounts.isValid() || m_sinceRowCounts.elapsed() >= 1000) {
        m_sinceRowCounts.start();
        markDirty(RowCountsView);
    }
    if (m_session && !m_timer.isActive())
        m_timer.start();
}

void ViewRefresher::refreshDirtyViews() {
    if (!m_session || !m_session->state().isOpen())
        return;
    for (int view = 0; view < ViewCount; ++view) {
        if (m_dirty[view] && !m_inFlight[view]) {
            m_dirty[view] = false;
            m_inFlight[view] = true;
            run(View(view));
        }
    }
}

template <typename T, typename Emit>
void ViewRefresher::deliver(View view, const QFuture<T>& future, Emit emitAnswer) {
    whenReady(future, this, [this, view, generation = m_generation, emitAnswer](const T& answer) {
        if (generation != m_generation)
            return; // the session was replaced meanwhile
        m_inFlight[view] = false;
        if (answer.meta.stillCatchingUp || !answer.meta.ok())
            Q_EMIT queryNoted(answer.meta);
        if (answer.meta.ok())
            emitAnswer(answer);
    });
}

void ViewRefresher::run(View view) {
    const ReadOptions options = m_options ? m_options() : ReadOptions{};
    LabSession& session = *m_session;
    switch (view) {
    case OrdersView:
        deliver(view, session.recentOrders(recentOrdersPage, options),
                [this](const OrderPage& page) { Q_EMIT ordersArrived(page); });
        break;
    case CustomersView:
        deliver(view, session.customerStats(options),
                [this](const CustomerStatsResult& result) { Q_EMIT customersArrived(result); });
        break;
    case ProductsView:
        deliver(view, session.productSales(options),
                [this](const ProductSalesResult& result) { Q_EMIT productsArrived(result); });
        break;
    case RevenueView:
        deliver(view, session.revenue(revenueSeconds, options),
                [this](const RevenueSeries& series) { Q_EMIT revenueArrived(series); });
        break;
    case SearchView:
        deliver(view, session.search(m_searchText, 100, options),
                [this](const SearchResult& result) {
                    if (result.query == m_searchText)
                        Q_EMIT searchArrived(result);
                    else
                        markDirty(SearchView); // typed on meanwhile: ask again
                });
        break;
    case RowCountsView:
        deliver(view, session.viewRows(),
                [this](const ViewRowCounts& rows) { Q_EMIT rowCountsArrived(rows); });
        break;
    case ViewCount:
        break;
    }
}

} // namespace cqrs::ui
