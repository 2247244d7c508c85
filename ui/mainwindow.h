#pragma once

#include "lab/labsession.h"
#include "ui/formcatalog.h"
#include "ui/labsettings.h"

#include <QElapsedTimer>
#include <QMainWindow>

class QDockWidget;
class QScrollArea;

namespace cqrs::ui {

class CatalogAdminPanel;
class CheckoutForm;
class CommandSender;
class ControlsPanel;
class Dashboard;
class FlowDiagram;
class LabLifecycle;
class LessonRunner;
class LessonsPanel;
class ReceiptOpener;
class StatusLine;
class ViewRefresher;
class WindowZoom;

/// The CQRS Lab window: the flow diagram across the top, the checkout form
/// and catalog commands on the left (write side), the dashboard on the
/// right (read side only), the knobs in a dock. It wires its parts
/// together: the lab's lifecycle, the command sender, the views' refresh
/// schedule, the diagram, the dashboard, receipts, zoom and settings.
/// It sees the lab only as a LabSession: no SQL and no waiting here.
class MainWindow final : public QMainWindow {
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
    FlowDiagram* diagram() const { return m_diagram; }
    ReceiptOpener* receipts() const { return m_receipts; }
    LessonsPanel* lessons() const { return m_lessons; }
    LessonRunner* lessonRunner() const { return m_lessonRunner; }
    /// Opens lesson `number` in the Lessons dock and shows the dock (--lesson).
    void openLesson(int number);
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
    void connectParts();
    void connectKnobs();
    SessionConfig sessionConfig() const;
    void saveKnobs() const;
    void onSessionStarted(LabSession* session);
    void onPhaseChanged();
    void onOpened(const StoreInfo& info);
    void showOpenFailure(const QString& error);
    void onSessionState(const SessionState& state);
    void onSnapshot(const LagSnapshot& snapshot);
    void onArchitectureKnob(ArchitectureMode mode);
    void updateTrafficInfo();
    void onNodeActivated(const QString& id, const QString& projection);
    bool canReset() const;
    double nowMs() const { return m_clock.nsecsElapsed() / 1e6; }

    QString m_dataDirectory;
    LabLifecycle* m_lifecycle = nullptr;
    CommandSender* m_sender = nullptr;
    ViewRefresher* m_refresher = nullptr;
    WindowZoom* m_zoom = nullptr;

    CheckoutForm* m_form = nullptr;
    CatalogAdminPanel* m_admin = nullptr;
    ControlsPanel* m_controls = nullptr;
    Dashboard* m_dashboard = nullptr;
    FlowDiagram* m_diagram = nullptr;
    ReceiptOpener* m_receipts = nullptr;
    StatusLine* m_status = nullptr;
    LessonsPanel* m_lessons = nullptr;
    LessonRunner* m_lessonRunner = nullptr;
    QDockWidget* m_lessonsDock = nullptr;
    QScrollArea* m_knobsArea = nullptr;

    QString m_lastTrafficRejection;
    QString m_pendingStatus; ///< said while a restart runs
    bool m_restoring = false;
    bool m_closeRequested = false;
    bool m_catchingUpShown = false; ///< a "still catching up" message is on the status bar
    qint64 m_lastHead = -1;
    FormCatalog m_formCatalog;
    QElapsedTimer m_clock;
};

} // namespace cqrs::ui
