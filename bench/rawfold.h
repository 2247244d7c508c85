#pragma once

#include <QString>

namespace cqrs::bench {

/// The baseline for the projector: folds the event log of `writeDbPath`
/// into an order-summary table in `readDbPath` with the sqlite3 C API, the
/// way the projector does it (its own reading connection on the log, a
/// writing connection on the read store, batches of `batch` events, each
/// batch with its checkpoint in one transaction), minus the framework: the
/// payload fields are pulled out by SQLite's json_extract() in the reading
/// query, and rows are bound straight from the reading statement.
/// Returns the number of events folded.
qint64 rawFoldOrderSummary(const QString& writeDbPath, const QString& readDbPath, int batch);

} // namespace cqrs::bench
