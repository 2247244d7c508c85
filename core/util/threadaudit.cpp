#include "util/threadaudit.h"

#include <QCoreApplication>

#include <atomic>
#include <mutex>

namespace cqrs::ThreadAudit {

namespace {
std::atomic<Qt::HANDLE> watchedId{nullptr};
std::atomic<QThread*> watchedThread{nullptr};
std::atomic<int> count{0};
std::mutex mutex;
QStringList recorded; // guarded by mutex
constexpr int keptViolations = 100;

void record(const char* kind, const char* where)
{
    count.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(mutex);
    if (recorded.size() >= keptViolations)
        return;
    QString thread = QThread::currentThread()->objectName();
    if (thread.isEmpty())
        thread = QCoreApplication::instance() && QThread::currentThread() == QCoreApplication::instance()->thread()
                     ? QStringLiteral("main")
                     : QStringLiteral("unnamed");
    recorded.append(QStringLiteral("%1: %2 (thread %3)").arg(QLatin1StringView(kind), QString::fromUtf8(where), thread));
}

void note(const char* kind, const char* where)
{
    const Qt::HANDLE watchedHandle = watchedId.load(std::memory_order_relaxed);
    if (!watchedHandle || watchedHandle != QThread::currentThreadId())
        return;
    record(kind, where);
}
} // namespace

void watch(QThread* thread)
{
    // Only the thread itself knows its native id: watch() is called on it.
    Q_ASSERT(!thread || thread == QThread::currentThread());
    watchedThread.store(thread);
    watchedId.store(thread ? QThread::currentThreadId() : nullptr);
}

QThread* watched() { return watchedThread.load(); }

void noteSql(const char* where) { note("sql", where); }
void noteWait(const char* where) { note("wait", where); }

void checkOwner(const QObject* owner, const char* where)
{
    if (owner->thread() != QThread::currentThread())
        noteOffOwner(where);
}

void noteOffOwner(const char* where) { record("owner", where); }

QStringList violations()
{
    std::lock_guard lock(mutex);
    return recorded;
}

int violationCount() { return count.load(); }

void clearViolations()
{
    std::lock_guard lock(mutex);
    recorded.clear();
    count.store(0);
}

} // namespace cqrs::ThreadAudit
