#pragma once

#include "lab/labsession.h"
#include "ui/labsettings.h"

#include <QElapsedTimer>
#include <QMainWindow>

class QLabel;
class QLineEdit;
class QTabWidget;

namespace cqrs::ui {

class CatalogAdminPanel;
class CheckoutForm;
class CommandSender;
class ControlsPanel;
class CustomerStatsModel;
class Dashboard;
class EventStreamModel;
class LabLifecycle;
class ProductSalesModel;
class ProjectionPanel;
class RecentOrdersModel;
class SearchResultsModel;
class TimeSeriesChart;
class ViewRefresher;
class WindowZoom;

/// The CQRS Lab window: the checkout form and catalog commands on the left
/// (write side), the dashboard on the right (read side only), the knobs in
/// a dock. It wires its parts together: the lab's lifecycle, the command
/// sender, the views' refresh schedule, the dashboard, zoom and settings.
/// It sees the lab only as a LabSession: no SQL and no waiting here.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(const QString& dataDirectory, LabSessionFactory factory, QWidget* parent = nullptr);
    ~MainWindow() override;

    // For tests and screenshots.
    LabLifecycle* lifecycle() const { return m_lifecycle; }
    /// The session in use, or null (opening failed, restarting, closed).
    LabSession* session() const;
    CheckoutForm* checkoutForm() const { return m_form; }
    CatalogAdminPanel* adminPanel() const { return m_admin; }
    ControlsPanel* controls() const { return m_controls; }
    Dashboard* dashboard() const { return m_dashboard; }
    ProjectionPanel* projectionPanel() const;
    TimeSeriesChart* lagChart() const;
    TimeSeriesChart* checkoutChart() const;
    RecentOrdersModel* recentOrders() const;
    CustomerStatsModel* customerStats() const;
    ProductSalesModel* productSales() const;
    SearchResultsModel* searchResults() const;
    EventStreamModel* eventStream() const;
    QTabWidget* dashboardTabs() const;
    QLineEdit* searchBox() const;
    double zoom() const;
    bool isReady() const;
    /// Every thread of every session is joined (after closing).
    bool isShutDown() const;
    const QString& dataDirectory() const { return m_dataDirectory; }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    /// Asks, then deletes the stores and starts again from the demo catalog
    /// with every knob, chart and simulator as at launch.
    void resetDemoData();
    /// The same without asking (tests). Ignored while the store is opening;
    /// allowed after a failed open, to replace a store that cannot be read.
    void resetDemoDataNow();

Q_SIGNALS:
    /// Closed, and every thread the lab ran is joined: the program may end.
    void shutDownFinished();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* buildWriteSide();
    void buildMenus();
    void buildStatusBar();
    void connectParts();
    void connectKnobs();
    SessionConfig sessionConfig() const;
    KnobSettings knobs() const;
    void showKnobs(const KnobSettings& knobs);
    void saveKnobs() const;
    void onSessionStarted(LabSession* session);
    void onPhaseChanged();
    void onOpened(const StoreInfo& info);
    void showOpenFailure(const QString& error);
    void onSessionState(const SessionState& state);
    void onSnapshot(const LagSnapshot& snapshot);
    void onArchitectureKnob(ArchitectureMode mode);
    void updateCatalogForForm();
    void updateTrafficInfo();
    void updateRate(const LagSnapshot& snapshot);
    bool canReset() const;

    QString m_dataDirectory;
    LabLifecycle* m_lifecycle = nullptr;
    CommandSender* m_sender = nullptr;
    ViewRefresher* m_refresher = nullptr;
    WindowZoom* m_zoom = nullptr;

    CheckoutForm* m_form = nullptr;
    CatalogAdminPanel* m_admin = nullptr;
    ControlsPanel* m_controls = nullptr;
    Dashboard* m_dashboard = nullptr;
    QLabel* m_modeLabel = nullptr;
    QLabel* m_headLabel = nullptr;
    QLabel* m_rateLabel = nullptr;
    QLabel* m_warningLabel = nullptr;

    QString m_lastTrafficRejection;
    QString m_pendingStatus; ///< said while a restart runs
    bool m_restoring = false;
    bool m_closeRequested = false;
    qint64 m_lastHead = -1;
    /// The form's catalog only moves forward: answers of a view that reflect
    /// an earlier position than the last one taken (a rebuild replaying, a
    /// store switch catching up) do not shrink it.
    QList<CustomerStatsRow> m_customerRows;
    QList<ProductSalesRow> m_productRows;
    qint64 m_customersPosition = -1;
    qint64 m_productsPosition = -1;
    QElapsedTimer m_clock;
    qint64 m_rateWindowStartNs = 0;
    qint64 m_rateCommands = 0;
    qint64 m_rateEvents = 0;
};

} // namespace cqrs::ui
