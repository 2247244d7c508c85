#pragma once

#include "commands/commandbus.h"
#include "metrics/lagmonitor.h"
#include "projections/projectionengine.h"
#include "read/queryservice.h"
#include "write/walcheckpointer.h"

#include <QFuture>
#include <QObject>
#include <QPromise>

#include <memory>

namespace cqrs {

struct LabConfig
{
    /// Holds write.db and, for physical separation, read.db.
    QString dataDir;
    ArchitectureMode architecture = ArchitectureMode::Physical;
    bool synchronousUpdate = false;
    bool seedDemoData = true;
    int maxGroupSize = 64;
    int lagIntervalMs = 100;
    int queryThreads = 3;
    /// Threads the five projectors are dealt to (1-5; see ProjectionEngine).
    int projectorThreads = 1;
    /// Record each command's submit and commit times for its receipt
    /// (off only to measure what recording costs).
    bool recordReceipts = true;
};

/// The whole laboratory, wired: the command bus (write side), the projection
/// engine (read side), the query service and the lag monitor. The desktop
/// window, the headless run and the tests all build on it, so every client
/// sees the same behaviour. Its lifecycle (open, close, the switches) runs
/// on the thread it lives on (moveToThread() takes its parts along); the
/// parts run on their own threads.
class Lab final : public QObject
{
    Q_OBJECT

public:
    explicit Lab(LabConfig config, QObject* parent = nullptr);
    ~Lab() override;

    /// Opens the write store, then starts the projectors, the query side
    /// and the lag monitor. The future reports whether the store opened.
    QFuture<StoreInfo> open();
    /// Stops every thread (the queued commands are answered first).
    void close();

    CommandBus& bus() { return *m_bus; }
    ProjectionEngine& projections() { return *m_engine; }
    QueryService& queries() { return *m_queries; }
    LagMonitor& lag() { return *m_lag; }
    /// The write store's checkpointer (active in the CQRS modes).
    WalCheckpointer& checkpointer() { return *m_checkpointer; }
    /// read.db's checkpointer: active while the projectors write there.
    WalCheckpointer& readCheckpointer() { return *m_readCheckpointer; }

    QString writeDbPath() const;
    QString readDbPath() const;
    /// Where the projectors write for a given architecture (CRUD keeps the
    /// last CQRS store warm so switching back is instant).
    QString projectionStorePath(ArchitectureMode mode) const;

    ArchitectureMode architecture() const { return m_architecture; }
    /// Switches where queries go and where the projectors write: at once,
    /// or, when the views move to another file, as soon as that store is
    /// prepared on the pool (see storeSwitchPending()). The write store
    /// keeps the journal it was opened with, though: SQLite only leaves WAL
    /// with every connection closed. (The one exception: a
    /// rollback-journal store switched to logical turns to WAL, because the
    /// projectors then write into it; journal() follows.) To cross between
    /// CRUD and CQRS with the right journal, close this Lab and open a new
    /// one on the same folder (see reopenNeededFor()).
    void setArchitecture(ArchitectureMode mode);
    /// An architecture switch moved the views to another store and that
    /// store is still being prepared (on the pool): queries, the synchronous
    /// update and checkpoints still use the old one. Usually a few ms.
    bool storeSwitchPending() const { return m_switchPending; }
    /// The journal a store opened in `mode` runs on: rollback for CRUD, WAL
    /// for the CQRS modes.
    static JournalMode journalFor(ArchitectureMode mode);
    /// The journal this Lab opened its write store with.
    JournalMode journal() const { return m_journal; }
    /// Whether running in `mode` needs another journal than this Lab has.
    bool reopenNeededFor(ArchitectureMode mode) const { return journalFor(mode) != m_journal; }
    bool synchronousUpdate() const { return m_synchronous; }
    /// Whether commands really update the views in their own transaction:
    /// not on the rollback journal with the views in read.db, where SQLite
    /// could not commit both files atomically (the projectors fold instead).
    bool synchronousUpdateActive() const { return m_inlineActive; }
    /// Why synchronous update is off although asked for (the read store
    /// could not be attached to the write connection), else empty.
    QString synchronousUpdateProblem() const { return m_inlineProblem; }
    void setSynchronousUpdate(bool synchronous);

Q_SIGNALS:
    void architectureChanged(cqrs::ArchitectureMode mode);
    void synchronousUpdateChanged(bool synchronous);
    /// Where queries go, the synchronous update or its problem changed.
    void routingChanged();

private:
    /// The store is open: prepares the read store on the pool, then starts
    /// the read side (again for the new store if a switch moved it meanwhile).
    void startReadSide(const StoreInfo& info, const std::shared_ptr<QPromise<StoreInfo>>& opened);
    static void refuseClosed(const std::shared_ptr<QPromise<StoreInfo>>& opened);
    /// Queries, synchronous update and checkpoints for the current
    /// architecture and projection store.
    void applyRouting();
    void applyInlineHook();
    void applyCheckpointPolicy();

    LabConfig m_config;
    ArchitectureMode m_architecture;
    ArchitectureMode m_projectionStore;
    JournalMode m_journal;
    bool m_synchronous;
    bool m_inlineActive = false;
    QString m_inlineProblem;
    quint64 m_inlineSerial = 0; // setInlineHook() calls, to drop stale answers
    bool m_open = false;
    bool m_closed = false; // close() ran: a late open answer starts nothing
    bool m_switchPending = false;
    std::unique_ptr<CommandBus> m_bus;
    std::unique_ptr<ProjectionEngine> m_engine;
    std::unique_ptr<QueryService> m_queries;
    std::unique_ptr<LagMonitor> m_lag;
    std::unique_ptr<WalCheckpointer> m_checkpointer;
    std::unique_ptr<WalCheckpointer> m_readCheckpointer;
};

} // namespace cqrs
