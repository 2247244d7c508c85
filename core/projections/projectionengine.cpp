#include "projections/projectionengine.h"
#include "util/threadaudit.h"

#include "events/eventfeed.h"
#include "events/eventlogreader.h"
#include "metrics/receiptrecorder.h"
#include "projections/projection.h"
#include "projections/projector.h"
#include "projections/readstore.h"
#include "util/monotonicclock.h"
#include "util/sqlconnection.h"
#include "util/whenready.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

namespace cqrs {

namespace {


/// The name under which the file `path` is attached to `db`, or empty.
QString attachedSchema(const QSqlDatabase& db, const QString& path)
{
    const QString wanted = QFileInfo(path).canonicalFilePath();
    QSqlQuery list(db);
    if (wanted.isEmpty() || !list.exec(QStringLiteral("PRAGMA database_list")))
        return {};
    while (list.next()) {
        const QString name = list.value(1).toString();
        if (name != QStringLiteral("main") && name != QStringLiteral("temp")
            && QFileInfo(list.value(2).toString()).canonicalFilePath() == wanted)
            return name;
    }
    return {};
}

} // namespace

ProjectionEngine::ProjectionEngine(QString writeDbPath, QString readDbPath, int threads, QObject* parent,
                                   bool recordReceipts)
    : QObject(parent)
    , m_writeDbPath(std::move(writeDbPath))
    , m_readDbPath(std::move(readDbPath))
{
    qRegisterMetaType<ProjectionAdvance>();
    qRegisterMetaType<ReplayResult>();
    m_board.switchStore(m_readDbPath, {});
    ProjectionList projections = createProjections();
    QStringList names;
    for (const auto& projection : projections)
        names.append(projection->name());
    m_receipts = std::make_unique<ReceiptRecorder>(names);
    const int threadCount = std::clamp(threads, 1, int(projections.size()));
    for (int i = 0; i < threadCount; ++i) {
        auto* thread = new QThread;
        thread->setObjectName(threadCount == 1 ? QStringLiteral("projectors")
                                               : QStringLiteral("projectors-%1").arg(i + 1));
        m_threads.push_back(thread);
        auto* group = new ProjectorGroup(m_writeDbPath, m_readDbPath);
        group->moveToThread(thread);
        m_groups.push_back(group);
    }
    for (auto& projection : projections) {
        ProjectorGroup* group = m_groups[m_projectors.size() % m_groups.size()];
        m_board.add(projection->name(), projection->title());
        auto* projector = new Projector(std::move(projection), group, &m_board, &m_recorder,
                                        recordReceipts ? m_receipts.get() : nullptr);
        projector->moveToThread(group->thread());
        group->add(projector);
        connect(projector, &Projector::advanced, this, &ProjectionEngine::advanced);
        connect(projector, &Projector::failed, this, &ProjectionEngine::projectionFailed);
        m_projectors.push_back(projector);
    }
}

ProjectionEngine::Checkpoints ProjectionEngine::prepareStore(const QString& path)
{
    Checkpoints checkpoints;
    QString error;
    SqlConnection connection(QStringLiteral("prepare"), path, SqlConnection::Role::Writer);
    if (connection.open(&error)) {
        SqlContext sql(connection.db());
        ProjectionList projections = createProjections();
        if (sql.exec(QStringLiteral("BEGIN IMMEDIATE"), &error)) {
            if (ReadStore::prepare(sql, projections, &error) && sql.exec(QStringLiteral("COMMIT"), &error)) {
                for (const auto& projection : projections)
                    checkpoints.insert(projection->name(),
                                       std::max<qint64>(0, ReadStore::checkpoint(sql, projection->name(), &error)));
                return checkpoints;
            }
            sql.exec(QStringLiteral("ROLLBACK"), nullptr);
        }
    }
    // The projectors will meet the same problem and report it as Failed.
    qWarning("Cannot prepare the read store %s: %s", qUtf8Printable(path), qUtf8Printable(error));
    return checkpoints;
}

ProjectionEngine::~ProjectionEngine() { stop(); }

void ProjectionEngine::start() { start(prepareStore(readDbPath())); }

void ProjectionEngine::start(const Checkpoints& prepared)
{
    ThreadAudit::checkOwner(this, "ProjectionEngine::start");
    if (m_started)
        return;
    m_started = true;
    m_board.switchStore(readDbPath(), prepared);
    for (QThread* thread : m_threads)
        thread->start();
    for (ProjectorGroup* group : m_groups)
        QMetaObject::invokeMethod(group, &ProjectorGroup::start, Qt::QueuedConnection);
}

void ProjectionEngine::stop()
{
    ThreadAudit::checkOwner(this, "ProjectionEngine::stop");
    ThreadAudit::noteWait("ProjectionEngine::stop");
    for (size_t t = 0; t < m_threads.size(); ++t) {
        if (!m_threads[t]->isRunning())
            continue;
        // On the thread itself: the group closes its store (detaching its
        // projectors) and its feed, then the event loop quits.
        ProjectorGroup* group = m_groups[t];
        QMetaObject::invokeMethod(group, [group] {
            group->shutdown();
            QThread::currentThread()->quit();
        }, Qt::QueuedConnection);
        m_threads[t]->wait();
    }
    for (Projector* projector : m_projectors)
        delete projector;
    for (ProjectorGroup* group : m_groups)
        delete group;
    for (QThread* thread : m_threads)
        delete thread;
    m_projectors.clear();
    m_groups.clear();
    m_threads.clear();
}

QString ProjectionEngine::readDbPath() const
{
    std::lock_guard lock(m_pathMutex);
    return m_readDbPath;
}

void ProjectionEngine::notifyCommitted(qint64 head)
{
    m_board.setHead(head);
    for (ProjectorGroup* group : m_groups)
        QMetaObject::invokeMethod(group, &ProjectorGroup::scheduleStep, Qt::QueuedConnection);
}

qint64 ProjectionEngine::logReads() const
{
    qint64 reads = 0;
    for (ProjectorGroup* group : m_groups)
        reads += group->feed().logReads();
    return reads;
}

void ProjectionEngine::offerCommitted(std::shared_ptr<const CommittedBatch> batch)
{
    if (batch->events.isEmpty())
        return;
    m_board.setHead(batch->events.last().position);
    // One posted call per group: the offer schedules the step itself.
    for (ProjectorGroup* group : m_groups)
        QMetaObject::invokeMethod(group, [group, batch] { group->offer(*batch); }, Qt::QueuedConnection);
}

void ProjectionEngine::forEach(const QString& projection,
                               const std::function<void(Projector*)>& action)
{
    for (Projector* projector : m_projectors) {
        if (projection.isEmpty() || projector->name() == projection)
            action(projector);
    }
}

void ProjectionEngine::setDelay(const QString& projection, int delayMs, int jitterMs)
{
    forEach(projection, [&](Projector* projector) {
        m_board.changeKnobs(projector->name(), [&](ProjectorKnobs& knobs) {
            knobs.delayMs = std::clamp(delayMs, 0, 60'000);
            knobs.jitterMs = std::clamp(jitterMs, 0, 60'000);
        });
        QMetaObject::invokeMethod(projector, &Projector::wake, Qt::QueuedConnection);
    });
}

void ProjectionEngine::setDelaySuspended(bool suspended)
{
    forEach({}, [&](Projector* projector) {
        m_board.changeKnobs(projector->name(), [&](ProjectorKnobs& knobs) { knobs.delaySuspended = suspended; });
        QMetaObject::invokeMethod(projector, &Projector::wake, Qt::QueuedConnection);
    });
}

void ProjectionEngine::setBatchSize(const QString& projection, int batchSize)
{
    forEach(projection, [&](Projector* projector) {
        m_board.changeKnobs(projector->name(), [&](ProjectorKnobs& knobs) {
            knobs.batchSize = std::clamp(batchSize, 1, 10'000);
        });
        QMetaObject::invokeMethod(projector, &Projector::wake, Qt::QueuedConnection);
    });
}

void ProjectionEngine::setPaused(const QString& projection, bool paused)
{
    forEach(projection, [&](Projector* projector) {
        m_board.changeKnobs(projector->name(), [&](ProjectorKnobs& knobs) { knobs.paused = paused; });
        if (paused)
            m_board.changeStatus(projector->name(), [](ProjectionStatus& s) {
                if (s.state != ProjectionState::Failed && s.state != ProjectionState::Rebuilding)
                    s.state = ProjectionState::Paused;
            });
        QMetaObject::invokeMethod(projector, &Projector::wake, Qt::QueuedConnection);
    });
}

void ProjectionEngine::retry(const QString& projection)
{
    forEach(projection, [](Projector* projector) {
        QMetaObject::invokeMethod(projector, &Projector::retry, Qt::QueuedConnection);
    });
}

void ProjectionEngine::rebuild(const QString& projection)
{
    forEach(projection, [](Projector* projector) {
        QMetaObject::invokeMethod(projector, &Projector::rebuild, Qt::QueuedConnection);
    });
}

void ProjectionEngine::switchReadStore(const QString& readDbPath, std::function<void()> switched)
{
    ThreadAudit::checkOwner(this, "ProjectionEngine::switchReadStore");
    const quint64 serial = ++m_switches;
    const auto complete = [this, serial, readDbPath, switched = std::move(switched)](const Checkpoints& prepared) {
        if (serial != m_switches)
            return; // superseded by a later switch
        {
            std::lock_guard lock(m_pathMutex);
            m_readDbPath = readDbPath;
        }
        m_board.switchStore(readDbPath, prepared);
        for (ProjectorGroup* group : m_groups)
            QMetaObject::invokeMethod(group, [group, readDbPath] {
                group->switchReadStore(readDbPath);
            }, Qt::QueuedConnection);
        if (switched)
            switched();
    };
    if (!m_started) {
        // Nothing reads the board yet; start() prepares the store.
        complete({});
        return;
    }
    whenReady(QtConcurrent::run([readDbPath] { return prepareStore(readDbPath); }), this, complete);
}

void ProjectionEngine::injectStoreFailure(const QString& error)
{
    for (ProjectorGroup* group : m_groups)
        QMetaObject::invokeMethod(group, [group, error] { group->injectBeginFailure(error); }, Qt::QueuedConnection);
}

void ProjectionEngine::setPoisonPosition(const QString& projection, qint64 position)
{
    forEach(projection, [position](Projector* projector) { projector->setPoisonPosition(position); });
}

QFuture<ReplayResult> ProjectionEngine::replayTo(qint64 position, const QString& scratchPath) const
{
    const QString writeDbPath = m_writeDbPath;
    return QtConcurrent::run([writeDbPath, position, scratchPath] {
        ReplayResult result;
        result.storePath = scratchPath;
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(scratchPath + suffix);
        ProjectionList projections = createProjections();
        SqlConnection store(QStringLiteral("replay"), scratchPath, SqlConnection::Role::Writer);
        EventLogReader log(writeDbPath);
        if (!store.open(&result.error))
            return result;
        SqlContext sql(store.db());
        if (!ReadStore::prepare(sql, projections, &result.error))
            return result;
        qint64 done = 0;
        while (done < position) {
            const EventList events =
                log.readAfter(done, int(std::min<qint64>(5'000, position - done)), &result.error);
            if (events.isEmpty())
                break; // the log ends before `position`
            if (!sql.exec(QStringLiteral("BEGIN"), &result.error))
                return result;
            for (const auto& projection : projections) {
                ChangeSet ignored;
                qint64 checkpoint = 0;
                qint64 failedAt = 0;
                if (!ReadStore::applyBatch(sql, *projection, events, ignored, &checkpoint,
                                           &failedAt, &result.error)) {
                    sql.exec(QStringLiteral("ROLLBACK"), nullptr);
                    result.error = QStringLiteral("%1 failed at event %2: %3")
                                       .arg(projection->title())
                                       .arg(failedAt)
                                       .arg(result.error);
                    return result;
                }
            }
            if (!sql.exec(QStringLiteral("COMMIT"), &result.error))
                return result;
            for (const auto& projection : projections)
                projection->tidy(sql, nullptr); // optional upkeep (Projection::tidy)
            done = events.last().position;
            result.eventsApplied += events.size();
        }
        result.position = done;
        result.ok = result.error.isEmpty();
        return result;
    });
}

std::function<bool(const QSqlDatabase&, const EventList&, QString*)>
ProjectionEngine::inlineHook(const QString& attachedStore)
{
    struct InlineState
    {
        ProjectionList projections = createProjections();
        std::unique_ptr<SqlContext> sql;
    };
    auto state = std::make_shared<InlineState>();
    VisibilityRecorder* recorder = &m_recorder;
    ReceiptRecorder* receipts = m_receipts.get();
    return [state, recorder, receipts, attachedStore](const QSqlDatabase& db, const EventList& events, QString* error) {
        if (events.isEmpty())
            return true;
        if (!state->sql) {
            auto sql = std::make_unique<SqlContext>(db);
            if (!attachedStore.isEmpty()) {
                const QString schema = attachedSchema(db, attachedStore);
                if (schema.isEmpty()) {
                    *error = QStringLiteral("the read store %1 is not attached").arg(attachedStore);
                    return false;
                }
                sql->setSchema(schema);
            }
            state->sql = std::move(sql);
        }
        for (const auto& projection : state->projections) {
            const qint64 checkpoint = ReadStore::checkpoint(*state->sql, projection->name(), error);
            if (checkpoint < 0)
                return false;
            // A projection that is behind (paused, delayed) keeps its own
            // pace; only a caught-up one is advanced inside the transaction.
            if (checkpoint != events.first().position - 1)
                continue;
            ChangeSet ignored;
            qint64 newCheckpoint = 0;
            qint64 failedAt = 0;
            if (!ReadStore::applyBatch(*state->sql, *projection, events, ignored, &newCheckpoint,
                                       &failedAt, error))
                return false;
            // Upkeep inside the command's transaction, as FTS5's automerge
            // did here before; optional (Projection::tidy).
            projection->tidy(*state->sql, nullptr);
            const qint64 now = monotonicNowNs();
            QList<qint64> latencies;
            for (const Event& event : events)
                latencies.append(now - event.committedMonoNs);
            recorder->record(projection->name(), now, latencies);
            // Visible with the command's COMMIT, which records it.
            receipts->appliedInCommit(receipts->indexOf(projection->name()), events.first().position, newCheckpoint);
        }
        return true;
    };
}

} // namespace cqrs
