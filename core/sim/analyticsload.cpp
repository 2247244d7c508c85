#include "sim/analyticsload.h"
#include "util/threadaudit.h"

#include "util/monotonicclock.h"
#include "util/sqlconnection.h"
#include "util/threadpolicy.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

#include <memory>
#include <random>

namespace cqrs {

namespace {

QString reportSql(AnalyticsLoad::Report report, bool crud)
{
    using Report = AnalyticsLoad::Report;
    switch (report) {
    case Report::TopCustomers:
        return crud ? QStringLiteral(
                          "SELECT c.name, SUM(o.total_cents) AS spent FROM customers c "
                          "JOIN orders o ON o.customer_id = c.id WHERE o.status = 'placed' "
                          "GROUP BY c.id ORDER BY spent DESC, c.id LIMIT 10")
                    : QStringLiteral("SELECT name, total_spent_cents FROM rv_customer_stats "
                                     "WHERE orders > cancelled "
                                     "ORDER BY total_spent_cents DESC, customer_id LIMIT 10");
    case Report::BestSellers:
        return crud ? QStringLiteral(
                          "SELECT p.name, SUM(l.quantity) AS units FROM order_lines l "
                          "JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id "
                          "WHERE o.status = 'placed' GROUP BY p.id ORDER BY units DESC, p.id LIMIT 10")
                    : QStringLiteral("SELECT name, units_sold FROM rv_product_sales WHERE units_sold > 0 "
                                     "ORDER BY units_sold DESC, product_id LIMIT 10");
    case Report::RevenueByCategory:
        return crud ? QStringLiteral(
                          "SELECT p.category, SUM(l.quantity * l.unit_price_cents) AS revenue "
                          "FROM order_lines l JOIN orders o ON o.id = l.order_id "
                          "JOIN products p ON p.id = l.product_id WHERE o.status = 'placed' "
                          "GROUP BY p.category ORDER BY p.category")
                    : QStringLiteral("SELECT category, SUM(revenue_cents) FROM rv_product_sales "
                                     "GROUP BY category HAVING SUM(units_sold) > 0 ORDER BY category");
    case Report::RevenueByHour:
        // Gross revenue by the hour the orders were placed.
        return crud ? QStringLiteral("SELECT placed_at_ms / 3600000 AS hour, SUM(total_cents) FROM orders "
                                     "GROUP BY hour ORDER BY hour")
                    : QStringLiteral("SELECT second / 3600 AS hour, SUM(revenue_cents) FROM rv_revenue_timeline "
                                     "GROUP BY hour HAVING SUM(orders_placed) > 0 ORDER BY hour");
    }
    return {};
}

} // namespace

AnalyticsLoad::Answer AnalyticsLoad::run(Report report, ArchitectureMode mode, const QSqlDatabase& db)
{
    ThreadAudit::noteSql("AnalyticsLoad::run");
    Answer answer;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(reportSql(report, mode == ArchitectureMode::Crud))) {
        answer.error = query.lastError().text();
        return answer;
    }
    while (query.next())
        answer.rows.append({query.value(0).toString(), query.value(1).toLongLong()});
    return answer;
}

/// Lives on the analytics thread: paces the reports and owns the connections.
class AnalyticsLoad::Worker final : public QObject
{
public:
    explicit Worker(AnalyticsLoad* load)
        : m_load(load)
        , m_random(load->m_seed)
        , m_tick(this)
    {
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(10);
        connect(&m_tick, &QTimer::timeout, this, &Worker::tick);
    }

    void begin()
    {
        runAsBackgroundThread();
        m_last = monotonicNowNs();
        m_tick.start();
    }

    void end()
    {
        m_tick.stop();
        m_connections.clear();
        QThread::currentThread()->quit();
    }

private:
    QSqlDatabase database(const QString& path, QString* error)
    {
        auto it = m_connections.find(path);
        if (it == m_connections.end()) {
            auto connection = std::make_shared<SqlConnection>(QStringLiteral("analytics"), path,
                                                              SqlConnection::Role::Reader);
            if (!connection->open(error))
                return {};
            it = m_connections.insert(path, connection);
        }
        return it.value()->db();
    }

    void tick()
    {
        const qint64 now = monotonicNowNs();
        const double rate = m_load->m_rate.load();
        m_budget = std::min(1.0, m_budget + rate * double(now - m_last) / 1e9);
        m_last = now;
        if (rate <= 0) {
            m_budget = 0;
            return;
        }
        if (m_budget < 1.0)
            return;
        m_budget -= 1.0;
        const auto mode = ArchitectureMode(m_load->m_mode.load());
        const QString path = mode == ArchitectureMode::Physical ? m_load->m_readDbPath : m_load->m_writeDbPath;
        const auto report = Report(std::uniform_int_distribution<int>(0, 3)(m_random));
        QString error;
        const QSqlDatabase db = database(path, &error);
        const qint64 started = monotonicNowNs();
        const Answer answer = db.isValid() ? run(report, mode, db) : Answer{{}, error};
        const qint64 took = monotonicNowNs() - started;
        std::lock_guard lock(m_load->m_mutex);
        if (answer.error.isEmpty()) {
            ++m_load->m_stats.reportsRun;
            m_load->m_stats.duration.record(took);
            m_load->m_window.record(took);
        } else {
            ++m_load->m_stats.reportsFailed;
            m_load->m_stats.lastError = answer.error;
        }
    }

    AnalyticsLoad* m_load;
    std::mt19937 m_random;
    QTimer m_tick;
    qint64 m_last = 0;
    double m_budget = 0;
    QHash<QString, std::shared_ptr<SqlConnection>> m_connections;
};

AnalyticsLoad::AnalyticsLoad(QString writeDbPath, QString readDbPath, quint32 seed, QObject* parent)
    : QObject(parent)
    , m_writeDbPath(std::move(writeDbPath))
    , m_readDbPath(std::move(readDbPath))
    , m_seed(seed)
{
}

AnalyticsLoad::~AnalyticsLoad() { stop(); }

void AnalyticsLoad::start()
{
    m_thread.start(
        QStringLiteral("analytics"), [this] { return std::make_unique<Worker>(this); },
        [](Worker* worker) { worker->begin(); });
}

void AnalyticsLoad::stop()
{
    m_thread.stop();
}

void AnalyticsLoad::setMode(ArchitectureMode mode) { m_mode.store(int(mode)); }

void AnalyticsLoad::setRate(double reportsPerSecond)
{
    m_rate.store(std::clamp(reportsPerSecond, 0.0, 20.0));
    std::lock_guard lock(m_mutex);
    m_stats.ratePerS = m_rate.load();
}

AnalyticsStats AnalyticsLoad::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

LatencyHistogram AnalyticsLoad::takeWindow()
{
    std::lock_guard lock(m_mutex);
    LatencyHistogram window = m_window;
    m_window.reset();
    return window;
}

} // namespace cqrs
