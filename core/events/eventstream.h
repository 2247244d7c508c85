#pragma once

#include "events/event.h"
#include "util/workerthread.h"

#include <QObject>

namespace cqrs {

class EventLogReader;

/// Follows the event log for viewers: on every commit it reads the new
/// events (on a thread of its own, with its own connection) and emits them
/// in batches, newest last. A reader that falls far behind skips ahead to
/// the newest `backlog` events instead of replaying everything: a viewer
/// only shows the latest ones.
class EventStream final : public QObject
{
    Q_OBJECT

public:
    explicit EventStream(QString writeDbPath, int backlog = 500, QObject* parent = nullptr);
    ~EventStream() override;

    void start();
    void stop();
    /// Thread-safe; connect CommandBus::committed here (any connection type).
    void notifyCommitted(qint64 head);

Q_SIGNALS:
    void eventsAppended(const cqrs::EventList& events);

private:
    class Worker;
    QString m_writeDbPath;
    int m_backlog;
    WorkerThread<Worker> m_thread;
};

} // namespace cqrs
