#include "events/eventstream.h"

#include "events/eventlogreader.h"
#include "util/monotonicclock.h"
#include "util/threadpolicy.h"

#include <QThread>
#include <QTimer>

#include <atomic>

namespace cqrs {

class EventStream::Worker final : public QObject
{
public:
    Worker(EventStream* stream, QString path, int backlog, int minIntervalMs)
        : m_stream(stream)
        , m_path(std::move(path))
        , m_backlog(backlog)
        , m_minIntervalNs(qint64(minIntervalMs) * 1'000'000)
        , m_hold(this)
    {
        m_hold.setSingleShot(true);
        m_hold.setTimerType(Qt::PreciseTimer);
        connect(&m_hold, &QTimer::timeout, this, [this] { read(); });
    }

    void begin()
    {
        runAsBackgroundThread(); // woken by every commit: never preempt the command worker
        m_log = std::make_unique<EventLogReader>(m_path);
        const qint64 head = m_log->headPosition();
        m_position = std::max<qint64>(0, head - m_backlog);
        m_target.store(head);
        read();
    }

    void end()
    {
        m_hold.stop();
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
        if (!m_log || m_hold.isActive())
            return; // the pending batch will read these commits too
        const qint64 sinceLastNs = monotonicNowNs() - m_lastBatchNs;
        if (m_lastBatchNs != 0 && sinceLastNs < m_minIntervalNs) {
            m_hold.start(int((m_minIntervalNs - sinceLastNs + 999'999) / 1'000'000));
            return;
        }
        const qint64 target = m_target.load();
        if (target - m_position > m_backlog)
            m_position = target - m_backlog;
        while (m_position < target) {
            const EventList events = m_log->readAfter(m_position, m_backlog);
            if (events.isEmpty())
                break;
            m_position = events.last().position;
            m_lastBatchNs = monotonicNowNs();
            Q_EMIT m_stream->eventsAppended(events);
        }
    }

    EventStream* m_stream;
    QString m_path;
    int m_backlog;
    qint64 m_minIntervalNs;
    qint64 m_lastBatchNs = 0;
    QTimer m_hold; ///< runs while a batch waits for the interval to pass
    std::unique_ptr<EventLogReader> m_log;
    qint64 m_position = 0;
    std::atomic<qint64> m_target{0};
    std::atomic<bool> m_queued{false};
};

EventStream::EventStream(QString writeDbPath, int backlog, int minIntervalMs, QObject* parent)
    : QObject(parent)
    , m_writeDbPath(std::move(writeDbPath))
    , m_backlog(std::max(1, backlog))
    , m_minIntervalMs(std::max(0, minIntervalMs))
{
    qRegisterMetaType<EventList>();
}

EventStream::~EventStream() { stop(); }

void EventStream::start()
{
    m_thread.start(
        QStringLiteral("event-stream"),
        [this] { return std::make_unique<Worker>(this, m_writeDbPath, m_backlog, m_minIntervalMs); },
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
