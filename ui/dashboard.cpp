#include "ui/dashboard.h"

#include "ui/customerstatsmodel.h"
#include "ui/lessonspot.h"
#include "ui/eventstreammodel.h"
#include "ui/productsaleschart.h"
#include "ui/productsalesmodel.h"
#include "ui/recentordersmodel.h"
#include "ui/searchresultsmodel.h"
#include "ui/timeserieschart.h"
#include "util/money.h"
#include "util/monotonicclock.h"

#include <QGroupBox>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace cqrs::ui {

namespace {
QTableView* makeTable(QAbstractItemModel* model, int sortColumn, Qt::SortOrder order,
                      const QString& name, QWidget* parent, int stretchColumn = -1) {
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

double measuredOrGap(bool measured, double value) {
    return measured ? value : std::nan("");
}
} // namespace

Dashboard::Dashboard(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* readBox = new QGroupBox(tr("Read side — what the queries show"), this);
    auto* readLayout = new QVBoxLayout(readBox);
    m_banner = new QLabel(readBox);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setAccessibleName(tr("Write side versus read side"));
    // It changes ten times a second. Painting its own plain background
    // makes it opaque, so Qt does not repaint the group box's frame (a
    // pixmap fill Qt hands to its thread pool) under it each time.
    m_banner->setAutoFillBackground(true);
    readLayout->addWidget(m_banner);
    auto* followHint = new QLabel(
        tr("Double-click an order or an event below to follow it through the lab."), readBox);
    followHint->setAccessibleName(tr("How to follow an order"));
    followHint->setWordWrap(true);
    readLayout->addWidget(followHint);

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
        60.0, this);
    m_lagChart->setAccessibleName(tr("Consistency lag chart"));
    m_checkoutChart =
        new TimeSeriesChart(tr("Checkout latency — simulated commands, submit to commit"), tr("ms"),
                            {{tr("p50"), QColor(0x1e, 0x84, 0x49), 2.0},
                             {tr("p99"), QColor(0xc0, 0x39, 0x2b), 2.0},
                             {tr("max"), QColor(0x7f, 0x8c, 0x8d, 150), 1.0}},
                            60.0, this);
    m_checkoutChart->setAccessibleName(tr("Checkout latency chart"));
    m_lagChart->setBaseMinimumHeight(150);
    m_checkoutChart->setBaseMinimumHeight(110);

    m_orders = new RecentOrdersModel(this);
    m_customers = new CustomerStatsModel(this);
    m_products = new ProductSalesModel(this);
    m_search = new SearchResultsModel(this);
    m_events = new EventStreamModel(
        {tr("Orders"), tr("Customers"), tr("Products"), tr("Revenue"), tr("Search")}, 500, this);

    m_tabs = new QTabWidget(this);
    auto* ordersTable = makeTable(m_orders, RecentOrdersModel::OrderColumn, Qt::DescendingOrder,
                                  tr("Recent orders"), m_tabs, RecentOrdersModel::CustomerColumn);
    m_tabs->addTab(ordersTable, tr("Recent orders"));
    m_tabs->addTab(makeTable(m_customers, CustomerStatsModel::SpentColumn, Qt::DescendingOrder,
                             tr("Customer stats"), m_tabs, CustomerStatsModel::NameColumn),
                   tr("Customers"));
    auto* productsPage = new QSplitter(Qt::Horizontal, m_tabs);
    productsPage->addWidget(makeTable(m_products, ProductSalesModel::RevenueColumn,
                                      Qt::DescendingOrder, tr("Product sales"), productsPage,
                                      ProductSalesModel::NameColumn));
    m_productChart = new ProductSalesChart(productsPage);
    productsPage->addWidget(m_productChart);
    m_tabs->addTab(productsPage, tr("Products"));
    m_revenueChart = new TimeSeriesChart(tr("Revenue per second (read view)"), QString(),
                                         {{tr("revenue"), QColor(0x2c, 0x6f, 0xbb), 2.0},
                                          {tr("refunds"), QColor(0xc0, 0x39, 0x2b), 1.5}},
                                         double(120), m_tabs);
    m_revenueChart->setAccessibleName(tr("Revenue chart"));
    m_tabs->addTab(m_revenueChart, tr("Revenue"));

