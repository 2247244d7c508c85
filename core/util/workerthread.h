#pragma once

#include "util/threadaudit.h"

#include <QMetaObject>
#include <QString>
#include <QThread>

#include <memory>
#include <utility>

namespace cqrs {

/// A worker object on a thread of its own, started and joined as a pair:
/// the lifecycle LagMonitor, EventStream, LoadGenerator, AnalyticsLoad and
/// WalCheckpointer share. start() moves the worker to a new thread and runs
/// `begin(worker)` there; stop() queues `W::end()`, which must make the
/// thread's event loop quit (at once, or when its work in flight is done),
/// joins the thread and deletes the worker. Call start() and stop() from the
/// owner's thread; the destructor stops. `make` creates the worker only
/// when the thread is not running yet.
template <typename W> class WorkerThread final {
public:
    WorkerThread() = default;
    ~WorkerThread() { stop(); }
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    template <typename Make, typename Begin>
    void start(const QString& name, Make make, Begin begin) {
        if (m_thread)
            return;
        std::unique_ptr<W> worker = make();
        m_owner = QThread::currentThread();
        m_thread = std::make_unique<QThread>();
        m_thread->setObjectName(name);
        m_worker = worker.release();
        m_worker->moveToThread(m_thread.get());
        m_thread->start();
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, begin = std::move(begin)]() mutable { begin(worker); },
            Qt::QueuedConnection);
    }

    void stop() {
        if (!m_thread)
            return;
        if (QThread::currentThread() != m_owner)
            ThreadAudit::noteOffOwner("WorkerThread::stop");
        ThreadAudit::noteWait("WorkerThread::stop");
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker] { worker->end(); }, Qt::QueuedConnection);
        m_thread->wait();
        delete m_worker; // its thread has finished: no event can reach it any more
        m_worker = nullptr;
        m_thread.reset();
    }

    bool isRunning() const { return m_thread != nullptr; }
    /// The worker while running, else null.
    W* worker() const { return m_worker; }

private:
    std::unique_ptr<QThread> m_thread;
    W* m_worker = nullptr;
    QThread* m_owner = nullptr; // the thread that called start()
};

} // namespace cqrs
