#include "lab/locallabsession.h"

#include "events/eventstream.h"
#include "lab/lab.h"
#include "sim/analyticsload.h"
#include "sim/loadgenerator.h"
#include "util/threadaudit.h"
#include "util/whenready.h"

#include <QDir>
#include <QFile>
#include <QPromise>
#include <QThread>

namespace cqrs {

/// The session's parts, on the control thread: the Lab, the event stream
/// and the two simulators (its children). Only that thread starts, switches
/// and stops them; it tells the session what changed through stateReady().
struct LocalLabSession::Parts final : public QObject {
    Q_OBJECT

public:
    explicit Parts(const SessionConfig& config) {
        LabConfig labConfig;
        labConfig.dataDir = config.dataDir;
        labConfig.architecture = config.architecture;
        labConfig.synchronousUpdate = config.synchronousUpdate;
        lab = new Lab(labConfig, this);
        lab->projections().setDelay({}, config.delayMs, config.jitterMs);
        stream = new EventStream(lab->writeDbPath(), 500, 50, this);
        traffic = new LoadGenerator(&lab->bus(), config.trafficSeed, false, this);
        analytics =
            new AnalyticsLoad(lab->writeDbPath(), lab->readDbPath(), config.trafficSeed + 4, this);
        analytics->setMode(config.architecture);
        connect(lab, &Lab::routingChanged, this, &Parts::publish);
    }

    /// After the store opened: the event stream and the simulators.
    void startClients() {
        stream->start();
        // The bus calls the stream from its worker after each commit.
        connect(&lab->bus(), &CommandBus::committed, stream, &EventStream::notifyCommitted,
                Qt::DirectConnection);
        traffic->start();
        analytics->setMode(lab->architecture());
        analytics->start();
        running = true;
    }

    /// Writers first (their answers must arrive), then readers.
    void stopAll() {
        analytics->stop();
        traffic->stop();
        lab->bus().close(); // its worker calls the stream after each commit
        stream->stop();
        lab->close();
        running = false;
    }

    void publish() {
        SessionState s;
        s.phase = phase;
        s.error = error;
        s.opened = opened;
        s.architecture = lab->architecture();
        s.journal = lab->journal();
        s.synchronousUpdate = lab->synchronousUpdate();
        s.synchronousUpdateActive = lab->synchronousUpdateActive();
        s.synchronousProblem = lab->synchronousUpdateProblem();
        s.storeSwitchPending = lab->storeSwitchPending();
        s.writeDbPath = lab->writeDbPath();
        s.readDbPath = lab->readDbPath();
        Q_EMIT stateReady(s);
    }

