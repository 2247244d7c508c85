#include "projections/projectionboard.h"
#include "util/threadaudit.h"

#include <chrono>

namespace cqrs {

QString projectionStateName(ProjectionState state)
{
    switch (state) {
    case ProjectionState::Starting:
        return QStringLiteral("starting");
    case ProjectionState::Live:
        return QStringLiteral("live");
    case ProjectionState::CatchingUp:
        return QStringLiteral("catching up");
    case ProjectionState::Paused:
        return QStringLiteral("paused");
    case ProjectionState::Rebuilding:
        return QStringLiteral("rebuilding");
    case ProjectionState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

void ProjectionBoard::add(const QString& name, const QString& title)
{
    std::lock_guard lock(m_mutex);
    if (m_status.contains(name))
        return;
    ProjectionStatus status;
    status.name = name;
    status.title = title;
    m_status.insert(name, status);
    m_names.append(name);
}

QStringList ProjectionBoard::names() const
{
    std::lock_guard lock(m_mutex);
    return m_names;
}

ProjectorKnobs ProjectionBoard::knobs(const QString& name) const
{
    std::lock_guard lock(m_mutex);
    return m_status.value(name).knobs;
}

void ProjectionBoard::changeKnobs(const QString& name,
                                  const std::function<void(ProjectorKnobs&)>& change)
{
    std::lock_guard lock(m_mutex);
    auto it = m_status.find(name);
    if (it != m_status.end())
        change(it->knobs);
}

ProjectionStatus ProjectionBoard::status(const QString& name) const
{
    std::lock_guard lock(m_mutex);
    return m_status.value(name);
}

ProjectionStatusList ProjectionBoard::statuses() const
{
    std::lock_guard lock(m_mutex);
    ProjectionStatusList list;
    for (const QString& name : m_names)
        list.append(m_status.value(name));
    return list;
}

void ProjectionBoard::changeStatus(const QString& name,
                                   const std::function<void(ProjectionStatus&)>& change)
{
    std::lock_guard lock(m_mutex);
    auto it = m_status.find(name);
    if (it != m_status.end())
        change(*it);
}

void ProjectionBoard::publishCheckpoint(const QString& name, qint64 position, const QString& store)
{
    {
        std::lock_guard lock(m_mutex);
        if (store != m_store)
            return;
        auto it = m_status.find(name);
        if (it == m_status.end())
            return;
        it->checkpoint = position;
    }
    m_advanced.notify_all();
}

void ProjectionBoard::switchStore(const QString& store, const QHash<QString, qint64>& checkpoints)
{
    {
        std::lock_guard lock(m_mutex);
        m_store = store;
        for (auto it = m_status.begin(); it != m_status.end(); ++it)
            it->checkpoint = checkpoints.value(it.key(), 0);
    }
    m_advanced.notify_all();
}

qint64 ProjectionBoard::checkpoint(const QString& name) const
{
    std::lock_guard lock(m_mutex);
    return m_status.value(name).checkpoint;
}

qint64 ProjectionBoard::waitForCheckpoint(const QString& name, qint64 position, int timeoutMs) const
{
    ThreadAudit::noteWait("ProjectionBoard::waitForCheckpoint");
    std::unique_lock lock(m_mutex);
    const auto reached = [&] { return m_status.value(name).checkpoint >= position; };
    m_advanced.wait_for(lock, std::chrono::milliseconds(timeoutMs), reached);
    return m_status.value(name).checkpoint;
}

void ProjectionBoard::setHead(qint64 position)
{
    std::lock_guard lock(m_mutex);
    m_head = std::max(m_head, position);
}

qint64 ProjectionBoard::head() const
{
    std::lock_guard lock(m_mutex);
    return m_head;
}

} // namespace cqrs
