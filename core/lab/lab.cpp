#include "lab/lab.h"

#include "util/sqlconnection.h"
#include "util/threadaudit.h"
#include "util/whenready.h"

#include <QDir>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace cqrs {

Lab::Lab(LabConfig config, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_architecture(m_config.architecture)
    , m_projectionStore(m_config.architecture == ArchitectureMode::Logical
                            ? ArchitectureMode::Logical
                            : ArchitectureMode::Physical)
    , m_journal(journalFor(m_config.architecture))
    , m_synchronous(m_config.synchronousUpdate)
    , m_bus(std::make_unique<CommandBus>(this)) {
    // Its QObjects are children too, so moveToThread() takes them along.
    m_engine = std::make_unique<ProjectionEngine>(
        writeDbPath(), projectionStorePath(m_architecture), m_config.projectorThreads, this,
        m_config.recordReceipts);
    m_queries = std::make_unique<QueryService>(&m_engine->board(), m_config.queryThreads);
    m_queries->setReceipts(&m_engine->receipts());
    m_queries->setStores(m_architecture, writeDbPath(), readDbPath());
    m_checkpointer = std::make_unique<WalCheckpointer>(writeDbPath(), 50, this);
    m_readCheckpointer = std::make_unique<WalCheckpointer>(readDbPath(), 50, this);
    CommandBus* bus = m_bus.get();
    m_lag = std::make_unique<LagMonitor>(
        writeDbPath(), &m_engine->board(), &m_engine->recorder(),
        [bus] {
            WriteCounters counters = bus->counters();
            counters.queued = bus->pendingCommands();
            return counters;
        },
        this);
    WalCheckpointer* checkpointers[] = {m_checkpointer.get(), m_readCheckpointer.get()};
    m_lag->setStoreWarnings([checkpointers] {
        QStringList warnings;
        for (const WalCheckpointer* checkpointer : checkpointers) {
            const QString starved = checkpointer->starvation();
            if (!starved.isEmpty())
                warnings.append(starved);
        }
        return warnings;
    });
    // The projectors learn of commits from StoreConfig::onCommitted (see
    // open()): every commit that appends events hands them over, which sets
    // the head and wakes the projectors, from the command worker right after
    // the commit. (CommandBus::committed fires for the same commits.)
}

Lab::~Lab() {
    close();
}

QString Lab::writeDbPath() const {
    return QDir(m_config.dataDir).filePath(QStringLiteral("write.db"));
}
QString Lab::readDbPath() const {
    return QDir(m_config.dataDir).filePath(QStringLiteral("read.db"));
}

QString Lab::projectionStorePath(ArchitectureMode mode) const {
    if (mode == ArchitectureMode::Crud)
        mode = m_projectionStore;
    return mode == ArchitectureMode::Logical ? writeDbPath() : readDbPath();
}

QFuture<StoreInfo> Lab::open() {
    ThreadAudit::checkOwner(this, "Lab::open");
    QDir().mkpath(m_config.dataDir);
    StoreConfig store;
    store.writeDbPath = writeDbPath();
    store.seedDemoData = m_config.seedDemoData;
    store.maxGroupSize = m_config.maxGroupSize;
    m_journal = journalFor(m_architecture);
    store.journal = m_journal;
    // The engine outlives the worker: close() closes the bus first.
    store.onCommitted = [engine = m_engine.get()](std::shared_ptr<const CommittedBatch> batch) {
        engine->offerCommitted(std::move(batch));
    };
    store.receipts = m_config.recordReceipts ? &m_engine->receipts() : nullptr;
    // The read side starts on this object's thread once the store is open;
    // only then does the caller learn the answer.
    auto opened = std::make_shared<QPromise<StoreInfo>>();
    opened->start();
    whenReady(m_bus->open(store), this, [this, opened](const StoreInfo& info) {
        if (m_closed)
            return refuseClosed(opened);
        if (!info.ok) {
            opened->addResult(info);
            opened->finish();
            return;
        }
        startReadSide(info, opened);
    });
    return opened->future();
}

void Lab::refuseClosed(const std::shared_ptr<QPromise<StoreInfo>>& opened) {
    // close() came first: start nothing, say so.
    opened->addResult(StoreInfo{
        false, QStringLiteral("The lab was closed while its store was opening."), {}, false});
    opened->finish();
}

void Lab::startReadSide(const StoreInfo& info, const std::shared_ptr<QPromise<StoreInfo>>& opened) {
    // Preparing the read store runs SQL: on the pool, not on this thread.
    const QString readStore = m_engine->readDbPath();
    whenReady(QtConcurrent::run([readStore] { return ProjectionEngine::prepareStore(readStore); }),
              this, [this, opened, info, readStore](const ProjectionEngine::Checkpoints& prepared) {
                  if (m_closed)
                      return refuseClosed(opened);
                  // The store moved meanwhile (an architecture switch): prepare that one.
                  if (m_engine->readDbPath() != readStore)
                      return startReadSide(info, opened);
                  m_open = true;
                  m_engine->notifyCommitted(info.counters.headPosition);
                  m_engine->start(prepared);
                  m_lag->start(m_config.lagIntervalMs);
                  applyInlineHook();
                  applyCheckpointPolicy();
                  opened->addResult(info);
                  opened->finish();
              });
}

void Lab::close() {
    ThreadAudit::checkOwner(this, "Lab::close");
    // Writers first, so nothing new arrives; then the read side.
    m_bus->close();
    m_checkpointer->stop();
    m_readCheckpointer->stop();
    m_lag->stop();
    m_engine->stop();
    m_queries->stop();
    m_open = false;
    m_closed = true;
}

JournalMode Lab::journalFor(ArchitectureMode mode) {
    return mode == ArchitectureMode::Crud ? JournalMode::Rollback : JournalMode::WriteAheadLog;
}

void Lab::setArchitecture(ArchitectureMode mode) {
    ThreadAudit::checkOwner(this, "Lab::setArchitecture");
    if (mode == m_architecture)
        return;
    m_architecture = mode;
    if (mode == ArchitectureMode::Logical && m_journal == JournalMode::Rollback) {
        // The views move into write.db, and the projectors' writer
        // connection there turns the file to WAL (SQLite allows that with
        // other connections open): from now on this store runs on WAL.
        m_journal = JournalMode::WriteAheadLog;
    }
    if (mode != ArchitectureMode::Crud && mode != m_projectionStore) {
        m_projectionStore = mode;
        // The new store is prepared on the pool. Until the engine has moved,
        // the queries, the synchronous update and the checkpoints stay with
        // the old store, whose checkpoints the board still shows: a query
        // routed to the new store against the old store's checkpoints could
        // answer read-your-writes too early, and the inline update could
        // write into tables that do not exist yet.
        // (Before the engine starts, the callback runs at once.)
        m_switchPending = true;
        m_engine->switchReadStore(projectionStorePath(mode), [this] {
            m_switchPending = false;
            if (!m_closed)
                applyRouting();
        });
    } else if (!m_switchPending) {
        applyRouting();
    } // else: the pending switch applies the routing of the mode current then
    Q_EMIT architectureChanged(mode);
}

void Lab::applyRouting() {
    // applyCheckpointPolicy() follows the projectors to their store.
    m_queries->setStores(m_architecture, writeDbPath(), readDbPath());
    applyInlineHook();
    applyCheckpointPolicy();
    Q_EMIT routingChanged();
}

void Lab::setSynchronousUpdate(bool synchronous) {
    ThreadAudit::checkOwner(this, "Lab::setSynchronousUpdate");
    if (synchronous == m_synchronous)
        return;
    m_synchronous = synchronous;
    if (!m_switchPending) // else the switch applies it once the store is ready
        applyInlineHook();
    Q_EMIT synchronousUpdateChanged(synchronous);
}

void Lab::applyCheckpointPolicy() {
    if (!m_open)
        return;
    // A CRUD store opened on the rollback journal has no WAL to checkpoint.
    // A CRUD setting on a WAL store (switched live) keeps SQLite's defaults:
    // the commit that fills the WAL checkpoints, so its cost shows where it
    // falls. CQRS moves checkpoints off the command path.
    const bool background =
        m_architecture != ArchitectureMode::Crud && m_journal == JournalMode::WriteAheadLog;
    m_bus->configureConnection([background](const QSqlDatabase& db) {
        execSql(db,
                background ? QStringLiteral("PRAGMA wal_autocheckpoint = 0")
                           : QStringLiteral("PRAGMA wal_autocheckpoint = 1000"),
                nullptr);
        execSql(db, QStringLiteral("PRAGMA journal_size_limit = 67108864"), nullptr);
    });
    m_checkpointer->setActive(background);
    m_checkpointer->start();
    // The projectors' connection never checkpoints (wal_autocheckpoint = 0,
    // see ProjectorGroup::store()): whoever writes read.db, this thread
    // keeps its WAL bounded, in every mode, synchronous update included.
    // Started once read.db exists; idle while the views live in write.db.
    const bool readStore = m_projectionStore == ArchitectureMode::Physical;
    m_readCheckpointer->setActive(readStore);
    if (readStore)
        m_readCheckpointer->start();
}

void Lab::applyInlineHook() {
    if (!m_open)
        return;
    const bool attach = m_projectionStore == ArchitectureMode::Physical;
    // Not across journals: a commit spanning write.db on the rollback
    // journal and read.db on WAL is not atomic in SQLite (read.db commits
    // first; a crash before write.db's journal is deleted would leave the
    // views ahead of the log). A CRUD dashboard does not read the views, so
    // on the rollback journal the projectors fold them afterwards instead.
    const bool wanted = m_synchronous && !(attach && m_journal == JournalMode::Rollback);
    const quint64 serial = ++m_inlineSerial;
    // The bus says on its worker whether the read store could be attached;
    // until then the hook counts as active, as the worker runs it next.
    const auto done = [this, serial, wanted](const QString& problem) {
        QMetaObject::invokeMethod(
            this,
            [this, serial, wanted, problem] {
                if (serial != m_inlineSerial)
                    return; // a later call superseded this one
                m_inlineActive = wanted && problem.isEmpty();
                m_inlineProblem = problem;
                m_engine->setDelaySuspended(m_inlineActive);
                Q_EMIT routingChanged();
            },
            Qt::QueuedConnection);
    };
    m_inlineActive = wanted;
    m_inlineProblem.clear();
    m_engine->setDelaySuspended(wanted);
    if (wanted) {
        const QString attached = attach ? readDbPath() : QString();
        m_bus->setInlineHook(m_engine->inlineHook(attached), attached, done);
    } else {
        m_bus->setInlineHook({}, {}, done);
    }
}

} // namespace cqrs
