#pragma once

#include "commands/commandbus.h"

#include <QFuture>
#include <QList>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

#include <condition_variable>
#include <memory>
#include <mutex>

namespace cqrs::test {

/// Makes group commits deterministic. Install hook() with
/// CommandBus::setInlineHook(): the first accepted command after that blocks
/// inside its savepoint until open(). While workerWaiting(), everything
/// submitted queues up, and once opened the worker takes it as one group.
/// fail() makes the hook fail chosen commands (an inline read-model update
/// that fails), which must roll back only that command.
///
/// The state is shared with the hook, and the destructor opens the gate, so a
/// failing test can never leave the worker blocked (closing the bus would
/// then hang).
class WorkerGate final
{
public:
    WorkerGate() = default;
    ~WorkerGate() { open(); }
    WorkerGate(const WorkerGate&) = delete;
    WorkerGate& operator=(const WorkerGate&) = delete;

    CommandBus::InlineHook hook() const
    {
        return [state = m_state](const QSqlDatabase& db, const EventList& events, QString* error) {
            std::unique_lock lock(state->mutex);
            if (!state->used) {
                state->used = true;
                state->waiting = true;
                state->wake.wait(lock, [&] { return state->opened; });
                state->waiting = false;
            }
            for (const Event& event : events) {
                if (state->failing.contains(event.commandId)) {
                    *error = QStringLiteral("test hook refused the command");
                    return false;
                }
                if (state->dropping.contains(event.commandId)) {
                    // As SQLite does after an I/O error in a statement whose
                    // failure is not the command's: the transaction is gone.
                    QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
                    return true;
                }
            }
            return true;
        };
    }

    /// True while the worker is held inside the first command's handler.
    bool workerWaiting() const
    {
        std::lock_guard lock(m_state->mutex);
        return m_state->waiting;
    }

    void fail(const QUuid& commandId)
    {
        std::lock_guard lock(m_state->mutex);
        m_state->failing.append(commandId);
    }

    /// The hook rolls the whole transaction back behind the worker's back
    /// when it sees this command, and says all is well.
    void dropTransaction(const QUuid& commandId)
    {
        std::lock_guard lock(m_state->mutex);
        m_state->dropping.append(commandId);
    }

    void open()
    {
        {
            std::lock_guard lock(m_state->mutex);
            m_state->opened = true;
        }
        m_state->wake.notify_all();
    }

private:
    struct State
    {
        std::mutex mutex;
        std::condition_variable wake;
        bool used = false;
        bool waiting = false;
        bool opened = false;
        QList<QUuid> failing;
        QList<QUuid> dropping;
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

/// Submits `commands` so that they reach the write store in one group
/// commit: `gate` holds the worker in `blocker` (and fails it, so it appends
/// nothing) while they queue up. The gate's hook stays installed; remove it
/// with setInlineHook({}). On failure it records the failure and returns;
/// callers check QTest::currentTestFailed().
template<typename C>
void submitAsOneGroup(CommandBus& bus, WorkerGate& gate, const C& blocker, const QList<Command>& commands,
                      QList<QFuture<CommandResult>>* placed)
{
    bus.setInlineHook(gate.hook());
    gate.fail(blocker.meta.id);
    QFuture<CommandResult> held = bus.submit(blocker);
    QTRY_VERIFY_WITH_TIMEOUT(gate.workerWaiting(), 30'000);
    for (const Command& command : commands)
        placed->append(bus.submit(command));
    gate.open();
    held.waitForFinished();
    QCOMPARE(held.result().status, CommandResult::Status::Failed);
}

} // namespace cqrs::test
