#pragma once

#include "events/event.h"
#include "util/workerthread.h"

#include <QObject>

namespace cqrs {

class EventLogReader;

/// Follows the event log for viewers: after commits it reads the new events
/// (on a thread of its own, with its own connection) and emits them in
/// batches, newest last. A reader that falls far behind skips ahead to the
/// newest `backlog` events instead of replaying everything: a viewer only
/// shows the latest ones.
///
/// Batches are at least `minIntervalMs` apart. The first commit after a
/// quiet spell is read at once (a placed order shows without delay); under
/// traffic the commits of an interval become one batch, so a viewer gets a
/// few updates a second instead of one per commit group (~200/s at 5,000
/// orders/s, each a model insert and removal on the GUI thread).
class EventStream final : public QObject
{
    Q_OBJECT

public:
    explicit EventStream(QString writeDbPath, int backlog = 500, int minIntervalMs = 50,
                         QObject* parent = nullptr);
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
    int m_minIntervalMs;
    WorkerThread<Worker> m_thread;
};

} // namespace cqrs