    Lab* lab = nullptr;
    EventStream* stream = nullptr;
    LoadGenerator* traffic = nullptr;
    AnalyticsLoad* analytics = nullptr;
    SessionState::Phase phase = SessionState::Phase::Opening;
    QString error;
    StoreInfo opened;
    bool running = false;

Q_SIGNALS:
    void stateReady(const cqrs::SessionState& state);
};

LocalLabSession::LocalLabSession(SessionConfig config, QObject* parent)
    : LabSession(parent)
    , m_config(std::move(config)) {
    qRegisterMetaType<SessionState>();
    m_control = new QThread;
    m_control->setObjectName(QStringLiteral("lab-control"));
    // The thread deletes itself once its loop has ended; nobody joins it.
    connect(m_control, &QThread::finished, m_control, &QObject::deleteLater);
    m_parts = new Parts(m_config);
    m_state.architecture = m_config.architecture;
    m_state.journal = Lab::journalFor(m_config.architecture);
    m_state.synchronousUpdate = m_config.synchronousUpdate;
    m_state.writeDbPath = m_parts->lab->writeDbPath();
    m_state.readDbPath = m_parts->lab->readDbPath();

    // Everything reaches this object queued, on its own thread.
    connect(m_parts, &Parts::stateReady, this, &LocalLabSession::applyState);
    connect(&m_parts->lab->lag(), &LagMonitor::snapshotReady, this,
            [this](const LagSnapshot& snapshot) {
                if (!m_closing)
                    Q_EMIT snapshotReady(snapshot);
            });
    connect(&m_parts->lab->projections(), &ProjectionEngine::advanced, this,
            [this](const ProjectionAdvance& advance) {
                if (!m_closing)
                    Q_EMIT advanced(advance);
            });
    connect(m_parts->stream, &EventStream::eventsAppended, this, [this](const EventList& events) {
        if (!m_closing)
            Q_EMIT eventsAppended(events);
    });
    connect(m_parts->traffic, &LoadGenerator::rejectedSample, this, [this](const QString& reason) {
        if (!m_closing)
            Q_EMIT trafficRejected(reason);
    });
    m_parts->moveToThread(m_control);
    m_parts->lab->moveToThread(m_control);
    m_control->start();
}

LocalLabSession::~LocalLabSession() {
    if (!m_parts)
        return; // shut down: the control thread finishes on its own
    // Never shut down: do it now, waiting (a window shuts down first).
    ThreadAudit::noteWait("LocalLabSession destroyed without shutdown()");
    m_closing = true;
    Parts* parts = std::exchange(m_parts, nullptr);
    QMetaObject::invokeMethod(
        parts,
        [parts] {
            parts->stopAll();
            delete parts;
        },
        Qt::BlockingQueuedConnection);
    m_control->quit();
    m_control->wait();
}

LabSessionFactory LocalLabSession::factory() {
    return [](const SessionConfig& config) {
        return std::make_unique<LocalLabSession>(config);
    };
}

void LocalLabSession::post(std::function<void(Parts&)> task) {
    if (!m_parts)
        return;
    QMetaObject::invokeMethod(
        m_parts, [parts = m_parts, task = std::move(task)] { task(*parts); }, Qt::QueuedConnection);
}

void LocalLabSession::applyState(const SessionState& state) {
    if (m_closing)
        return;
    m_state = state;
    Q_EMIT stateChanged(m_state);
}

QFuture<StoreInfo> LocalLabSession::open() {
    auto promise = std::make_shared<QPromise<StoreInfo>>();
    promise->start();
    QFuture<StoreInfo> future = promise->future();
    if (m_opened || !usable()) {
        promise->addResult(StoreInfo{
            false, QStringLiteral("This session was opened or shut down already."), {}, false});
        promise->finish();
        return future;
    }
    m_opened = true;
    post([promise](Parts& parts) {
        whenReady(parts.lab->open(), &parts, [promise, &parts](const StoreInfo& info) {
            parts.opened = info;
            if (info.ok) {
                parts.startClients();
                parts.phase = SessionState::Phase::Open;
            } else {
                parts.phase = SessionState::Phase::Failed;
                parts.error = info.error;
            }
            parts.publish();
            promise->addResult(info);
            promise->finish();
        });
    });
    return future;
}

QFuture<void> LocalLabSession::shutdown(bool deleteStoreFiles) {
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    QFuture<void> future = promise->future();
    if (!m_parts) {
        promise->finish();
        return future;
    }
    m_closing = true;
    m_state.phase = SessionState::Phase::Closing;
    Parts* parts = std::exchange(m_parts, nullptr);
    const QString directory = deleteStoreFiles ? m_config.dataDir : QString();
    QMetaObject::invokeMethod(
        parts,
        [parts, promise, directory] {
            parts->stopAll();
            // Every connection is closed now: the files can go.
            for (const QString& name : {QStringLiteral("write.db"), QStringLiteral("read.db")})
                for (const QString& suffix : {QString(), QStringLiteral("-wal"),
                                              QStringLiteral("-shm"), QStringLiteral("-journal")})
                    if (!directory.isEmpty())
                        QFile::remove(QDir(directory).filePath(name + suffix));
            delete parts;
            promise->finish();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    return future;
}

bool LocalLabSession::reopenNeededFor(ArchitectureMode mode) const {
    return Lab::journalFor(mode) != m_state.journal;
}

template <typename T> QFuture<T> LocalLabSession::closedAnswer() const {
    T answer;
    answer.meta.error = QStringLiteral("The lab is closed.");
    return QtFuture::makeReadyFuture(answer);
}

QFuture<CommandResult> LocalLabSession::submit(Command command) {
    if (!usable())
        return QtFuture::makeReadyFuture(
            CommandResult::failed(QStringLiteral("The lab is closed.")));
    return m_parts->lab->bus().submit(std::move(command));
}

QFuture<OrderPage> LocalLabSession::recentOrders(int limit, const ReadOptions& options) {
    return usable() ? m_parts->lab->queries().recentOrders(limit, options)
                    : closedAnswer<OrderPage>();
}

QFuture<OrderLookup> LocalLabSession::order(qint64 orderId, const ReadOptions& options) {
    return usable() ? m_parts->lab->queries().order(orderId, options) : closedAnswer<OrderLookup>();
}

QFuture<CustomerStatsResult> LocalLabSession::customerStats(const ReadOptions& options) {
    return usable() ? m_parts->lab->queries().customerStats(options)
                    : closedAnswer<CustomerStatsResult>();
}

QFuture<ProductSalesResult> LocalLabSession::productSales(const ReadOptions& options) {
    return usable() ? m_parts->lab->queries().productSales(options)
                    : closedAnswer<ProductSalesResult>();
}

QFuture<RevenueSeries> LocalLabSession::revenue(int seconds, const ReadOptions& options) {
    return usable() ? m_parts->lab->queries().revenue(seconds, options)
                    : closedAnswer<RevenueSeries>();
}

QFuture<SearchResult> LocalLabSession::search(const QString& text, int limit,
                                              const ReadOptions& options) {
    if (!usable()) {
        SearchResult closed;
        closed.query = text;
        closed.meta.error = QStringLiteral("The lab is closed.");
        return QtFuture::makeReadyFuture(closed);
    }
    return m_parts->lab->queries().search(text, limit, options);
}

QFuture<ViewRowCounts> LocalLabSession::viewRows() {
    return usable() ? m_parts->lab->queries().viewRows() : closedAnswer<ViewRowCounts>();
}

QFuture<ConsistencyReceipt> LocalLabSession::receipt(qint64 position) {
    return usable() ? m_parts->lab->queries().receipt(position)
                    : closedAnswer<ConsistencyReceipt>();
}

QFuture<ConsistencyReceipt> LocalLabSession::orderReceipt(qint64 orderId) {
    return usable() ? m_parts->lab->queries().orderReceipt(orderId)
                    : closedAnswer<ConsistencyReceipt>();
}

void LocalLabSession::setArchitecture(ArchitectureMode mode) {
    if (!usable())
        return;
    post([mode](Parts& parts) {
        parts.lab->setArchitecture(mode);
        parts.analytics->setMode(mode);
        parts.publish();
    });
}

void LocalLabSession::setSynchronousUpdate(bool synchronous) {
    if (!usable())
        return;
    post([synchronous](Parts& parts) {
        parts.lab->setSynchronousUpdate(synchronous);
        parts.publish();
    });
}

// The engine's knobs and the simulators' rates are thread-safe. The parts
// exist until shutdown(), which happens after every call made before it.
void LocalLabSession::setDelay(const QString& projection, int delayMs, int jitterMs) {
    if (usable())
        m_parts->lab->projections().setDelay(projection, delayMs, jitterMs);
}

void LocalLabSession::setPaused(const QString& projection, bool paused) {
    if (usable())
        m_parts->lab->projections().setPaused(projection, paused);
}

void LocalLabSession::retry(const QString& projection) {
    if (usable())
        m_parts->lab->projections().retry(projection);
}

void LocalLabSession::rebuild(const QString& projection) {
    if (usable() && m_state.isOpen())
        m_parts->lab->projections().rebuild(projection);
}

void LocalLabSession::setTrafficRate(int ordersPerSecond) {
    if (usable())
        m_parts->traffic->setRate(ordersPerSecond);
}

void LocalLabSession::setAnalyticsRate(int reportsPerSecond) {
    if (usable())
        m_parts->analytics->setRate(reportsPerSecond);
}

void LocalLabSession::fillOrders(qint64 orders) {
    if (usable())
        m_parts->traffic->fillOrders(orders);
}

TrafficStats LocalLabSession::trafficStats() const {
    return usable() ? m_parts->traffic->stats() : TrafficStats{};
}

AnalyticsStats LocalLabSession::analyticsStats() const {
    return usable() ? m_parts->analytics->stats() : AnalyticsStats{};
}

LatencyHistogram LocalLabSession::takeCheckoutWindow() {
    return usable() ? m_parts->traffic->takeWindow() : LatencyHistogram{};
}

} // namespace cqrs

#include "locallabsession.moc"
