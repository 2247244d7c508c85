#pragma once

#include "events/eventstream.h"
#include "lab/lab.h"
#include "metrics/lagsnapshot.h"
#include "projections/changeset.h"
#include "read/queryresults.h"
#include "sim/analyticsload.h"
#include "sim/loadgenerator.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QMainWindow>
#include <QTimer>

#include <memory>

class QLabel;
class QLineEdit;
class QTabWidget;
class QTableView;

namespace cqrs::ui {

class CatalogAdminPanel;
class CheckoutForm;
class ControlsPanel;
class CustomerStatsModel;
class EventStreamModel;
class ProductSalesChart;
class ProductSalesModel;
class ProjectionPanel;
class RecentOrdersModel;
class SearchResultsModel;
class TimeSeriesChart;

/// The CQRS Lab window: the checkout form and catalog commands on the left
/// (write side), the live dashboard on the right (read side only), the knobs
/// in a dock. No SQL runs here: commands go to the bus, queries to the query
/// service, and both answer through futures.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const QString& dataDirectory, QWidget* parent = nullptr);
    ~MainWindow() override;

    // For tests and screenshots.
    Lab* lab() const { return m_lab.get(); }
    CheckoutForm* checkoutForm() const { return m_form; }
    ControlsPanel* controls() const { return m_controls; }
    ProjectionPanel* projectionPanel() const { return m_projections; }
    TimeSeriesChart* lagChart() const { return m_lagChart; }
    TimeSeriesChart* checkoutChart() const { return m_checkoutChart; }
    RecentOrdersModel* recentOrders() const { return m_orders; }
    CustomerStatsModel* customerStats() const { return m_customers; }
    ProductSalesModel* productSales() const { return m_products; }
    SearchResultsModel* searchResults() const { return m_search; }
    EventStreamModel* eventStream() const { return m_events; }
    QTabWidget* dashboardTabs() const { return m_tabs; }
    QLineEdit* searchBox() const { return m_searchBox; }
    double zoom() const { return m_zoom; }
    bool isReady() const { return m_ready; }
    const QString& dataDirectory() const { return m_dataDirectory; }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    /// Asks, then deletes the stores and starts again from the demo catalog.
    void resetDemoData();
    /// The same without asking (tests). Ignored while the store is opening;
    /// allowed after a failed open, to replace a store that cannot be read.
    void resetDemoDataNow();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    enum View { OrdersView, CustomersView, ProductsView, RevenueView, SearchView, ViewCount };

    QWidget* buildDashboard();
    void buildMenus();
    void startLab();
    /// Closes the Lab and everything bound to it off the GUI thread, then
    /// starts a new one on the same folder: for a reset (`wipe`, the files
    /// are deleted first) and for crossing between CRUD and CQRS, which
    /// needs the write store reopened on another journal.
    void restartLab(bool wipe, const QString& status);
    void onLabOpened(const StoreInfo& info);
    /// The error, with Retry (open the same folder again) and Close.
    void showOpenFailure(const QString& error);
    bool canReset() const { return m_lab && (m_ready || m_openFailed); }
    void onAdvanced(const ProjectionAdvance& advance);
    void onSnapshot(const LagSnapshot& snapshot);
    void submitOrder(const PlaceOrder& order);
    void submitAdminCommand(const Command& command, const QString& what);
    void markDirty(View view);
    void refreshDirtyViews();
    void runQuery(View view);
    ReadOptions readOptions() const;
    void noteQueryMeta(const QueryMeta& meta);
    void updateCatalogForForm();
    void applyZoom();
    void updateTrafficInfo();
    void restoreSettings();
    void saveSettings() const;

    QString m_dataDirectory;
    std::unique_ptr<Lab> m_lab;
    std::unique_ptr<EventStream> m_stream;
    std::unique_ptr<LoadGenerator> m_traffic;
    std::unique_ptr<AnalyticsLoad> m_analytics;
    QString m_lastTrafficRejection;
    bool m_ready = false;
    bool m_openFailed = false;
    /// The previous Lab being closed by restartLab(), if any.
    QFuture<void> m_closing;

    CheckoutForm* m_form = nullptr;
    CatalogAdminPanel* m_admin = nullptr;
    ControlsPanel* m_controls = nullptr;
    ProjectionPanel* m_projections = nullptr;
    TimeSeriesChart* m_lagChart = nullptr;
    TimeSeriesChart* m_checkoutChart = nullptr;
    TimeSeriesChart* m_revenueChart = nullptr;
    ProductSalesChart* m_productChart = nullptr;
    QLabel* m_banner = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLineEdit* m_searchBox = nullptr;
    QLabel* m_headLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QLabel* m_modeLabel = nullptr;

    RecentOrdersModel* m_orders = nullptr;
    CustomerStatsModel* m_customers = nullptr;
    ProductSalesModel* m_products = nullptr;
    SearchResultsModel* m_search = nullptr;
    EventStreamModel* m_events = nullptr;

    QTimer m_refresh;
    QTimer m_searchDebounce;
    bool m_dirty[ViewCount] = {};
    bool m_inFlight[ViewCount] = {};
    ConsistencyMode m_consistency = ConsistencyMode::Eventual;
    qint64 m_ownPosition = 0;
    qint64 m_readViewOrders = 0;
    qint64 m_lastHead = -1;
    QList<CustomerStatsRow> m_customerRows;
    QList<ProductSalesRow> m_productRows;
    QElapsedTimer m_clock;
    qint64 m_rateWindowStartNs = 0;
    qint64 m_rateCommands = 0;
    qint64 m_rateEvents = 0;
    double m_zoom = 1.0;
    bool m_restoring = false;
    double m_baseFontPointSize = 0;
};

} // namespace cqrs::ui
