#include "ui/mainwindow.h"

#include "ui/catalogadminpanel.h"
#include "ui/checkoutform.h"
#include "ui/controlspanel.h"
#include "ui/customerstatsmodel.h"
#include "ui/eventstreammodel.h"
#include "ui/productsaleschart.h"
#include "ui/productsalesmodel.h"
#include "ui/projectionpanel.h"
#include "ui/recentordersmodel.h"
#include "ui/searchresultsmodel.h"
#include "ui/timeserieschart.h"
#include "util/money.h"
#include "util/monotonicclock.h"
#include "util/whenready.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

namespace cqrs::ui {

namespace {
constexpr int recentOrdersPage = 200;
constexpr int revenueSeconds = 120;
constexpr double minZoom = 0.6;
constexpr double maxZoom = 3.0;

QTableView* makeTable(QAbstractItemModel* model, int sortColumn, Qt::SortOrder order, const QString& name,
                      QWidget* parent, int stretchColumn = -1)
{
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(SortRole);
    proxy->setDynamicSortFilter(true);
    auto* table = new QTableView(parent);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(sortColumn, order);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(stretchColumn < 0);
    if (stretchColumn >= 0)
        table->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    table->horizontalHeader()->setHighlightSections(false);
    table->setWordWrap(false);
    table->setAccessibleName(name);
    return table;
}

/// The projection that feeds each dashboard view.
QString projectionOf(int view)
{
    static const char* names[] = {"order_summary", "customer_stats", "product_sales", "revenue_timeline",
                                  "search_index"};
    return QString::fromLatin1(names[view]);
}
} // namespace

MainWindow::MainWindow(const QString& dataDirectory, QWidget* parent)
    : QMainWindow(parent)
    , m_dataDirectory(dataDirectory)
{
    setWindowTitle(tr("CQRS Lab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/cqrs-lab.png")));
    m_baseFontPointSize = font().pointSizeF();
    m_clock.start();

    // Left: the write side.
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* checkoutBox = new QGroupBox(tr("Checkout — sends commands to the write side"), left);
    auto* checkoutLayout = new QVBoxLayout(checkoutBox);
    m_form = new CheckoutForm(checkoutBox);
    checkoutLayout->addWidget(m_form);
    auto* adminBox = new QGroupBox(tr("Catalog admin"), left);
    auto* adminLayout = new QVBoxLayout(adminBox);
    m_admin = new CatalogAdminPanel(adminBox);
    adminLayout->addWidget(m_admin);
    leftLayout->addWidget(checkoutBox, 3);
    leftLayout->addWidget(adminBox, 0);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(buildDashboard());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({470, 800});
    splitter->setChildrenCollapsible(false);
    setCentralWidget(splitter);

    m_controls = new ControlsPanel(this);
    auto* dock = new QDockWidget(tr("Knobs"), this);
    dock->setObjectName(QStringLiteral("knobs"));
    dock->setWidget(m_controls);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    m_headLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    m_modeLabel = new QLabel(this);
    for (QLabel* label : {m_modeLabel, m_headLabel, m_rateLabel})
        label->setContentsMargins(10, 0, 10, 0);
    statusBar()->addPermanentWidget(m_modeLabel);
    statusBar()->addPermanentWidget(m_headLabel);
    statusBar()->addPermanentWidget(m_rateLabel);

    buildMenus();
    resize(1560, 980);

