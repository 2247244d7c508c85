#pragma once

#include "commands/commandbus.h"
#include "metrics/latencyhistogram.h"
#include "sim/trafficstats.h"
#include "util/workerthread.h"

#include <QObject>

#include <atomic>
#include <mutex>

namespace cqrs {

/// Simulated customers placing orders at N per second (0-10,000) with a
/// realistic mix (see OrderMix), submitted through the same CommandBus as
/// the form, from a thread of its own. The rate can change at any time from
/// any thread. A bounded number of commands is in flight: when the machine
/// cannot keep up, the achieved rate drops instead of memory growing.
class LoadGenerator final : public QObject
{
    Q_OBJECT

public:
    LoadGenerator(CommandBus* bus, quint32 seed, bool ordersOnly = false, QObject* parent = nullptr);
    ~LoadGenerator() override;

    void start();
    void stop();
    void setRate(double ordersPerSecond);
    double rate() const { return m_rate.load(); }
    /// Places `orders` more orders as fast as the write side takes them (a
    /// bounded backlog), unmeasured: they count in no checkout figure. A
    /// lesson fills the store this way so reports have data to chew on.
    void fillOrders(qint64 orders);
    TrafficStats stats() const;
    /// Checkout latencies since the last call (for a live chart).
    LatencyHistogram takeWindow();

Q_SIGNALS:
    /// A simulated command was rejected (a sample, at most a few per second).
    void rejectedSample(const QString& reason);

private:
    class Worker;
    CommandBus* m_bus;
    quint32 m_seed;
    bool m_ordersOnly;
    std::atomic<double> m_rate{0};
    std::atomic<qint64> m_fillWanted{0};
    WorkerThread<Worker> m_thread;
    mutable std::mutex m_mutex;
    TrafficStats m_stats;
    LatencyHistogram m_window;
    friend class Worker;
};

} // namespace cqrs
