#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

namespace cqrs::ThreadAudit {

/// Invariant 6 made checkable: the thread a window runs on never runs SQL
/// and never waits for another thread. The window registers its thread with
/// watch(); every path that opens a connection or runs SQL calls noteSql(),
/// every blocking wait calls noteWait(). A call on the watched thread is
/// recorded as a violation; on any other thread it costs one comparison.

/// Records calls made on `thread` from now on (null stops watching).
void watch(QThread* thread);
/// The watched thread, or null.
QThread* watched();

/// An SQL connection is opened or a statement runs here (`where`: a static text).
void noteSql(const char* where);
/// The calling thread is about to block until another thread is done.
void noteWait(const char* where);
/// A lifecycle call that must run on `owner`'s thread (start, stop, switch):
/// recorded, on whatever thread, when it does not.
void checkOwner(const QObject* owner, const char* where);
/// The same, for a caller that has checked the thread itself.
void noteOffOwner(const char* where);

/// What broke the rules, oldest first ("sql: ...", "wait: ...",
/// "owner: ..."), at most the first 100 violations.
QStringList violations();
int violationCount();
void clearViolations();

} // namespace cqrs::ThreadAudit
