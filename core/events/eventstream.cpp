#include "events/eventstream.h"

#include "events/eventlogreader.h"

#include <QThread>

#include <atomic>

namespace cqrs {

class EventStream::Worker final : public QObject
{
public:
    Worker(EventStream* stream, QString path, int backlog)
        : m_stream(stream)
        , m_path(std::move(path))
        , m_backlog(backlog)
    {
    }

    void begin()
    {
        m_log = std::make_unique<EventLogReader>(m_path);
        const qint64 head = m_log->headPosition();
        m_position = std::max<qint64>(0, head - m_backlog);
        m_target.store(head);
        read();
    }

    void end()
    {
        m_log.reset();
        QThread::currentThread()->quit();
    }

    void notify(qint64 head)
    {
        qint64 previous = m_target.load();
        while (head > previous && !m_target.compare_exchange_weak(previous, head)) {
        }
        // Coalesce: one queued read is enough however many commits arrive.
        if (!m_queued.exchange(true))
            QMetaObject::invokeMethod(this, [this] { read(); }, Qt::QueuedConnection);
    }

private:
    void read()
    {
        m_queued.store(false);
        if (!m_log)
            return;
        const qint64 target = m_target.load();
        if (target - m_position > m_backlog)
            m_position = target - m_backlog;
        while (m_position < target) {
            const EventList events = m_log->readAfter(m_position, m_backlog);
            if (events.isEmpty())
                break;
            m_position = events.last().position;
            Q_EMIT m_stream->eventsAppended(events);
        }
    }

    EventStream* m_stream;
    QString m_path;
    int m_backlog;
    std::unique_ptr<EventLogReader> m_log;
    qint64 m_position = 0;
    std::atomic<qint64> m_target{0};
    std::atomic<bool> m_queued{false};
};

EventStream::EventStream(QString writeDbPath, int backlog, QObject* parent)
    : QObject(parent)
    , m_writeDbPath(std::move(writeDbPath))
    , m_backlog(std::max(1, backlog))
{
    qRegisterMetaType<EventList>();
}

EventStream::~EventStream() { stop(); }

void EventStream::start()
{
    m_thread.start(
        QStringLiteral("event-stream"),
        [this] { return std::make_unique<Worker>(this, m_writeDbPath, m_backlog); },
        [](Worker* worker) { worker->begin(); });
}

void EventStream::stop()
{
    m_thread.stop();
}

void EventStream::notifyCommitted(qint64 head)
{
    if (Worker* worker = m_thread.worker())
        worker->notify(head);
}

} // namespace cqrs
