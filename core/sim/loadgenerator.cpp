#include "sim/loadgenerator.h"

#include "sim/ordermix.h"
#include "util/monotonicclock.h"
#include "util/whenready.h"

#include <QThread>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace cqrs {

namespace {
constexpr qint64 maxInFlight = 5'000;
constexpr int catalogRefreshMs = 5'000;
constexpr int idleTickMs = 100;
constexpr qint64 maxFillInFlight = 2'000;
constexpr int fillTickMs = 5;

/// The pacing tick for a rate: one command per tick up to 1,000/s (a 1 ms
/// tick), so customers arrive one by one rather than in bursts of a 5 ms
/// tick's worth (five at 1,000/s, each waiting for the others' commit);
/// never more than 200 wake-ups a second below that, and ten while idle.
int tickMsFor(double rate)
{
    if (rate <= 0)
        return idleTickMs;
    return std::clamp(int(1000.0 / rate), 1, 5);
}
} // namespace

/// Lives on the traffic thread: owns the mix, the pacing timer and the
/// catalog refresh.
class LoadGenerator::Worker final : public QObject
{
public:
    explicit Worker(LoadGenerator* generator)
        : m_generator(generator)
        , m_tick(this)
        , m_refresh(this)
    {
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(idleTickMs); // tick() sets the interval for the rate
        connect(&m_tick, &QTimer::timeout, this, &Worker::tick);
        m_refresh.setInterval(catalogRefreshMs);
        connect(&m_refresh, &QTimer::timeout, this, &Worker::loadCatalog);
    }

    void begin()
    {
        loadCatalog();
        m_refresh.start();
        m_tick.start();
        m_lastTickNs = monotonicNowNs();
    }

    void end()
    {
        m_tick.stop();
        m_refresh.stop();
        m_stopping = true;
        if (m_inFlight == 0)
            QThread::currentThread()->quit();
    }

private:
    void loadCatalog()
    {
        whenReady(m_generator->m_bus->catalog(), this, [this](const CatalogSnapshot& catalog) {
            if (!catalog.error.isEmpty() || catalog.products.isEmpty())
                return;
            OrderMix::Options options;
            options.ordersOnly = m_generator->m_ordersOnly;
            // A fresh mix learns current prices, stock and discontinued products.
            m_mix = std::make_unique<OrderMix>(catalog, m_generator->m_seed + m_generation++, options);
        });
    }

    void tick()
    {
        const qint64 now = monotonicNowNs();
        const double rate = m_generator->m_rate.load();
        // Coming out of an idle tick, start pacing now: crediting the idle
        // interval would send up to 100 ms worth of orders in one burst.
        if (m_tick.interval() != idleTickMs)
            m_budget += rate * double(now - m_lastTickNs) / 1e9;
        m_lastTickNs = now;
        const bool filling = m_generator->m_fillWanted.load() > 0;
        if (const int tickMs = filling ? fillTickMs : tickMsFor(rate); tickMs != m_tick.interval())
            m_tick.setInterval(tickMs);
        if (filling)
            fill();
        if (rate <= 0 || !m_mix || !m_mix->isUsable()) {
            m_budget = 0;
            return;
        }
        m_budget = std::min(m_budget, rate); // never burst more than a second's worth
        while (m_budget >= 1.0 && m_inFlight < maxInFlight) {
            m_budget -= 1.0;
            Command command = m_mix->next();
            ++m_inFlight;
            {
                std::lock_guard lock(m_generator->m_mutex);
                ++m_generator->m_stats.submitted;
            }
            m_generator->m_bus->submit(command, this, [this, command](const CommandResult& result) {
                --m_inFlight;
                if (m_mix)
                    m_mix->observe(command, result);
                const qint64 latency = result.committedNs - result.submittedNs;
                {
                    std::lock_guard lock(m_generator->m_mutex);
                    TrafficStats& stats = m_generator->m_stats;
                    stats.checkout.record(latency);
                    m_generator->m_window.record(latency);
                    if (result.accepted())
                        ++stats.accepted;
                    else if (result.status == CommandResult::Status::Rejected)
                        ++stats.rejected;
                    else
                        ++stats.failed;
                }
                if (!result.accepted() && monotonicNowNs() - m_lastRejectSampleNs > 1'000'000'000) {
                    m_lastRejectSampleNs = monotonicNowNs();
                    Q_EMIT m_generator->rejectedSample(result.reason);
                }
                if (m_stopping && m_inFlight == 0)
                    QThread::currentThread()->quit();
            });
        }
    }

    /// Sends fill orders up to a bounded backlog; each accepted order is one
    /// fewer wanted. Their latencies are not recorded.
    void fill()
    {
        if (!m_mix || !m_mix->isUsable())
            return;
        qint64 unsent = m_generator->m_fillWanted.load() - m_fillInFlight;
        while (unsent > 0 && m_fillInFlight < maxFillInFlight && m_inFlight < maxInFlight) {
            Command command = m_mix->next();
            ++m_inFlight;
            if (std::holds_alternative<PlaceOrder>(command)) {
                ++m_fillInFlight;
                --unsent;
            }
            m_generator->m_bus->submit(command, this, [this, command](const CommandResult& result) {
                --m_inFlight;
                if (m_mix)
                    m_mix->observe(command, result);
                if (std::holds_alternative<PlaceOrder>(command)) {
                    --m_fillInFlight;
                    if (result.accepted())
                        m_generator->m_fillWanted.fetch_sub(1);
                }
                if (m_stopping && m_inFlight == 0)
                    QThread::currentThread()->quit();
            });
        }
    }

    LoadGenerator* m_generator;
    QTimer m_tick;
    QTimer m_refresh;
    std::unique_ptr<OrderMix> m_mix;
    quint32 m_generation = 0;
    double m_budget = 0;
    qint64 m_lastTickNs = 0;
    qint64 m_inFlight = 0;
    qint64 m_fillInFlight = 0; ///< fill orders sent and not answered
    qint64 m_lastRejectSampleNs = 0;
    bool m_stopping = false;
};

LoadGenerator::LoadGenerator(CommandBus* bus, quint32 seed, bool ordersOnly, QObject* parent)
    : QObject(parent)
    , m_bus(bus)
    , m_seed(seed)
    , m_ordersOnly(ordersOnly)
{
}

LoadGenerator::~LoadGenerator() { stop(); }

void LoadGenerator::start()
{
    m_thread.start(
        QStringLiteral("traffic"), [this] { return std::make_unique<Worker>(this); },
        [](Worker* worker) { worker->begin(); });
}

void LoadGenerator::stop()
{
    // The worker quits its thread once every command it sent is answered,
    // so no reply is delivered after it is gone.
    m_thread.stop();
}

void LoadGenerator::setRate(double ordersPerSecond)
{
    m_rate.store(std::clamp(ordersPerSecond, 0.0, 10'000.0));
    std::lock_guard lock(m_mutex);
    m_stats.ratePerS = m_rate.load();
}

void LoadGenerator::fillOrders(qint64 orders)
{
    if (orders > 0)
        m_fillWanted.fetch_add(orders);
}

TrafficStats LoadGenerator::stats() const
{
    std::lock_guard lock(m_mutex);
    TrafficStats stats = m_stats;
    stats.filling = std::max<qint64>(0, m_fillWanted.load());
    return stats;
}

LatencyHistogram LoadGenerator::takeWindow()
{
    std::lock_guard lock(m_mutex);
    LatencyHistogram window = m_window;
    m_window.reset();
    return window;
}

} // namespace cqrs