    auto* searchPage = new QWidget(m_tabs);
    auto* searchLayout = new QVBoxLayout(searchPage);
    m_searchBox = new QLineEdit(searchPage);
    m_searchBox->setPlaceholderText(
        tr("Search orders, customers and products — e.g. mug, or a customer's name"));
    m_searchBox->setClearButtonEnabled(true);
    m_searchBox->setAccessibleName(tr("Search"));
    searchLayout->addWidget(m_searchBox);
    auto* searchTable =
        makeTable(m_search, 0, Qt::AscendingOrder, tr("Search results"), searchPage, 2);
    searchTable->setSortingEnabled(false);
    m_searchNote = new QLabel(searchPage);
    m_searchNote->setAccessibleName(tr("About the search"));
    searchLayout->addWidget(m_searchNote);
    searchLayout->addWidget(searchTable);
    m_tabs->addTab(searchPage, tr("Search"));

    auto* eventTable = makeTable(m_events, EventStreamModel::PositionColumn, Qt::DescendingOrder,
                                 tr("Event stream"), m_tabs);
    eventTable->horizontalHeader()->setSectionResizeMode(EventStreamModel::SummaryColumn,
                                                         QHeaderView::Stretch);
    eventTable->horizontalHeader()->setStretchLastSection(false);
    // The longest event type whole (measuring the rows as they stream in would cost every update).
    eventTable->horizontalHeader()->resizeSection(
        EventStreamModel::TypeColumn,
        eventTable->fontMetrics().horizontalAdvance(QStringLiteral("ProductPriceChanged")) + 16);
    m_tabs->addTab(eventTable, tr("Event stream"));

    auto* charts = new QSplitter(Qt::Vertical, this);
    charts->addWidget(m_lagChart);
    charts->addWidget(m_checkoutChart);
    charts->addWidget(m_tabs);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);
    charts->setStretchFactor(2, 5);
    charts->setChildrenCollapsible(false);
    layout->addWidget(readBox);
    layout->addWidget(charts, 1);

    const auto keyOf = [](const QModelIndex& index) {
        return index.data(KeyRole).toLongLong();
    };
    connect(ordersTable, &QTableView::activated, this,
            [this, keyOf](const QModelIndex& index) { Q_EMIT orderActivated(keyOf(index)); });
    connect(searchTable, &QTableView::activated, this, [this, keyOf](const QModelIndex& index) {
        if (const qint64 order = SearchResultsModel::orderIdOfKey(keyOf(index)))
            Q_EMIT orderActivated(order);
    });
    connect(eventTable, &QTableView::activated, this,
            [this, keyOf](const QModelIndex& index) { Q_EMIT eventActivated(keyOf(index)); });
    m_searchSettle.setSingleShot(true);
    m_searchSettle.setInterval(200);
    connect(&m_searchSettle, &QTimer::timeout, this,
            [this] { Q_EMIT searchChanged(m_searchBox->text()); });
    connect(m_searchBox, &QLineEdit::textChanged, &m_searchSettle, qOverload<>(&QTimer::start));
}

void Dashboard::applySnapshot(const LagSnapshot& snapshot, double seconds) {
    m_lastSnapshot = snapshot;
    // No visibility sample in the sliding window: a gap, not a 0 ms point.
    // In CRUD the dashboard reads no view, so no view's lag is its lag.
    const bool sampled = snapshot.windowSamples > 0 && m_viewsInUse;
    QList<double> values{measuredOrGap(sampled, snapshot.p50Ms),
                         measuredOrGap(sampled, snapshot.p99Ms)};
    for (const ProjectionLag& lag : snapshot.projections) {
        // A view being rebuilt replays history: its progress shows that, not the lag chart.
        const bool replaying = lag.status.state == ProjectionState::Rebuilding;
        values.append(measuredOrGap(!replaying && m_viewsInUse, lag.timeBehindMs));
    }
    m_lagChart->addSample(seconds, values);

    QList<qint64> checkpoints;
    for (const ProjectionLag& lag : snapshot.projections)
        checkpoints.append(lag.status.checkpoint);
    m_events->setCheckpoints(checkpoints);
    showBanner(snapshot);
}

void Dashboard::addCheckoutLatencies(double seconds, const LatencyHistogram& window) {
    const bool measured = window.count() > 0;
    m_checkoutChart->addSample(seconds, {measuredOrGap(measured, window.quantileMs(0.5)),
                                         measuredOrGap(measured, window.quantileMs(0.99)),
                                         measuredOrGap(measured, window.maxMs())});
}

void Dashboard::setViewsInUse(bool inUse) {
    m_viewsInUse = inUse;
    m_lagChart->setNote(inUse ? QString()
                              : tr("Not in use in CRUD: the dashboard reads the write tables, so "
                                   "there is no read-side lag."));
    showBanner(m_lastSnapshot);
}

