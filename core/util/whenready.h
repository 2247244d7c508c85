#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QThread>

#include <type_traits>
#include <utility>

namespace cqrs {

/// Calls `onReady(result)` (or `onReady()` for QFuture<void>) on
/// `receiver`'s thread once `future` has finished; never when `receiver` is
/// destroyed first, nor when the future was cancelled without a result.
///
/// Used instead of QFuture::then(context, ...): Qt 6.4's context
/// continuations crashed here once in a while when the future was finished
/// on another thread (the continuation's promise was found moved-from), while
/// QFutureWatcher's posted call-outs have no such race. Call it from
/// `receiver`'s thread.
template<typename T, typename F>
void whenReady(const QFuture<T>& future, QObject* receiver, F&& onReady)
{
    Q_ASSERT(receiver && receiver->thread() == QThread::currentThread());
    auto* watcher = new QFutureWatcher<T>(receiver);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                     [watcher, onReady = std::forward<F>(onReady)]() mutable {
                         watcher->deleteLater();
                         if constexpr (std::is_void_v<T>) {
                             if (!watcher->isCanceled())
                                 onReady();
                         } else {
                             if (watcher->future().resultCount() > 0)
                                 onReady(watcher->result());
                         }
                     });
    watcher->setFuture(future);
}

} // namespace cqrs