    connect(m_form, &CheckoutForm::placeOrderRequested, this, &MainWindow::submitOrder);
    connect(m_admin, &CatalogAdminPanel::commandRequested, this, &MainWindow::submitAdminCommand);
    connect(m_projections, &ProjectionPanel::pauseToggled, this, [this](const QString& name, bool paused) {
        if (m_lab)
            m_lab->projections().setPaused(name, paused);
    });
    connect(m_projections, &ProjectionPanel::retryRequested, this, [this](const QString& name) {
        if (m_lab)
            m_lab->projections().retry(name);
    });
    connect(m_controls, &ControlsPanel::architectureChanged, this, [this](ArchitectureMode mode) {
        if (m_lab && ((m_ready && m_lab->reopenNeededFor(mode)) || m_openFailed)) {
            // CRUD runs on the rollback journal, CQRS on WAL: SQLite only
            // switches with every connection closed.
            saveSettings();
            restartLab(false, mode == ArchitectureMode::Crud
                                  ? tr("Reopening the write store on SQLite's rollback journal (CRUD)…")
                                  : tr("Reopening the write store on a write-ahead log (CQRS)…"));
            return;
        }
        if (m_lab)
            m_lab->setArchitecture(mode); // opening: onLabOpened() reopens if needed
        if (m_analytics)
            m_analytics->setMode(mode);
        for (int view = 0; view < ViewCount; ++view)
            markDirty(View(view));
        saveSettings();
    });
    connect(m_controls, &ControlsPanel::synchronousChanged, this, [this](bool synchronous) {
        if (m_lab)
            m_lab->setSynchronousUpdate(synchronous);
        saveSettings();
    });
    connect(m_controls, &ControlsPanel::consistencyChanged, this, [this](ConsistencyMode mode) {
        m_consistency = mode;
        saveSettings();
    });
    connect(m_controls, &ControlsPanel::delayChanged, this, [this](int delay, int jitter) {
        if (m_lab)
            m_lab->projections().setDelay({}, delay, jitter);
        saveSettings();
    });
    connect(m_controls, &ControlsPanel::rebuildRequested, this, [this] {
        if (m_lab && m_ready) // nothing to rebuild from while the store opens, or if it could not
            m_lab->projections().rebuild({});
    });
    connect(m_controls, &ControlsPanel::resetRequested, this, &MainWindow::resetDemoData);
    connect(m_controls, &ControlsPanel::analyticsRateChanged, this, [this](int rate) {
        if (m_analytics)
            m_analytics->setRate(rate);
        saveSettings();
    });
    connect(m_controls, &ControlsPanel::trafficRateChanged, this, [this](int rate) {
        if (m_traffic)
            m_traffic->setRate(rate);
        saveSettings();
    });

    // Dirty views are queried half a snapshot interval after each lag
    // snapshot (onSnapshot), so their tables repaint in a frame of their own
    // instead of in the same paint as the charts and bars the snapshot
    // updated: the GUI thread's longest stretch away from its event loop is
    // what one paint costs (docs/benchmarks.md, target 6).
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(50);
    connect(&m_refresh, &QTimer::timeout, this, &MainWindow::refreshDirtyViews);
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(200);
    connect(&m_searchDebounce, &QTimer::timeout, this, [this] { markDirty(SearchView); });
    connect(m_searchBox, &QLineEdit::textChanged, &m_searchDebounce, qOverload<>(&QTimer::start));

    restoreSettings();
    startLab();
}

MainWindow::~MainWindow()
{
    // A restart's old Lab may still be closing on the pool; its owners are
    // held by a watcher this window deletes, so let it finish first.
    m_closing.waitForFinished();
    if (m_analytics)
        m_analytics->stop();
    if (m_traffic)
        m_traffic->stop();
    // The bus calls the stream directly from its worker after each commit:
    // no commit may come once the stream's worker is gone.
    if (m_lab)
        m_lab->bus().close();
    if (m_stream)
        m_stream->stop();
    if (m_lab)
        m_lab->close();
}

