#pragma once

#include "lab/labsession.h"

#include <QObject>

#include <memory>
#include <vector>

namespace cqrs::ui {

/// The window's lab, from opening to closing: one session at a time, opened
/// on a data folder, replaced for a reset or for crossing between CRUD and
/// CQRS (which needs the write store reopened on another journal), shut
/// down when the window closes. Everything that joins threads or touches
/// files happens off the GUI thread (LabSession::shutdown()); this object
/// only keeps the state a person sees.
class LabLifecycle final : public QObject
{
    Q_OBJECT

public:
    enum class Phase {
        Idle,         ///< no session yet
        Opening,      ///< the store is opening
        Ready,        ///< open: commands and queries work
        Failed,       ///< the store could not be opened (Retry or Reset)
        Restarting,   ///< the previous session is shutting down, a new one follows
        ShuttingDown, ///< the window is closing
        ShutDown,     ///< every session is gone
    };

    LabLifecycle(LabSessionFactory factory, QString dataDirectory, QObject* parent = nullptr);
    /// Waits for sessions still shutting down (only if shutdown() was not awaited).
    ~LabLifecycle() override;

    /// Opens a session with `config` (its dataDir is this folder).
    void start(SessionConfig config);
    /// Shuts the current session down, then opens a new one with `config`;
    /// with `wipe` the store's files are deleted in between.
    void restart(SessionConfig config, bool wipe);
    /// Shuts everything down; shutDown() follows once every thread is joined.
    void shutdown();

    Phase phase() const { return m_phase; }
    bool isReady() const { return m_phase == Phase::Ready; }
    /// The session in use, or null while none is (restarting, closed).
    LabSession* session() const { return m_phase == Phase::Ready || m_phase == Phase::Opening || m_phase == Phase::Failed ? m_session.get() : nullptr; }
    const QString& dataDirectory() const { return m_dataDirectory; }
    const QString& failure() const { return m_failure; }

Q_SIGNALS:
    /// A new session exists (not open yet): connect to its signals now.
    void sessionStarted(cqrs::LabSession* session);
    void phaseChanged(cqrs::ui::LabLifecycle::Phase phase);
    void opened(const cqrs::StoreInfo& info);
    void openFailed(const QString& error);
    void shutDown();

private:
    void setPhase(Phase phase);
    /// Hands the current session to shutdown; `then` runs once it is gone.
    void retire(bool wipe, std::function<void()> then);
    void finishShutdownIfDone();

    LabSessionFactory m_factory;
    QString m_dataDirectory;
    std::unique_ptr<LabSession> m_session;
    /// Sessions shutting down, kept until their threads are joined.
    std::vector<std::unique_ptr<LabSession>> m_retiring;
    Phase m_phase = Phase::Idle;
    QString m_failure;
    quint64 m_generation = 0;
};

} // namespace cqrs::ui