void Dashboard::showBanner(const LagSnapshot& snapshot) {
    const QString written = formatCount(snapshot.write.orders);
    if (!m_viewsInUse) {
        m_banner->setText(
            tr("Orders in the write store: <b>%1</b> · the dashboard reads the write tables "
               "directly (CRUD)")
                .arg(written));
        return;
    }
    if (snapshot.ordersNotVisible < 0) {
        m_banner->setText(
            tr("Orders in the write store: <b>%1</b> · in the read view: unknown (the event log "
               "could not be read)")
                .arg(written));
        return;
    }
    // Both counts are at the same position: the write store's head, and
    // what of it the Order summary view has applied.
    const qint64 missing = std::min(snapshot.ordersNotVisible, snapshot.write.orders);
    const QString visible = formatCount(snapshot.write.orders - missing);
    m_banner->setText(missing > 0
                          ? tr("Orders in the write store: <b>%1</b> · in the read view: <b>%2</b> "
                               "<span style='color:#b36b00'>(%3 not visible yet)</span>")
                                .arg(written, visible, formatCount(missing))
                          : tr("Orders in the write store: <b>%1</b> · in the read view: <b>%2</b> "
                               "(all visible)")
                                .arg(written, visible));
}

QString Dashboard::bannerText() const {
    return m_banner->text();
}

void Dashboard::showView(const QString& projection) {
    const QStringList views{QStringLiteral("order_summary"), QStringLiteral("customer_stats"),
                            QStringLiteral("product_sales"), QStringLiteral("revenue_timeline"),
                            QStringLiteral("search_index")};
    const int tab = int(views.indexOf(projection)); // the tabs are in the same order
    if (tab >= 0)
        m_tabs->setCurrentIndex(tab);
}

void Dashboard::applyOrders(const OrderPage& page) {
    m_orders->applyPage(page);
}

void Dashboard::applyCustomers(const CustomerStatsResult& result) {
    m_customers->setRows(result.rows);
}

void Dashboard::applyProducts(const ProductSalesResult& result) {
    m_products->setRows(result.rows);
    m_productChart->setRows(result.rows);
}

void Dashboard::applyRevenue(const RevenueSeries& series) {
    // The view has a row per second that sold something; every other
    // second of the window sold nothing, which is 0, not a gap.
    const qint64 now = wallNowMs() / 1000;
    QHash<qint64, const RevenuePoint*> bySecond;
    for (const RevenuePoint& point : series.points)
        bySecond.insert(point.second, &point);
    QList<double> times;
    QList<QList<double>> values;
    for (qint64 second = now - 120; second <= now; ++second) {
        const RevenuePoint* point = bySecond.value(second);
        times.append(double(second));
        values.append({point ? point->revenueCents / 100.0 : 0.0,
                       point ? point->refundedCents / 100.0 : 0.0});
    }
    m_revenueChart->setSamples(times, values, double(now));
}

void Dashboard::applySearch(const SearchResult& result) {
    m_search->applyResult(result);
    const QString text = result.query.simplified();
    m_searchNote->setText(
        text.isEmpty() ? QString()
        : result.hits.isEmpty()
            ? tr("Nothing in the search view matches “%1”.").arg(text.toHtmlEscaped())
            : tr("%n match(es) in the search view, as of event %1.", nullptr,
                 int(result.hits.size()))
                  .arg(formatCount(result.meta.position)));
}

void Dashboard::addPendingOrder(const OrderSummaryRow& row) {
    m_orders->addPending(row);
}

void Dashboard::appendEvents(const EventList& events) {
    m_events->appendEvents(events);
}

void Dashboard::setSpotlight(const QStringList& targets) {
    const std::pair<TimeSeriesChart*, QString> charts[] = {
        {m_lagChart, QStringLiteral("chart:lag")}, {m_checkoutChart, QStringLiteral("chart:checkout")}};
    for (const auto& [chart, target] : charts) {
        const bool spotlit = targets.contains(target);
        chart->setProperty("spotlit", spotlit);
        chart->setStyleSheet(spotlit ? QStringLiteral("QChartView { border: 4px solid %1; }")
                                           .arg(lessonSpotColour().name())
                                     : QString());
    }
}

void Dashboard::clear() {
    m_orders->clear();
    m_customers->setRows({});
    m_products->setRows({});
    m_productChart->setRows({});
    m_search->applyResult({});
    m_searchNote->clear();
    m_events->clear();
    m_lagChart->clear();
    m_checkoutChart->clear();
    m_revenueChart->clear();
    m_lastSnapshot = {};
    m_banner->clear();
}

} // namespace cqrs::ui
