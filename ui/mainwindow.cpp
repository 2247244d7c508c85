#include "ui/mainwindow.h"

#include "ui/catalogadminpanel.h"
#include "ui/checkoutform.h"
#include "ui/commandsender.h"
#include "ui/controlspanel.h"
#include "ui/dashboard.h"
#include "ui/flowdiagram.h"
#include "ui/flownode.h"
#include "ui/lablifecycle.h"
#include "ui/lessonrunner.h"
#include "ui/lessonspanel.h"
#include "ui/pagingkeyskept.h"
#include "ui/receiptopener.h"
#include "ui/statusline.h"
#include "ui/storedialogs.h"
#include "ui/viewrefresher.h"
#include "ui/windowmenus.h"
#include "ui/windowzoom.h"
#include "util/money.h"
#include "util/threadaudit.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QGroupBox>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include <utility>

namespace cqrs::ui {

namespace {
/// A part that may be taller or wider than the screen at a large zoom
/// scrolls instead of pushing the window past the screen's edge.
QScrollArea* scrolling(QWidget* content, QWidget* parent) {
    auto* area = new QScrollArea(parent);
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QString folderName(const QString& path) {
    return QDir::toNativeSeparators(path);
}
} // namespace

MainWindow::MainWindow(const QString& dataDirectory, LabSessionFactory factory, QWidget* parent)
    : QMainWindow(parent)
    , m_dataDirectory(dataDirectory)
    , m_lifecycle(new LabLifecycle(std::move(factory), dataDirectory, this))
    , m_sender(new CommandSender(this))
    , m_refresher(new ViewRefresher(this))
    , m_receipts(new ReceiptOpener(this)) {
    // Invariant 6, checkable: SQL or a blocking wait on this thread is recorded.
    ThreadAudit::watch(thread());
    setWindowTitle(tr("CQRS Lab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/cqrs-lab.png")));
    m_clock.start();

    m_dashboard = new Dashboard(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(scrolling(buildWriteSide(), splitter));
    splitter->addWidget(scrolling(m_dashboard, splitter));
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({470, 800});
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    m_controls = new ControlsPanel(this);
    auto* dock = new QDockWidget(tr("Knobs"), this);
    dock->setObjectName(QStringLiteral("knobs"));
    m_knobsArea = scrolling(m_controls, dock);
    dock->setWidget(m_knobsArea);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    // Across the whole window, above the knobs too: the picture every part points at.
    m_diagram = new FlowDiagram(this);
    auto* flow = new QDockWidget(tr("Flow"), this);
    flow->setObjectName(QStringLiteral("flow"));
    flow->setWidget(m_diagram);
    flow->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    setCorner(Qt::TopLeftCorner, Qt::TopDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::TopDockWidgetArea);
    addDockWidget(Qt::TopDockWidgetArea, flow);

    // The guided path, beside the dashboard; opened at first launch.
    m_lessons = new LessonsPanel(LessonCatalog::load(), this);
    m_lessonsDock = new QDockWidget(tr("Lessons"), this);
    m_lessonsDock->setObjectName(QStringLiteral("lessons"));
    m_lessonsDock->setWidget(m_lessons);
    m_lessonsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                               QDockWidget::DockWidgetClosable);
    // Under the knobs, in the room their column leaves free: the central
    // columns keep their width for the form and the dashboard.
    splitDockWidget(dock, m_lessonsDock, Qt::Vertical);
    m_lessonRunner = new LessonRunner(
        m_lessons, m_controls,
        [this]() -> LabSession* { return m_lifecycle->isReady() ? session() : nullptr; }, this);
    connect(m_lessonRunner, &LessonRunner::spotlightChanged, this, [this](const QStringList& targets) {
        m_diagram->setSpotlight(targets);
        m_dashboard->setSpotlight(targets);
        if (QWidget* knob = m_controls->setSpotlight(targets)) {
            // After the knobs' notes have been laid out for the new mode.
            QTimer::singleShot(0, this, [this, knob] { m_knobsArea->ensureWidgetVisible(knob); });
        }
    });
    // Clicker keys (Page Down / Page Up) step the lessons while they are on
    // screen; a widget that pages itself keeps its key (PagingKeysKept).
    auto lessonStep = [this](void (LessonsPanel::*step)()) {
        return [this, step] {
            if (m_lessonsDock->isVisible())
                (m_lessons->*step)();
        };
    };
    qApp->installEventFilter(new PagingKeysKept(this));

