#pragma once

#include "commands/commandresult.h"
#include "commands/commands.h"
#include "events/event.h"
#include "metrics/lagsnapshot.h"
#include "projections/changeset.h"
#include "read/queryresults.h"
#include "read/receipt.h"
#include "sim/trafficstats.h"
#include "write/journalmode.h"
#include "write/storeinfo.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace cqrs {

/// What a session opens with.
struct SessionConfig {
    /// Holds write.db and, for physical separation, read.db.
    QString dataDir;
    ArchitectureMode architecture = ArchitectureMode::Physical;
    bool synchronousUpdate = false;
    int delayMs = 0;
    int jitterMs = 0;
    /// Seed of the simulated customers and of the analytics dashboard.
    quint32 trafficSeed = 7;
};

/// Where a session is in its life, and how its stores are routed, as a value.
struct SessionState {
    enum class Phase { Opening, Open, Failed, Closing, Closed };

    Phase phase = Phase::Opening;
    /// Why the store could not be opened (Failed).
    QString error;
    StoreInfo opened;
    ArchitectureMode architecture = ArchitectureMode::Physical;
    /// The journal the write store was opened with.
    JournalMode journal = JournalMode::WriteAheadLog;
    /// Synchronous update as asked for, and whether commands really fold
    /// the views in their own transaction (see Lab::synchronousUpdateActive()).
    bool synchronousUpdate = false;
    bool synchronousUpdateActive = false;
    /// Why synchronous update is not active although asked for, if it failed.
    QString synchronousProblem;
    /// A live logical <-> physical switch is preparing the new read store.
    bool storeSwitchPending = false;
    QString writeDbPath;
    QString readDbPath;

    bool isOpen() const { return phase == Phase::Open; }
};

/// The lab as a client sees it: commands in, queries and snapshots out, and
/// the knobs. The desktop window holds only this interface (as qBittorrent's
/// GUI holds BitTorrent::Session), so it never reaches the stores, their
/// threads or their SQL. Every call returns at once; answers come back as
/// futures or signals on the session's thread. Create, use and destroy a
/// session on one thread.
class LabSession : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~LabSession() override = default;

    /// Opens the store, then starts the read side, the event stream and the
    /// simulators (at rate 0). Call once.
    virtual QFuture<StoreInfo> open() = 0;
    /// Stops every thread of the session without blocking the caller; the
    /// future finishes once all are joined. With `deleteStoreFiles` the
    /// store's files are deleted afterwards (a reset). Signals stop at once.
    virtual QFuture<void> shutdown(bool deleteStoreFiles = false) = 0;
    /// The latest state; stateChanged() announces each change.
    virtual SessionState state() const = 0;
    /// Whether running in `mode` needs the write store reopened on another
    /// journal (CRUD runs on the rollback journal, CQRS on a write-ahead log).
    virtual bool reopenNeededFor(ArchitectureMode mode) const = 0;

    virtual QFuture<CommandResult> submit(Command command) = 0;

    virtual QFuture<OrderPage> recentOrders(int limit, const ReadOptions& options) = 0;
    virtual QFuture<OrderLookup> order(qint64 orderId, const ReadOptions& options) = 0;
    virtual QFuture<CustomerStatsResult> customerStats(const ReadOptions& options) = 0;
    virtual QFuture<ProductSalesResult> productSales(const ReadOptions& options) = 0;
    virtual QFuture<RevenueSeries> revenue(int seconds, const ReadOptions& options) = 0;
    virtual QFuture<SearchResult> search(const QString& text, int limit,
                                         const ReadOptions& options) = 0;
    /// How many rows each view holds.
    virtual QFuture<ViewRowCounts> viewRows() = 0;
    /// The consistency receipt of the event at `position`.
    virtual QFuture<ConsistencyReceipt> receipt(qint64 position) = 0;
    /// The consistency receipt of the event that placed order `orderId`.
    virtual QFuture<ConsistencyReceipt> orderReceipt(qint64 orderId) = 0;

    /// A live switch between the CQRS modes (see reopenNeededFor() for CRUD).
    virtual void setArchitecture(ArchitectureMode mode) = 0;
    virtual void setSynchronousUpdate(bool synchronous) = 0;
    /// An empty projection name means every projection.
    virtual void setDelay(const QString& projection, int delayMs, int jitterMs) = 0;
    virtual void setPaused(const QString& projection, bool paused) = 0;
    virtual void retry(const QString& projection) = 0;
    virtual void rebuild(const QString& projection) = 0;
    virtual void setTrafficRate(int ordersPerSecond) = 0;
    virtual void setAnalyticsRate(int reportsPerSecond) = 0;
    /// Places `orders` more simulated orders as fast as the write side takes
    /// them, unmeasured (trafficStats().filling counts down).
    virtual void fillOrders(qint64 orders) = 0;
    virtual TrafficStats trafficStats() const = 0;
    virtual AnalyticsStats analyticsStats() const = 0;
    /// Simulated checkout latencies (submit to commit) since the last call.
    virtual LatencyHistogram takeCheckoutWindow() = 0;

Q_SIGNALS:
    void stateChanged(const cqrs::SessionState& state);
    /// About ten times a second while open.
    void snapshotReady(const cqrs::LagSnapshot& snapshot);
    void advanced(const cqrs::ProjectionAdvance& advance);
    /// New events of the log, oldest first, in batches.
    void eventsAppended(const cqrs::EventList& events);
    /// A simulated command was rejected (a sample, at most one a second).
    void trafficRejected(const QString& reason);
};

/// Makes the sessions a window opens (one per store opening).
using LabSessionFactory = std::function<std::unique_ptr<LabSession>(const SessionConfig& config)>;

} // namespace cqrs

Q_DECLARE_METATYPE(cqrs::SessionState)