QWidget* MainWindow::buildDashboard()
{
    auto* dashboard = new QWidget(this);
    auto* layout = new QVBoxLayout(dashboard);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* readBox = new QGroupBox(tr("Read side — projections"), dashboard);
    auto* readLayout = new QVBoxLayout(readBox);
    m_banner = new QLabel(readBox);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setAccessibleName(tr("Write side versus read side"));
    m_projections = new ProjectionPanel(readBox);
    // Both change ten times a second. Painting their own plain background
    // makes them opaque, so Qt does not repaint the group box's frame under
    // them each time (Fusion draws it from a pixmap, a fill big enough that
    // Qt hands it to its GUI thread pool and waits).
    m_banner->setAutoFillBackground(true);
    m_projections->setAutoFillBackground(true);
    readLayout->addWidget(m_banner);
    readLayout->addWidget(m_projections);

    m_lagChart = new TimeSeriesChart(
        tr("Consistency lag — visibility latency p50/p99 (thick), time behind per view (thin)"),
        tr("ms"),
        {{tr("p50"), QColor(0x1e, 0x84, 0x49), 2.5},
         {tr("p99"), QColor(0xc0, 0x39, 0x2b), 2.5},
         {tr("orders"), QColor(0x2c, 0x6f, 0xbb), 1.2},
         {tr("customers"), QColor(0x8e, 0x44, 0xad), 1.2},
         {tr("products"), QColor(0xd6, 0x89, 0x10), 1.2},
         {tr("revenue"), QColor(0x16, 0xa0, 0x85), 1.2},
         {tr("search"), QColor(0x7f, 0x8c, 0x8d), 1.2}},
        60.0, dashboard);
    m_lagChart->setAccessibleName(tr("Consistency lag chart"));

    m_orders = new RecentOrdersModel(this);
    m_customers = new CustomerStatsModel(this);
    m_products = new ProductSalesModel(this);
    m_search = new SearchResultsModel(this);

    m_tabs = new QTabWidget(dashboard);
    m_tabs->addTab(makeTable(m_orders, RecentOrdersModel::OrderColumn, Qt::DescendingOrder, tr("Recent orders"), m_tabs,
                             RecentOrdersModel::CustomerColumn),
                   tr("Recent &orders"));
    m_tabs->addTab(makeTable(m_customers, CustomerStatsModel::SpentColumn, Qt::DescendingOrder, tr("Customer stats"), m_tabs,
                             CustomerStatsModel::NameColumn),
                   tr("C&ustomers"));
    auto* productsPage = new QSplitter(Qt::Horizontal, m_tabs);
    productsPage->addWidget(makeTable(m_products, ProductSalesModel::RevenueColumn, Qt::DescendingOrder, tr("Product sales"), productsPage,
                                        ProductSalesModel::NameColumn));
    m_productChart = new ProductSalesChart(productsPage);
    productsPage->addWidget(m_productChart);
    m_tabs->addTab(productsPage, tr("&Products"));
    m_revenueChart = new TimeSeriesChart(tr("Revenue per second (read view)"), QString(),
                                         {{tr("revenue"), QColor(0x2c, 0x6f, 0xbb), 2.0},
                                          {tr("refunds"), QColor(0xc0, 0x39, 0x2b), 1.5}},
                                         double(revenueSeconds), m_tabs);
    m_tabs->addTab(m_revenueChart, tr("Re&venue"));

    auto* searchPage = new QWidget(m_tabs);
    auto* searchLayout = new QVBoxLayout(searchPage);
    m_searchBox = new QLineEdit(searchPage);
    m_searchBox->setPlaceholderText(tr("Search orders, customers and products — e.g. alice mug"));
    m_searchBox->setClearButtonEnabled(true);
    m_searchBox->setAccessibleName(tr("Search"));
    searchLayout->addWidget(m_searchBox);
    auto* searchTable = makeTable(m_search, 0, Qt::AscendingOrder, tr("Search results"), searchPage, 2);
    searchTable->setSortingEnabled(false);
    searchLayout->addWidget(searchTable);
    m_tabs->addTab(searchPage, tr("&Search"));

    m_events = new EventStreamModel({tr("Orders"), tr("Customers"), tr("Products"), tr("Revenue"), tr("Search")}, 500, this);
    auto* eventTable = makeTable(m_events, EventStreamModel::PositionColumn, Qt::DescendingOrder, tr("Event stream"), m_tabs);
    eventTable->horizontalHeader()->setSectionResizeMode(EventStreamModel::SummaryColumn, QHeaderView::Stretch);
    eventTable->horizontalHeader()->setStretchLastSection(false);
    m_tabs->addTab(eventTable, tr("&Event stream"));

    m_checkoutChart = new TimeSeriesChart(tr("Checkout latency — simulated commands, submit to answer"), tr("ms"),
                                          {{tr("p50"), QColor(0x1e, 0x84, 0x49), 2.0},
                                           {tr("p99"), QColor(0xc0, 0x39, 0x2b), 2.0},
                                           {tr("max"), QColor(0x7f, 0x8c, 0x8d, 150), 1.0}},
                                          60.0, dashboard);
    m_checkoutChart->setAccessibleName(tr("Checkout latency chart"));
    m_lagChart->setMinimumHeight(225);
    m_checkoutChart->setMinimumHeight(160);
    auto* charts = new QSplitter(Qt::Vertical, dashboard);
    charts->addWidget(m_lagChart);
    charts->addWidget(m_checkoutChart);
    charts->addWidget(m_tabs);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    charts->setStretchFactor(2, 5);
    layout->addWidget(readBox);
    layout->addWidget(charts, 1);
    return dashboard;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* reset = file->addAction(tr("&Reset demo data…"), this, &MainWindow::resetDemoData);
    reset->setStatusTip(tr("Delete the stores and start again from the demo catalog"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* in = view->addAction(tr("Zoom &in"), this, &MainWindow::zoomIn);
    // The platform's zoom keys may repeat ours; a repeated key would be ambiguous.
    const auto unique = [](QList<QKeySequence> keys) {
        QList<QKeySequence> result;
        for (const QKeySequence& key : keys) {
            if (!key.isEmpty() && !result.contains(key))
                result.append(key);
        }
        return result;
    };
    in->setShortcuts(unique(QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)}
                            + QKeySequence::keyBindings(QKeySequence::ZoomIn)));
    QAction* out = view->addAction(tr("Zoom &out"), this, &MainWindow::zoomOut);
    out->setShortcuts(unique(QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Minus)} + QKeySequence::keyBindings(QKeySequence::ZoomOut)));
    QAction* normal = view->addAction(tr("&Actual size"), this, &MainWindow::resetZoom);
    normal->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About CQRS Lab"), this, [this] {
        QMessageBox::about(this, tr("About CQRS Lab"),
                           tr("<h3>CQRS Lab %1</h3><p>Commands change a normalized write store and append "
                              "events in the same transaction. Projectors fold the events into read views "
                              "on their own threads; the dashboard reads only those views.</p><p>Turn the "
                              "knobs to watch eventual consistency happen.</p><p>Data: %2</p>")
                               .arg(QCoreApplication::applicationVersion(), m_dataDirectory.toHtmlEscaped()));
    });
}

