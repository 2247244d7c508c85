#pragma once

#include "events/event.h"
#include "metrics/lagsnapshot.h"
#include "read/queryresults.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;
class QTableView;

namespace cqrs::ui {

class CustomerStatsModel;
class EventStreamModel;
class ProductSalesChart;
class ProductSalesModel;
class RecentOrdersModel;
class SearchResultsModel;
class TimeSeriesChart;

/// The read side, as a person sees it: the orders written against those
/// visible, the lag and checkout-latency charts, and the views' tables. It
/// shows what it is given (snapshots, query answers, events) and reports
/// what the person asks for (a search, an order or event to follow); it
/// never asks the lab itself.
class Dashboard final : public QWidget {
    Q_OBJECT

public:
    explicit Dashboard(QWidget* parent = nullptr);

    /// `seconds`: the time of the snapshot on the charts' clock.
    void applySnapshot(const LagSnapshot& snapshot, double seconds);
    /// Simulated checkout latencies answered since the last call.
    void addCheckoutLatencies(double seconds, const LatencyHistogram& window);
    /// CRUD: the views are not in use; the dashboard reads the write tables.
    void setViewsInUse(bool inUse);

    void applyOrders(const OrderPage& page);
    void applyCustomers(const CustomerStatsResult& result);
    void applyProducts(const ProductSalesResult& result);
    void applyRevenue(const RevenueSeries& series);
    void applySearch(const SearchResult& result);
    /// An order this window placed, shown pending until its view has it.
    void addPendingOrder(const OrderSummaryRow& row);
    void appendEvents(const EventList& events);
    /// A new store (reset): every table, chart and banner starts empty.
    void clear();
    /// Outlines the charts the open lesson points at ("chart:lag", "chart:checkout").
    void setSpotlight(const QStringList& targets);

    TimeSeriesChart* lagChart() const { return m_lagChart; }
    TimeSeriesChart* checkoutChart() const { return m_checkoutChart; }
    RecentOrdersModel* recentOrders() const { return m_orders; }
    CustomerStatsModel* customerStats() const { return m_customers; }
    ProductSalesModel* productSales() const { return m_products; }
    SearchResultsModel* searchResults() const { return m_search; }
    EventStreamModel* eventStream() const { return m_events; }
    QTabWidget* tabs() const { return m_tabs; }
    /// Brings the table of a projection's view to the front.
    void showView(const QString& projection);
    QLineEdit* searchBox() const { return m_searchBox; }
    QString bannerText() const;
    /// The last snapshot shown (a default one before the first).
    const LagSnapshot& lastSnapshot() const { return m_lastSnapshot; }

Q_SIGNALS:
    /// An order (recent orders, search results) or an event (the event
    /// stream) was activated: double-clicked, or Enter on it.
    void orderActivated(qint64 orderId);
    void eventActivated(qint64 position);
    /// The search text settled (typing paused for a moment).
    void searchChanged(const QString& text);

private:
    void showBanner(const LagSnapshot& snapshot);

    QLabel* m_banner = nullptr;
    TimeSeriesChart* m_lagChart = nullptr;
    TimeSeriesChart* m_checkoutChart = nullptr;
    TimeSeriesChart* m_revenueChart = nullptr;
    ProductSalesChart* m_productChart = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLineEdit* m_searchBox = nullptr;
    QLabel* m_searchNote = nullptr;
    RecentOrdersModel* m_orders = nullptr;
    CustomerStatsModel* m_customers = nullptr;
    ProductSalesModel* m_products = nullptr;
    SearchResultsModel* m_search = nullptr;
    EventStreamModel* m_events = nullptr;
    QTimer m_searchSettle;
    bool m_viewsInUse = true;
    LagSnapshot m_lastSnapshot;
};

} // namespace cqrs::ui
