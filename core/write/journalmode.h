#pragma once

#include <QString>

namespace cqrs {

/// How the write store keeps its journal. The CQRS modes use a write-ahead
/// log: readers never block the writer, and checkpoints run off the command
/// path. CRUD uses SQLite's default rollback journal, where a long report
/// holds a lock that every commit has to wait for: the article's stall.
enum class JournalMode { WriteAheadLog, Rollback };

/// "wal" or "rollback", for messages and reports.
QString journalModeName(JournalMode mode);

} // namespace cqrs