void MainWindow::startLab()
{
    m_ready = false;
    LabConfig config;
    config.dataDir = m_dataDirectory;
    config.architecture = m_controls->architecture();
    config.synchronousUpdate = m_controls->synchronous();
    m_lab = std::make_unique<Lab>(config);
    m_lab->projections().setDelay({}, m_controls->delayMs(), m_controls->jitterMs());
    connect(&m_lab->projections(), &ProjectionEngine::advanced, this, &MainWindow::onAdvanced);
    connect(&m_lab->lag(), &LagMonitor::snapshotReady, this, &MainWindow::onSnapshot);
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(m_dataDirectory)));
    // A reset may replace the Lab before it has opened: that answer is stale.
    whenReady(m_lab->open(), this, [this, lab = m_lab.get()](const StoreInfo& info) {
        if (lab == m_lab.get())
            onLabOpened(info);
    });
}

void MainWindow::onLabOpened(const StoreInfo& info)
{
    if (!info.ok && m_lab->reopenNeededFor(m_controls->architecture())) {
        // The knob moved on while this store opened (and failed): try the
        // mode it shows now.
        restartLab(false, tr("Reopening the write store for %1…").arg(architectureModeName(m_controls->architecture()).toUpper()));
        return;
    }
    if (!info.ok) {
        m_openFailed = true;
        m_form->setEnabled(false);
        m_admin->setEnabled(false);
        statusBar()->showMessage(tr("The write store could not be opened."));
        showOpenFailure(info.error);
        return;
    }
    if (m_lab->reopenNeededFor(m_controls->architecture())) {
        // The knob crossed between CRUD and CQRS while the store opened.
        restartLab(false, tr("Reopening the write store for %1…").arg(architectureModeName(m_controls->architecture()).toUpper()));
        return;
    }
    m_form->setEnabled(true);
    m_admin->setEnabled(true);
    m_stream = std::make_unique<EventStream>(m_lab->writeDbPath(), 500);
    connect(m_stream.get(), &EventStream::eventsAppended, m_events, &EventStreamModel::appendEvents);
    m_stream->start();
    connect(&m_lab->bus(), &CommandBus::committed, m_stream.get(), &EventStream::notifyCommitted,
            Qt::DirectConnection);
    statusBar()->showMessage(info.seeded ? tr("New store with the demo catalog: %1").arg(QDir::toNativeSeparators(m_dataDirectory))
                                         : tr("Opened %1").arg(QDir::toNativeSeparators(m_dataDirectory)),
                             8000);
    m_traffic = std::make_unique<LoadGenerator>(&m_lab->bus(), 7);
    m_traffic->setRate(m_controls->trafficRate());
    connect(m_traffic.get(), &LoadGenerator::rejectedSample, this,
            [this](const QString& reason) { m_lastTrafficRejection = reason; });
    m_traffic->start();
    m_analytics = std::make_unique<AnalyticsLoad>(m_lab->writeDbPath(), m_lab->readDbPath(), 11);
    m_analytics->setMode(m_lab->architecture());
    m_analytics->setRate(m_controls->analyticsRate());
    m_analytics->start();
    m_ready = true;
    for (int view = 0; view < ViewCount; ++view)
        markDirty(View(view));
    m_refresh.start();
}