    m_zoom = new WindowZoom(this);
    m_status = new StatusLine(statusBar());
    addWindowMenus(this, {[this] { resetDemoData(); }, [this] { zoomIn(); }, [this] { zoomOut(); },
                          [this] { resetZoom(); }, lessonStep(&LessonsPanel::next),
                          lessonStep(&LessonsPanel::previous),
                          [this] {
                              m_lessonsDock->show();
                              m_lessons->setupButton()->click();
                          },
                          m_dataDirectory});
    resize(1560, 980);

    connectParts();
    connectKnobs();
    m_restoring = true;
    LabSettings::restoreWindow(this);
    m_controls->setKnobs(LabSettings::loadKnobs());
    m_zoom->setFactor(LabSettings::loadZoom());
    m_restoring = false;
    m_lessonRunner->start(0);
    onPhaseChanged();
    m_lifecycle->start(sessionConfig());
}

MainWindow::~MainWindow() = default;

void MainWindow::openLesson(int number) {
    m_lessonsDock->show();
    m_lessonsDock->raise();
    m_lessons->showLesson(number);
}

QWidget* MainWindow::buildWriteSide() {
    auto* left = new QWidget(this);
    auto* layout = new QVBoxLayout(left);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* checkoutBox = new QGroupBox(tr("Checkout — sends commands to the write side"), left);
    auto* checkoutLayout = new QVBoxLayout(checkoutBox);
    m_form = new CheckoutForm(checkoutBox);
    checkoutLayout->addWidget(m_form);
    auto* adminBox = new QGroupBox(tr("Catalog admin"), left);
    auto* adminLayout = new QVBoxLayout(adminBox);
    m_admin = new CatalogAdminPanel(adminBox);
    adminLayout->addWidget(m_admin);
    layout->addWidget(checkoutBox, 3);
    layout->addWidget(adminBox, 0);
    return left;
}

void MainWindow::connectParts() {
    connect(m_lifecycle, &LabLifecycle::sessionStarted, this, &MainWindow::onSessionStarted);
    connect(m_lifecycle, &LabLifecycle::phaseChanged, this, &MainWindow::onPhaseChanged);
    connect(m_lifecycle, &LabLifecycle::opened, this, &MainWindow::onOpened);
    connect(m_lifecycle, &LabLifecycle::openFailed, this, &MainWindow::showOpenFailure);
    connect(m_lifecycle, &LabLifecycle::shutDown, this, [this] {
        Q_EMIT shutDownFinished();
        if (m_closeRequested)
            close();
    });

    m_refresher->setReadOptions([this] {
        ReadOptions options;
        options.consistency = m_controls->consistency();
        options.minPosition =
            options.consistency == ConsistencyMode::ReadYourWrites ? m_sender->ownPosition() : 0;
        options.timeoutMs = 2000;
        return options;
    });
    connect(m_refresher, &ViewRefresher::ordersArrived, m_dashboard, &Dashboard::applyOrders);
    connect(m_refresher, &ViewRefresher::ordersArrived, this, [this](const OrderPage& page) {
        const bool waited = m_controls->consistency() == ConsistencyMode::ReadYourWrites &&
                            page.meta.mode != ArchitectureMode::Crud;
        m_lessonRunner->ordersShown(page.meta.position, waited, page.meta.elapsedMs, nowMs());
    });
    connect(m_refresher, &ViewRefresher::searchArrived, m_dashboard, &Dashboard::applySearch);
    connect(m_refresher, &ViewRefresher::revenueArrived, m_dashboard, &Dashboard::applyRevenue);
    connect(m_refresher, &ViewRefresher::customersArrived, this,
            [this](const CustomerStatsResult& result) {
                m_dashboard->applyCustomers(result);
                if (m_formCatalog.takeCustomers(result))
                    m_form->setCatalog(m_formCatalog.snapshot());
            });
    connect(m_refresher, &ViewRefresher::productsArrived, this,
            [this](const ProductSalesResult& result) {
                m_dashboard->applyProducts(result);
                if (m_formCatalog.takeProducts(result)) {
                    m_admin->setProducts(result.rows);
                    m_form->setCatalog(m_formCatalog.snapshot());
                }
            });
    connect(m_refresher, &ViewRefresher::queryNoted, this, [this](const QueryMeta& meta) {
        if (meta.stillCatchingUp) {
            m_catchingUpShown = true;
            statusBar()->showMessage(meta.message, 5000);
        } else if (!meta.ok()) {
            statusBar()->showMessage(tr("A dashboard query failed: %1").arg(meta.error), 5000);
        } else if (std::exchange(m_catchingUpShown, false)) {
            statusBar()->clearMessage(); // the views have caught up since
        }
    });
    connect(m_refresher, &ViewRefresher::rowCountsArrived, m_diagram, &FlowDiagram::showViewRows);
    connect(m_dashboard, &Dashboard::searchChanged, m_refresher, &ViewRefresher::setSearchText);
    connect(m_diagram, &FlowDiagram::pauseToggled, this, [this](const QString& name, bool paused) {
        if (LabSession* s = session())
            s->setPaused(name, paused);
    });
    connect(m_diagram, &FlowDiagram::retryRequested, this, [this](const QString& name) {
        if (LabSession* s = session())
            s->retry(name);
    });
    connect(m_diagram, &FlowDiagram::nodeActivated, this, &MainWindow::onNodeActivated);

    // Following one order: its receipt, and its tokens on the diagram.
    connect(m_refresher, &ViewRefresher::ordersArrived, m_receipts, &ReceiptOpener::ordersShown);
    connect(m_form, &CheckoutForm::followRequested, m_receipts, &ReceiptOpener::openPosition);
    connect(m_dashboard, &Dashboard::orderActivated, m_receipts, &ReceiptOpener::openOrder);
    connect(m_dashboard, &Dashboard::eventActivated, m_receipts, &ReceiptOpener::openPosition);
    connect(m_receipts, &ReceiptOpener::following, m_diagram, &FlowDiagram::follow);
    connect(m_sender, &CommandSender::commandSubmitted, m_diagram, &FlowDiagram::commandSent);
    connect(m_sender, &CommandSender::commandAnswered, m_diagram, &FlowDiagram::commandAnswered);

    connect(m_form, &CheckoutForm::placeOrderRequested, this,
            [this](const PlaceOrder& order, const QString& newName) {
                QString name = newName;
                for (const CustomerInfo& c : m_form->catalog().customers) {
                    if (c.id == order.customerId)
                        name = c.name;
                }
                m_sender->placeOrder(order, newName, name);
            });
    connect(m_sender, &CommandSender::registrationAnswered, m_form,
            &CheckoutForm::showRegistration);
    connect(m_sender, &CommandSender::orderAnswered, m_form, &CheckoutForm::showResult);
    connect(m_sender, &CommandSender::orderAccepted, this, [this](const OrderSummaryRow& row) {
        // Read-your-writes: the query waits for the view, so the order shows
        // when it is visible and never as pending. Eventual: at once, pending.
        if (m_controls->consistency() != ConsistencyMode::ReadYourWrites ||
            m_controls->architecture() == ArchitectureMode::Crud)
            m_dashboard->addPendingOrder(row);
        m_lessonRunner->ownOrderAccepted(row.orderId, row.lastPosition, m_controls->consistency(),
                                         nowMs());
        m_refresher->markDirty(ViewRefresher::OrdersView);
    });
    connect(m_admin, &CatalogAdminPanel::commandRequested, m_sender,
            &CommandSender::sendAdminCommand);
    connect(m_sender, &CommandSender::adminAnswered, m_admin, &CatalogAdminPanel::showResult);
    connect(m_zoom, &WindowZoom::changed, this, [this](double factor) {
        if (!m_restoring)
            LabSettings::saveZoom(factor);
    });
}

void MainWindow::connectKnobs() {
    connect(m_controls, &ControlsPanel::architectureChanged, this, &MainWindow::onArchitectureKnob);
    connect(m_controls, &ControlsPanel::synchronousChanged, this, [this](bool synchronous) {
        if (LabSession* s = session())
            s->setSynchronousUpdate(synchronous);
        saveKnobs();
    });
    connect(m_controls, &ControlsPanel::consistencyChanged, this, [this] {
        m_diagram->setConsistency(m_controls->consistency());
        saveKnobs();
    });
    connect(m_controls, &ControlsPanel::delayChanged, this, [this](int delay, int jitter) {
        if (LabSession* s = session())
            s->setDelay({}, delay, jitter);
        saveKnobs();
    });
    connect(m_controls, &ControlsPanel::rebuildRequested, this, [this] {
        if (m_lifecycle
                ->isReady()) // nothing to rebuild from while the store opens, or if it could not
            m_lifecycle->session()->rebuild({});
    });
    connect(m_controls, &ControlsPanel::resetRequested, this, &MainWindow::resetDemoData);
    connect(m_controls, &ControlsPanel::trafficRateChanged, this, [this](int rate) {
        m_diagram->setTrafficRate(rate);
        if (LabSession* s = session())
            s->setTrafficRate(rate);
    });
    connect(m_controls, &ControlsPanel::analyticsRateChanged, this, [this](int rate) {
        if (LabSession* s = session())
            s->setAnalyticsRate(rate);
    });
}

LabSession* MainWindow::session() const {
    return m_lifecycle->session();
}

void MainWindow::saveKnobs() const {
    if (!m_restoring)
        LabSettings::saveKnobs(m_controls->knobs());
}

SessionConfig MainWindow::sessionConfig() const {
    SessionConfig config;
    config.dataDir = m_dataDirectory;
    config.architecture = m_controls->architecture();
    config.synchronousUpdate = m_controls->synchronous();
    config.delayMs = m_controls->delayMs();
    config.jitterMs = m_controls->jitterMs();
    return config;
}

void MainWindow::onArchitectureKnob(ArchitectureMode mode) {
    saveKnobs();
    if (m_restoring)
        return;
    const LabLifecycle::Phase phase = m_lifecycle->phase();
    LabSession* current = session();
    const bool reopen =
        phase == LabLifecycle::Phase::Failed ||
        (phase == LabLifecycle::Phase::Ready && current && current->reopenNeededFor(mode));
    if (reopen) {
        // CRUD runs on the rollback journal, CQRS on WAL: SQLite only
        // switches with every connection closed.
        m_pendingStatus = mode == ArchitectureMode::Crud
                              ? tr("Reopening the write store on SQLite's rollback journal (CRUD)…")
                              : tr("Reopening the write store on a write-ahead log (CQRS)…");
        m_lifecycle->restart(sessionConfig(), false);
        return;
    }
    if (phase == LabLifecycle::Phase::Ready && current)
        current->setArchitecture(mode); // opening: onOpened() catches up with the knob
    m_refresher->markAllDirty();
}

void MainWindow::onSessionStarted(LabSession* session) {
    connect(session, &LabSession::snapshotReady, this, &MainWindow::onSnapshot);
    connect(session, &LabSession::advanced, this,
            [this, session](const ProjectionAdvance& advance) {
                m_diagram->projectionAdvanced(advance);
                // CRUD reads the write tables: the head drives the refresh there.
                if (session->state().architecture != ArchitectureMode::Crud)
                    m_refresher->projectionAdvanced(advance.projection);
            });
    connect(session, &LabSession::eventsAppended, this, [this](const EventList& events) {
        m_dashboard->appendEvents(events);
        m_diagram->eventsAppended(events);
        if (!events.isEmpty())
            m_status->showHead(events.last().position);
    });
    connect(session, &LabSession::trafficRejected, this,
            [this](const QString& reason) { m_lastTrafficRejection = reason; });
    connect(session, &LabSession::stateChanged, this, &MainWindow::onSessionState);
    m_sender->setSession(session);
    m_refresher->setSession(session);
    m_receipts->setSession(session);
    m_diagram->clear();
    m_formCatalog.clear();
    m_lastHead = -1;
    m_status->restartRate();
    session->setTrafficRate(m_controls->trafficRate());
    session->setAnalyticsRate(m_controls->analyticsRate());
    onSessionState(session->state());
}

void MainWindow::onPhaseChanged() {
    const LabLifecycle::Phase phase = m_lifecycle->phase();
    const bool ready = phase == LabLifecycle::Phase::Ready;
    m_form->setEnabled(ready);
    m_admin->setEnabled(ready);
    m_controls->setLabAvailable(ready);
    switch (phase) {
    case LabLifecycle::Phase::Opening:
        statusBar()->showMessage(tr("Opening %1…").arg(folderName(m_dataDirectory)));
        break;
    case LabLifecycle::Phase::Restarting:
        m_sender->setSession(nullptr);
        m_refresher->setSession(nullptr);
        m_receipts->setSession(nullptr);
        m_status->showReopening();
        statusBar()->showMessage(m_pendingStatus.isEmpty() ? tr("Restarting…") : m_pendingStatus);
        break;
    case LabLifecycle::Phase::Failed:
        statusBar()->showMessage(tr("The write store could not be opened."));
        break;
    case LabLifecycle::Phase::ShuttingDown:
        m_sender->setSession(nullptr);
        m_refresher->setSession(nullptr);
        m_receipts->setSession(nullptr);
        break;
    case LabLifecycle::Phase::Idle:
    case LabLifecycle::Phase::Ready:
    case LabLifecycle::Phase::ShutDown:
        break;
    }
}

void MainWindow::onOpened(const StoreInfo& info) {
    m_pendingStatus.clear();
    LabSession* current = session();
    if (current->reopenNeededFor(m_controls->architecture())) {
        // The knob crossed between CRUD and CQRS while the store opened.
        m_pendingStatus = tr("Reopening the write store for %1…")
                              .arg(architectureModeName(m_controls->architecture()).toUpper());
        m_lifecycle->restart(sessionConfig(), false);
        return;
    }
    if (current->state().architecture != m_controls->architecture())
        current->setArchitecture(m_controls->architecture());
    if (current->state().synchronousUpdate != m_controls->synchronous())
        current->setSynchronousUpdate(m_controls->synchronous());
    current->setDelay({}, m_controls->delayMs(), m_controls->jitterMs());
    statusBar()->showMessage(
        info.seeded ? tr("New store with the demo catalog: %1").arg(folderName(m_dataDirectory))
                    : tr("Opened %1").arg(folderName(m_dataDirectory)),
        8000);
}

void MainWindow::showOpenFailure(const QString& error) {
    QMessageBox* box = openFailureBox(this, error);
    connect(box, &QMessageBox::buttonClicked, this, [this, box](QAbstractButton* button) {
        if (box->standardButton(button) == QMessageBox::Retry &&
            m_lifecycle->phase() == LabLifecycle::Phase::Failed) {
            m_pendingStatus = tr("Opening %1 again…").arg(folderName(m_dataDirectory));
            m_lifecycle->restart(sessionConfig(), false);
        }
    });
    box->open();
}

void MainWindow::onSessionState(const SessionState& state) {
    m_diagram->showState(state);
    m_dashboard->setViewsInUse(state.architecture != ArchitectureMode::Crud);
    m_controls->setSynchronousProblem(state.synchronousProblem);
    m_status->showState(state);
}

void MainWindow::onSnapshot(const LagSnapshot& snapshot) {
    LabSession* current = session();
    if (!current)
        return;
    const double t = m_clock.nsecsElapsed() / 1e9;
    m_dashboard->applySnapshot(snapshot, t);
    m_diagram->showSnapshot(snapshot);
    const LatencyHistogram checkout = current->takeCheckoutWindow();
    m_dashboard->addCheckoutLatencies(t, checkout);
    LessonObservation observed;
    observed.atMs = snapshot.takenAtNs / 1e6; // when the figures were measured
    observed.architecture = current->state().architecture;
    observed.synchronousActive = current->state().synchronousUpdateActive;
    observed.analyticsRate = m_controls->analyticsRate();
    observed.filling = current->trafficStats().filling > 0;
    observed.ordersInStore = snapshot.write.orders;
    observed.commandsQueued = snapshot.write.queued;
    observed.checkout = checkout;
    m_lessonRunner->observe(observed);
    qint64 rebuildDone = -1;
    qint64 rebuildTarget = 0;
    for (const ProjectionLag& lag : snapshot.projections) {
        if (lag.status.state == ProjectionState::Rebuilding && lag.status.rebuildTarget > 0) {
            rebuildDone = std::max<qint64>(0, rebuildDone) + lag.status.rebuildDone;
            rebuildTarget += lag.status.rebuildTarget;
        }
    }
    m_controls->setRebuildProgress(rebuildDone, rebuildTarget);
    if (current->state().architecture == ArchitectureMode::Crud && snapshot.head != m_lastHead)
        m_refresher->markAllDirty();
    m_lastHead = snapshot.head;
    m_refresher->snapshotArrived();

    m_status->showSnapshot(snapshot);
    updateTrafficInfo();
}

void MainWindow::updateTrafficInfo() {
    LabSession* current = session();
    const bool running =
        current && (m_controls->trafficRate() > 0 || m_controls->analyticsRate() > 0);
    m_controls->showTraffic(running ? current->trafficStats() : TrafficStats{},
                            running && m_controls->analyticsRate() > 0 ? current->analyticsStats()
                                                                       : AnalyticsStats{},
                            running, m_lastTrafficRejection);
}

void MainWindow::onNodeActivated(const QString& id, const QString& projection) {
    // A view's node opens its table; any other says what it is, where it is.
    if (!projection.isEmpty()) {
        m_dashboard->showView(projection);
        return;
    }
    if (FlowNode* node = m_diagram->nodeWithId(id))
        QToolTip::showText(node->mapToGlobal(node->rect().bottomLeft()), node->toolTip(), node);
}

void MainWindow::zoomIn() {
    m_zoom->zoomIn();
}
void MainWindow::zoomOut() {
    m_zoom->zoomOut();
}
void MainWindow::resetZoom() {
    m_zoom->reset();
}
double MainWindow::zoom() const {
    return m_zoom->factor();
}

bool MainWindow::canReset() const {
    const LabLifecycle::Phase phase = m_lifecycle->phase();
    return phase == LabLifecycle::Phase::Ready || phase == LabLifecycle::Phase::Failed;
}

void MainWindow::resetDemoData() {
    if (!canReset()) // not while the store is still opening
        return;
    QMessageBox* box = resetQuestionBox(this, m_dataDirectory,
                                        m_lifecycle->phase() == LabLifecycle::Phase::Failed);
    connect(box, &QMessageBox::accepted, this, &MainWindow::resetDemoDataNow);
    box->open();
}

void MainWindow::resetDemoDataNow() {
    if (!canReset())
        return;
    // Everything a demo changed goes back to how a launch finds it.
    m_restoring = true;
    m_controls->setKnobs(KnobSettings{});
    m_controls->setTrafficRate(0);
    m_controls->setAnalyticsRate(0);
    m_restoring = false;
    saveKnobs();
    m_form->reset();
    m_dashboard->clear();
    m_formCatalog.clear();
    m_admin->reset();
    m_lastTrafficRejection.clear();
    m_pendingStatus = tr("Resetting…");
    m_lifecycle->restart(sessionConfig(), true);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_lifecycle->phase() == LabLifecycle::Phase::ShutDown) {
        event->accept();
        return;
    }
    // Hide at once; the lab's threads are joined off this thread, and the
    // window closes for good once they are (shutDownFinished()).
    LabSettings::saveWindow(this);
    saveKnobs();
    m_closeRequested = true;
    event->ignore();
    hide();
    m_lifecycle->shutdown();
}

bool MainWindow::isReady() const {
    return m_lifecycle->isReady();
}
bool MainWindow::isShutDown() const {
    return m_lifecycle->phase() == LabLifecycle::Phase::ShutDown;
}

} // namespace cqrs::ui
