#pragma once

#include "metrics/latencyhistogram.h"
#include "read/queryresults.h"
#include "sim/trafficstats.h"
#include "util/workerthread.h"

#include <QObject>

#include <atomic>
#include <mutex>

class QSqlDatabase;
namespace cqrs {

/// A simulated analytics dashboard: M heavy reports per second (0-20), run
/// by a client of its own (own thread, own connections). In CRUD mode each
/// report is a multi-table join with GROUP BY over the write tables; in the
/// CQRS modes the same report reads the precomputed views. Same answers,
/// different cost: this is the article's "the dashboard makes checkout
/// slow" story, reproduced on real SQLite.
class AnalyticsLoad final : public QObject
{
    Q_OBJECT

public:
    enum class Report { TopCustomers, BestSellers, RevenueByCategory, RevenueByHour };

    /// One report's answer: label -> value, in the report's order.
    struct Answer
    {
        QList<QPair<QString, qint64>> rows;
        QString error;
    };

    AnalyticsLoad(QString writeDbPath, QString readDbPath, quint32 seed, QObject* parent = nullptr);
    ~AnalyticsLoad() override;

    void start();
    void stop();
    /// Thread-safe; the next report uses it.
    void setMode(ArchitectureMode mode);
    void setRate(double reportsPerSecond);
    double rate() const { return m_rate.load(); }
    AnalyticsStats stats() const;
    /// Report durations since the last call (for a live chart).
    LatencyHistogram takeWindow();

    /// Runs one report on `db` (any thread that owns `db`); used by the load
    /// itself and by tests that check CRUD and CQRS give the same answers.
    static Answer run(Report report, ArchitectureMode mode, const QSqlDatabase& db);

private:
    class Worker;
    QString m_writeDbPath;
    QString m_readDbPath;
    quint32 m_seed;
    std::atomic<double> m_rate{0};
    std::atomic<int> m_mode{int(ArchitectureMode::Physical)};
    WorkerThread<Worker> m_thread;
    mutable std::mutex m_mutex;
    AnalyticsStats m_stats;
    LatencyHistogram m_window;
    friend class Worker;
};

} // namespace cqrs