void MainWindow::showOpenFailure(const QString& error)
{
    // Window-modal, not a nested event loop: the window keeps drawing, and
    // the box offers the two ways out.
    auto* box = new QMessageBox(QMessageBox::Critical, tr("CQRS Lab"),
                                tr("<p>The write store could not be opened.</p><p>%1</p>"
                                   "<p>Fix the cause and choose <b>Retry</b>, or choose <b>File › Reset demo "
                                   "data</b> to delete the store and start a fresh one.</p>")
                                    .arg(error.toHtmlEscaped()),
                                QMessageBox::Retry | QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("openFailure"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Retry);
    connect(box, &QMessageBox::buttonClicked, this, [this, box](QAbstractButton* button) {
        if (box->standardButton(button) == QMessageBox::Retry && m_openFailed)
            restartLab(false, tr("Opening %1 again…").arg(QDir::toNativeSeparators(m_dataDirectory)));
    });
    box->open();
}

void MainWindow::onAdvanced(const ProjectionAdvance& advance)
{
    if (m_lab && m_lab->architecture() == ArchitectureMode::Crud)
        return; // the dashboard reads the write tables; head changes drive it
    for (int view = 0; view < ViewCount; ++view) {
        if (projectionOf(view) == advance.projection)
            markDirty(View(view));
    }
}

void MainWindow::onSnapshot(const LagSnapshot& snapshot)
{
    if (m_ready && !m_refresh.isActive())
        m_refresh.start();
    m_projections->applySnapshot(snapshot);
    const double t = m_clock.nsecsElapsed() / 1e9;
    QList<double> values{snapshot.p50Ms, snapshot.p99Ms};
    for (const ProjectionLag& lag : snapshot.projections)
        values.append(lag.timeBehindMs);
    m_lagChart->addSample(t, values);
    if (m_traffic) {
        const LatencyHistogram checkout = m_traffic->takeWindow();
        if (checkout.count() > 0)
            m_checkoutChart->addSample(t, {checkout.quantileMs(0.5), checkout.quantileMs(0.99), checkout.maxMs()});
        else
            m_checkoutChart->addSample(t, {0, 0, 0});
    }

    QList<qint64> checkpoints;
    qint64 rebuildDone = -1;
    qint64 rebuildTarget = 0;
    for (const ProjectionLag& lag : snapshot.projections) {
        checkpoints.append(lag.status.checkpoint);
        if (lag.status.state == ProjectionState::Rebuilding && lag.status.rebuildTarget > 0) {
            rebuildDone = std::max<qint64>(0, rebuildDone) + lag.status.rebuildDone;
            rebuildTarget += lag.status.rebuildTarget;
        }
    }
    m_events->setCheckpoints(checkpoints);
    m_controls->setRebuildProgress(rebuildDone, rebuildTarget);

    const bool crud = m_lab && m_lab->architecture() == ArchitectureMode::Crud;
    if (crud && snapshot.head != m_lastHead) {
        for (int view = 0; view < ViewCount; ++view)
            markDirty(View(view));
    }
    m_lastHead = snapshot.head;

    if (crud)
        m_banner->setText(tr("Orders in the write store: <b>%1</b> · the dashboard reads the write tables directly (CRUD)")
                              .arg(formatCount(snapshot.write.orders)));
    else
        m_banner->setText(tr("Orders in the write store: <b>%1</b> · in the read view: <b>%2</b>%3")
                              .arg(formatCount(snapshot.write.orders), formatCount(m_readViewOrders),
                                   snapshot.write.orders > m_readViewOrders
                                       ? tr(" <span style='color:#b36b00'>(%1 not visible yet)</span>")
                                             .arg(formatCount(snapshot.write.orders - m_readViewOrders))
                                       : QString()));

    m_headLabel->setText(tr("head position %1").arg(formatCount(snapshot.head)));
    const qint64 commands = snapshot.write.commandsAccepted + snapshot.write.commandsRejected;
    if (m_rateWindowStartNs == 0 || snapshot.takenAtNs - m_rateWindowStartNs >= 1'000'000'000) {
        // A restarted Lab counts from zero again: start a new window then.
        if (m_rateWindowStartNs != 0 && commands >= m_rateCommands && snapshot.head >= m_rateEvents) {
            const double seconds = (snapshot.takenAtNs - m_rateWindowStartNs) / 1e9;
            m_rateLabel->setText(tr("%1 commands/s · %2 events/s")
                                     .arg(qRound((commands - m_rateCommands) / seconds))
                                     .arg(qRound((snapshot.head - m_rateEvents) / seconds)));
        }
        m_rateWindowStartNs = snapshot.takenAtNs;
        m_rateCommands = commands;
        m_rateEvents = snapshot.head;
    }
    updateTrafficInfo();
    if (m_lab)
        m_modeLabel->setText(tr("%1 · %2 · %3")
                                 .arg(architectureModeName(m_lab->architecture()).toUpper(),
                                      m_lab->journal() == JournalMode::Rollback ? tr("rollback journal") : tr("WAL"),
                                      m_lab->synchronousUpdate() ? tr("sync update") : tr("async update")));
}

ReadOptions MainWindow::readOptions() const
{
    ReadOptions options;
    options.consistency = m_consistency;
    options.minPosition = m_consistency == ConsistencyMode::ReadYourWrites ? m_ownPosition : 0;
    options.timeoutMs = 2000;
    return options;
}

void MainWindow::noteQueryMeta(const QueryMeta& meta)
{
    if (meta.stillCatchingUp)
        statusBar()->showMessage(meta.message, 3000);
    else if (!meta.ok())
        statusBar()->showMessage(tr("A dashboard query failed: %1").arg(meta.error), 5000);
}

void MainWindow::markDirty(View view) { m_dirty[view] = true; }

void MainWindow::refreshDirtyViews()
{
    if (!m_ready)
        return;
    for (int view = 0; view < ViewCount; ++view) {
        if (m_dirty[view] && !m_inFlight[view]) {
            m_dirty[view] = false;
            m_inFlight[view] = true;
            runQuery(View(view));
        }
    }
}

void MainWindow::runQuery(View view)
{
    QueryService& queries = m_lab->queries();
    const ReadOptions options = readOptions();
    const auto done = [this, view] { m_inFlight[view] = false; };
    switch (view) {
    case OrdersView:
        whenReady(queries.recentOrders(recentOrdersPage, options), this, [this, done](const OrderPage& page) {
            done();
            noteQueryMeta(page.meta);
            if (page.meta.ok()) {
                m_readViewOrders = page.totalOrders;
                m_orders->applyPage(page);
            }
        });
        break;
    case CustomersView:
        whenReady(queries.customerStats(options), this, [this, done](const CustomerStatsResult& result) {
            done();
            noteQueryMeta(result.meta);
            if (result.meta.ok()) {
                m_customerRows = result.rows;
                m_customers->setRows(result.rows);
                updateCatalogForForm();
            }
        });
        break;
    case ProductsView:
        whenReady(queries.productSales(options), this, [this, done](const ProductSalesResult& result) {
            done();
            noteQueryMeta(result.meta);
            if (result.meta.ok()) {
                m_productRows = result.rows;
                m_products->setRows(result.rows);
                m_productChart->setRows(result.rows);
                m_admin->setProducts(result.rows);
                updateCatalogForForm();
            }
        });
        break;
    case RevenueView:
        whenReady(queries.revenue(revenueSeconds, options), this, [this, done](const RevenueSeries& series) {
            done();
            noteQueryMeta(series.meta);
            if (!series.meta.ok())
                return;
            QList<double> times;
            QList<QList<double>> values;
            for (const RevenuePoint& point : series.points) {
                times.append(double(point.second));
                values.append({point.revenueCents / 100.0, point.refundedCents / 100.0});
            }
            m_revenueChart->setSamples(times, values, double(wallNowMs() / 1000));
        });
        break;
    case SearchView:
        whenReady(queries.search(m_searchBox->text(), 100, options), this, [this, done](const SearchResult& result) {
            done();
            noteQueryMeta(result.meta);
            if (result.meta.ok() && result.query == m_searchBox->text())
                m_search->applyResult(result);
            else if (result.query != m_searchBox->text())
                markDirty(SearchView);
        });
        break;
    case ViewCount:
        break;
    }
}

void MainWindow::updateCatalogForForm()
{
    CatalogSnapshot catalog;
    for (const CustomerStatsRow& c : std::as_const(m_customerRows))
        catalog.customers.append({c.customerId, c.name, QString(), c.city});
    for (const ProductSalesRow& p : std::as_const(m_productRows))
        catalog.products.append({p.productId, p.sku, p.name, p.category, p.priceCents, int(p.stock), p.discontinued, 0});
    m_form->setCatalog(catalog);
}

void MainWindow::submitOrder(const PlaceOrder& order)
{
    if (!m_lab)
        return;
    whenReady(m_lab->bus().submit(order), this, [this, order](const CommandResult& result) {
        m_form->showResult(result);
        if (!result.accepted() || result.duplicate)
            return;
        m_ownPosition = std::max(m_ownPosition, result.lastPosition);
        // Show the order at once, from the command's answer: pending until the
        // Order summary view has applied its event.
        OrderSummaryRow row;
        row.orderId = result.entityId;
        row.customerId = order.customerId;
        row.lastPosition = result.lastPosition;
        row.lineCount = int(order.lines.size());
        row.status = QStringLiteral("placed");
        row.placedAtMs = wallNowMs();
        for (const CustomerInfo& c : m_form->catalog().customers) {
            if (c.id == order.customerId)
                row.customerName = c.name;
        }
        for (const OrderLineRequest& line : order.lines) {
            row.itemCount += line.quantity;
            row.totalCents += line.quantity * line.shownUnitPriceCents.value_or(0);
        }
        m_orders->addPending(row);
        markDirty(OrdersView);
    });
}

void MainWindow::submitAdminCommand(const Command& command, const QString& what)
{
    if (!m_lab)
        return;
    whenReady(m_lab->bus().submit(command), this, [this, what](const CommandResult& result) {
        m_admin->showResult(what, result);
        if (result.accepted())
            m_ownPosition = std::max(m_ownPosition, result.lastPosition);
    });
}

void MainWindow::updateTrafficInfo()
{
    if (!m_traffic || (m_traffic->rate() <= 0 && (!m_analytics || m_analytics->rate() <= 0))) {
        m_controls->setTrafficInfo(tr("Off. Slide to let simulated customers place orders, or an "
                                      "analytics dashboard run reports."));
        return;
    }
    const TrafficStats stats = m_traffic->stats();
    QString text = tr("%1 accepted, %2 rejected (e.g. “%3”)")
                       .arg(formatCount(stats.accepted), formatCount(stats.rejected),
                            m_lastTrafficRejection.isEmpty() ? tr("none yet") : m_lastTrafficRejection);
    if (m_analytics && m_analytics->rate() > 0) {
        const AnalyticsStats reports = m_analytics->stats();
        text += tr("<br/>%1 reports run, median %2 ms").arg(formatCount(reports.reportsRun))
                    .arg(reports.duration.quantileMs(0.5), 0, 'f', 1);
    }
    m_controls->setTrafficInfo(text);
}

void MainWindow::zoomIn()
{
    m_zoom = std::min(maxZoom, m_zoom * 1.15);
    applyZoom();
}

void MainWindow::zoomOut()
{
    m_zoom = std::max(minZoom, m_zoom / 1.15);
    applyZoom();
}

void MainWindow::resetZoom()
{
    m_zoom = 1.0;
    applyZoom();
}

void MainWindow::applyZoom()
{
    QFont scaled = QApplication::font();
    const double base = m_baseFontPointSize > 0 ? m_baseFontPointSize : 10.0;
    scaled.setPointSizeF(base * m_zoom);
    setFont(scaled);
    // Charts draw their own text: scale it with the rest of the window.
    for (QChartView* view : findChildren<QChartView*>()) {
        QChart* chart = view->chart();
        QFont title = scaled;
        title.setBold(true);
        chart->setTitleFont(title);
        chart->legend()->setFont(scaled);
        for (QAbstractAxis* axis : chart->axes())
            axis->setLabelsFont(scaled);
    }
    for (QTableView* table : findChildren<QTableView*>())
        table->verticalHeader()->setDefaultSectionSize(QFontMetrics(scaled).height() + 6);
    saveSettings();
}

void MainWindow::resetDemoData()
{
    if (!canReset()) // not while the store is still opening
        return;
    const QString folder = QDir::toNativeSeparators(m_dataDirectory);
    const QString question =
        m_openFailed ? tr("The store in %1 could not be opened. Delete its files (write.db, read.db) and start again "
                          "from the demo catalog?")
                           .arg(folder)
                     : tr("Delete every order and event in %1 and start again from the demo catalog?").arg(folder);
    if (QMessageBox::question(this, tr("Reset demo data"), question) != QMessageBox::Yes)
        return;
    resetDemoDataNow();
}

void MainWindow::resetDemoDataNow()
{
    if (!canReset())
        return;
    restartLab(true, tr("Resetting…"));
}

void MainWindow::restartLab(bool wipe, const QString& status)
{
    if (!m_lab)
        return;
    m_ready = false;
    m_openFailed = false;
    m_refresh.stop();
    m_form->setEnabled(false);
    m_admin->setEnabled(false);
    statusBar()->showMessage(status);
    // Joining the worker threads happens off the GUI thread; the window
    // stays responsive and rebuilds everything when they are gone.
    std::shared_ptr<Lab> old(m_lab.release());
    std::shared_ptr<EventStream> stream(m_stream.release());
    std::shared_ptr<LoadGenerator> traffic(m_traffic.release());
    std::shared_ptr<AnalyticsLoad> analytics(m_analytics.release());
    const QString directory = wipe ? m_dataDirectory : QString();
    // The pool thread gets plain pointers; the shared pointers live in the
    // continuation below, so the last owner lets go on the GUI thread, which
    // these objects belong to.
    m_closing = QtConcurrent::run([old = old.get(), stream = stream.get(),
                                                     traffic = traffic.get(), analytics = analytics.get(),
                                                     directory] {
        if (analytics)
            analytics->stop();
        if (traffic)
            traffic->stop();
        old->bus().close(); // its worker calls the stream after each commit
        if (stream)
            stream->stop();
        old->close();
        if (directory.isEmpty())
            return;
        for (const QString& name : {QStringLiteral("write.db"), QStringLiteral("read.db")})
            for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
                QFile::remove(QDir(directory).filePath(name + suffix));
    });
    whenReady(m_closing, this, [this, old, stream, traffic, analytics, wipe] {
        Q_UNUSED(analytics)
        Q_UNUSED(old)
        Q_UNUSED(stream)
        Q_UNUSED(traffic)
        m_events->clear();
        if (wipe) {
            m_ownPosition = 0;
            m_readViewOrders = 0;
        }
        startLab();
    });
}

void MainWindow::restoreSettings()
{
    // Restoring one knob emits its change signal; do not let that save the
    // others before they are restored.
    m_restoring = true;
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const auto mode = architectureModeFromName(settings.value(QStringLiteral("knobs/architecture"), QStringLiteral("physical")).toString());
    m_controls->setArchitecture(mode.value_or(ArchitectureMode::Physical));
    m_controls->setSynchronous(settings.value(QStringLiteral("knobs/synchronous"), false).toBool());
    m_consistency = settings.value(QStringLiteral("knobs/readYourWrites"), false).toBool() ? ConsistencyMode::ReadYourWrites
                                                                                            : ConsistencyMode::Eventual;
    m_controls->setConsistency(m_consistency);
    m_controls->setDelay(settings.value(QStringLiteral("knobs/delayMs"), 0).toInt(),
                         settings.value(QStringLiteral("knobs/jitterMs"), 0).toInt());
    m_controls->setTrafficRate(settings.value(QStringLiteral("traffic/ordersPerS"), 0).toInt());
    m_controls->setAnalyticsRate(settings.value(QStringLiteral("traffic/reportsPerS"), 0).toInt());
    m_zoom = std::clamp(settings.value(QStringLiteral("view/zoom"), 1.0).toDouble(), minZoom, maxZoom);
    if (m_zoom != 1.0)
        applyZoom();
    m_restoring = false;
}

void MainWindow::saveSettings() const
{
    if (m_restoring)
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("knobs/architecture"), architectureModeName(m_controls->architecture()));
    settings.setValue(QStringLiteral("knobs/synchronous"), m_controls->synchronous());
    settings.setValue(QStringLiteral("knobs/readYourWrites"), m_consistency == ConsistencyMode::ReadYourWrites);
    settings.setValue(QStringLiteral("knobs/delayMs"), m_controls->delayMs());
    settings.setValue(QStringLiteral("knobs/jitterMs"), m_controls->jitterMs());
    settings.setValue(QStringLiteral("view/zoom"), m_zoom);
    settings.setValue(QStringLiteral("traffic/ordersPerS"), m_controls->trafficRate());
    settings.setValue(QStringLiteral("traffic/reportsPerS"), m_controls->analyticsRate());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    saveSettings();
    event->accept();
}

} // namespace cqrs::ui
