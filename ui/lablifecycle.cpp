#include "ui/lablifecycle.h"

#include "util/whenready.h"

#include <algorithm>

namespace cqrs::ui {

LabLifecycle::LabLifecycle(LabSessionFactory factory, QString dataDirectory, QObject* parent)
    : QObject(parent)
    , m_factory(std::move(factory))
    , m_dataDirectory(std::move(dataDirectory))
{
}

LabLifecycle::~LabLifecycle()
{
    // Deleting a session that is still open shuts it down and waits (see
    // LocalLabSession); a window shuts down first and never gets here with one.
    m_session.reset();
    m_retiring.clear();
}

void LabLifecycle::setPhase(Phase phase)
{
    if (phase == m_phase)
        return;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}

void LabLifecycle::start(SessionConfig config)
{
    if (m_phase == Phase::ShuttingDown || m_phase == Phase::ShutDown || m_session)
        return;
    config.dataDir = m_dataDirectory;
    m_failure.clear();
    m_session = m_factory(config);
    const quint64 generation = ++m_generation;
    setPhase(Phase::Opening);
    Q_EMIT sessionStarted(m_session.get());
    whenReady(m_session->open(), this, [this, generation](const StoreInfo& info) {
        if (generation != m_generation || m_phase != Phase::Opening)
            return; // replaced or closing meanwhile
        if (info.ok) {
            setPhase(Phase::Ready);
            Q_EMIT opened(info);
        } else {
            m_failure = info.error;
            setPhase(Phase::Failed);
            Q_EMIT openFailed(info.error);
        }
    });
}

void LabLifecycle::retire(bool wipe, std::function<void()> then)
{
    ++m_generation;
    if (!m_session) {
        then();
        return;
    }
    LabSession* leaving = m_session.get();
    QFuture<void> gone = leaving->shutdown(wipe);
    m_retiring.push_back(std::move(m_session));
    whenReady(gone, this, [this, leaving, then = std::move(then)] {
        // Its threads are joined: the handle can go, on this thread.
        const auto it = std::find_if(m_retiring.begin(), m_retiring.end(),
                                     [leaving](const std::unique_ptr<LabSession>& s) { return s.get() == leaving; });
        if (it != m_retiring.end())
            m_retiring.erase(it);
        then();
        finishShutdownIfDone();
    });
}

void LabLifecycle::finishShutdownIfDone()
{
    if (m_phase != Phase::ShuttingDown || m_session || !m_retiring.empty())
        return;
    setPhase(Phase::ShutDown);
    Q_EMIT shutDown();
}

void LabLifecycle::restart(SessionConfig config, bool wipe)
{
    if (m_phase == Phase::ShuttingDown || m_phase == Phase::ShutDown || m_phase == Phase::Restarting)
        return;
    setPhase(Phase::Restarting);
    retire(wipe, [this, config = std::move(config)] {
        if (m_phase != Phase::Restarting)
            return; // the window began closing meanwhile
        setPhase(Phase::Idle);
        start(config);
    });
}

void LabLifecycle::shutdown()
{
    if (m_phase == Phase::ShuttingDown || m_phase == Phase::ShutDown)
        return;
    setPhase(Phase::ShuttingDown);
    retire(false, [] {});
    finishShutdownIfDone(); // at once when nothing was running
}

} // namespace cqrs::ui
